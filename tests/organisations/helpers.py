"""Shared by the delegation tests: the access levels as memberships store them, invitations
made through the service (and aged) in the conftest's world, the email and audit they leave,
and the service's refusals, one at a time or raced."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.organisations import services
from portal.organisations.models import Invitation
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel
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
