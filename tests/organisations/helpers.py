"""Shared by the delegation tests: the access levels as memberships store them, invitations
made through the service (and aged) in the conftest's world, the email and audit they leave,
the service's refusals, one at a time or raced, and a provider P whose only team managers
are two delegates."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.organisations import services
from portal.organisations.access import can
from portal.organisations.models import Invitation, Membership
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel, Permission
from portal.register.models import RoleAssignment, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.support.browser import expect_heading
from tests.support.concurrency import run_together

NOTIFY = sorted(ACCESS_LEVEL_PERMISSIONS[AccessLevel.NOTIFICATIONS])
VIEW = sorted(ACCESS_LEVEL_PERMISSIONS[AccessLevel.VIEW])
TEAM = sorted(ACCESS_LEVEL_PERMISSIONS[AccessLevel.TEAM])


def invite(world, email, *, by="ni", provider=None, permissions=VIEW, at=None):
    """Invite through the service. Unless a test says otherwise, the nominated individual
    gives view access to the whole of provider P; `at` lists location ids (or made-up ones)
    to give access for those locations only. `by` is a key of world.users or a user."""
    return services.invite(
        actor=world.users[by] if isinstance(by, str) else by,
        provider=provider or world.p,
        email=email,
        permissions=permissions,
        whole_provider=at is None,
        location_ids=at or (),
    )


def invitation_path(body: str) -> str:
    """The path of the invitation link in an email's body."""
    match = re.search(r"https?://[^/\s]+(/invitations/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def invite_in_the_browser(page: Any, email: str, check: Callable[[Any], None]) -> None:
    """From the invitation's email page: `email` invited to draft and submit notifications at
    Sunrise House, and sent; `check` runs on each page passed through."""
    page.get_by_label("What is their email address?").fill(email)
    page.get_by_role("button", name="Continue").click()
    check(page)
    page.get_by_label("Draft and submit notifications").check()
    page.get_by_role("button", name="Continue").click()
    check(page)
    page.get_by_label("Sunrise House").check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check before you send the invitation")
    check(page)
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Invitation sent"
    check(page)


def expire(invitation, **delta):
    """Make the invitation expire `delta` ago."""
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(**delta)
    )


def outbox_to(address):
    return list(OutboxMessage.objects.filter(to=address).order_by("created_at"))


def audit(verb):
    return list(AuditEvent.objects.filter(verb=verb))


def refused(match=None):
    """The service refuses, with a message matching `match` (a regular expression)."""
    return pytest.raises(services.DelegationError, match=match)


def at_once(*calls):
    """Start the calls at the same moment, each on its own database connection. Returns, in
    call order, "done" for each that went through and the message of each the service
    refused (anything else it raised is raised here)."""
    outcomes = []
    for outcome in run_together(calls):
        if isinstance(outcome, services.DelegationError):
            outcomes.append(outcome.message)
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            outcomes.append("done")
    return outcomes


def only_two_delegates_manage_the_whole_team(world):
    """No registered person in a whole-provider role: two delegates, a and b, manage the whole
    team. Both have just opened the team page, so their access is worked out before either
    acts. Returns (a, a's membership, b, b's membership)."""
    RoleAssignment.objects.filter(role=RoleType.NOMINATED_INDIVIDUAL, provider=world.p).delete()
    Membership.objects.filter(user=world.users["delegate_team_whole"]).delete()
    a = make_user("a.manager@sunrise.example")
    b = make_user("b.manager@sunrise.example")
    ma = give_access(a, world.p, ["team", "view"])
    mb = give_access(b, world.p, ["team", "view"])
    assert can(a, Permission.MANAGE_TEAM, provider=world.p)
    assert can(b, Permission.MANAGE_TEAM, provider=world.p)
    return a, ma, b, mb
