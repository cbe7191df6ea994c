from typing import Any

from django.core.management.base import BaseCommand

from portal.demo.accounts import demo_totp_code


class Command(BaseCommand):
    help = "Print the current authenticator code for the demo accounts (demo data only)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_totp_code())
