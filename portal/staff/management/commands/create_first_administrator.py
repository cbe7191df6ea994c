"""The regulator's first administrator: nobody can invite them from a page, since inviting
needs an administrator. Refuses once any current administrator exists.

Sends the invitation email through the outbox and prints the same link, so whoever runs the
command can pass it on if the email is slow to arrive.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from portal.staff import services
from portal.staff.errors import StaffError


class Command(BaseCommand):
    help = "Invite the first administrator (prints the invitation link and emails it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Their address at the regulator")
        parser.add_argument("--name", required=True, help="Their full name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            invitation, token = services.invite_first_administrator(
                email=options["email"], full_name=options["name"]
            )
        except StaffError as refused:
            raise CommandError(refused.message) from refused
        link = services.public_link(reverse("staff_invitations:accept", kwargs={"token": token}))
        self.stdout.write(f"Invitation emailed to {invitation.email}. The link (works once):")
        self.stdout.write(link)
