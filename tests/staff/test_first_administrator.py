"""manage.py create_first_administrator: the one way in before any administrator exists."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.staff.models import StaffInvitation
from portal.staff.roles import StaffRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_first_administrator", *args, stdout=out)
    return out.getvalue()


def test_it_emails_and_prints_an_administrators_invitation():
    printed = run("--email", "Ada@Regulator.example", "--name", "Ada Admin")
    invitation = StaffInvitation.objects.get()
    assert invitation.email == "ada@regulator.example"
    assert invitation.roles == [StaffRole.ADMINISTRATOR]
    assert invitation.invited_by is None
    link = printed.strip().splitlines()[-1]
    assert "/staff-invitation/" in link
    assert link in OutboxMessage.objects.get(to="ada@regulator.example").body
    assert AuditEvent.objects.filter(verb="staff.first_administrator_invited").count() == 1


def test_it_refuses_once_an_administrator_exists():
    f.staff_member("ada@regulator.example", roles=[StaffRole.ADMINISTRATOR])
    with pytest.raises(CommandError, match="already exists"):
        run("--email", "bob@regulator.example", "--name", "Bob")
    assert not StaffInvitation.objects.exists()


def test_an_ended_administrator_does_not_count():
    ended = f.staff_member("ada@regulator.example", roles=[StaffRole.ADMINISTRATOR])
    ended.staff_member.ended_at = ended.date_joined
    ended.staff_member.save()
    run("--email", "bob@regulator.example", "--name", "Bob")
    assert StaffInvitation.objects.get().email == "bob@regulator.example"


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("bob@gmail.example", "Bob", "regulator's own email domain"),
        ("", "Bob", "Enter their email address"),
        ("bob@regulator.example", "  ", "Enter their full name"),
    ],
)
def test_it_refuses_bad_input(email, name, message):
    with pytest.raises(CommandError, match=message):
        run("--email", email, "--name", name)
    assert not StaffInvitation.objects.exists()
