from typing import Any

from django.core.management.base import BaseCommand

from portal.casework.backfill import run_backfills


class Command(BaseCommand):
    help = (
        "Open a case for every notification, application, registered manager part and "
        "second-factor reset request that has none (idempotent; safe to run again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, opened in run_backfills().items():
            self.stdout.write(f"{name}: {opened} case(s) opened")
