from typing import Any

from django.core.management.base import BaseCommand

from portal.demo import data


class Command(BaseCommand):
    help = "Load the demo data `make run` serves (idempotent; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = data.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({data.count_of(logins)})."))
