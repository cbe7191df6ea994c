"""Shared by the delegation tests: the access levels as memberships store them, and
invitations made through the service (and aged) in the conftest's world."""

import datetime as dt

from django.utils import timezone

from portal.organisations import services
from portal.organisations.models import Invitation
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel

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


def expire(invitation, **delta):
    """Make the invitation expire `delta` ago."""
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(**delta)
    )
