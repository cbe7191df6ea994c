"""Time-based delegation housekeeping: expire invitations past their 2 days, and end
memberships at providers deregistered longer ago than the read-only period.

Access itself never waits for this (the access function checks dates on every request);
this keeps the team page and the audit log in step. Run it from the worker's sweep or cron.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand

from portal.organisations.services import expire_invitations
from portal.organisations.sync import end_deregistered_access


class Command(BaseCommand):
    help = "Expire old invitations and end access to long-deregistered providers."

    def handle(self, *args: Any, **options: Any) -> None:
        result = {
            "invitations_expired": expire_invitations(),
            "memberships_ended": end_deregistered_access(),
        }
        self.stdout.write(json.dumps(result))
