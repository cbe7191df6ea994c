from typing import Any

from django.core.management.base import BaseCommand

from portal.demo import data
from portal.demo.guard import refuse_outside_development


class Command(BaseCommand):
    help = "Load the demo data `make run` serves (idempotent; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_outside_development()
        logins = data.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({data.count_of(logins)})."))
