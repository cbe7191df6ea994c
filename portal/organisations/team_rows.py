"""The team page's lists as light rows, not models: a page shows up to fifty members,
invitations and requests to join, and building a model (and its user's) for each was most
of the Python the page spent on reading them. Each read is given the viewer's scoped
queryset (selectors.visible_*), so what is listed is what those allow."""

import datetime as dt
from typing import NamedTuple
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from portal.organisations.models import Invitation, JoinRequest, Membership


class MemberRow(NamedTuple):
    pk: UUID
    email: str
    full_name: str
    last_login: dt.datetime | None
    status: str
    whole_provider: bool
    permissions: list[str]
    granter_review_since: dt.datetime | None
    redundant_since: dt.datetime | None


class InvitationRow(NamedTuple):
    pk: UUID
    email: str
    permissions: list[str]
    status: str
    expires_at: dt.datetime

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class JoinRequestRow(NamedTuple):
    pk: UUID
    email: str
    full_name: str
    created_at: dt.datetime


def member_rows(memberships: QuerySet[Membership], start: int, stop: int) -> list[MemberRow]:
    """Members `start` to `stop` of `memberships`, in its order."""
    rows = (
        memberships.select_related(None)
        .prefetch_related(None)
        .values_list(
            "pk",
            "user__email",
            "user__full_name",
            "user__last_login",
            "status",
            "whole_provider",
            "permissions",
            "granter_review_since",
            "redundant_since",
        )
    )
    return [MemberRow._make(row) for row in rows[start:stop]]


def invitation_rows(invitations: QuerySet[Invitation], limit: int) -> list[InvitationRow]:
    rows = (
        invitations.select_related(None)
        .prefetch_related(None)
        .values_list("pk", "email", "permissions", "status", "expires_at")
    )
    return [InvitationRow._make(row) for row in rows[:limit]]


def join_request_rows(join_requests: QuerySet[JoinRequest], limit: int) -> list[JoinRequestRow]:
    rows = join_requests.select_related(None).values_list(
        "pk", "user__email", "user__full_name", "created_at"
    )
    return [JoinRequestRow._make(row) for row in rows[:limit]]


def location_names_of(member_rows: list[MemberRow]) -> dict[UUID, list[str]]:
    """The names of the locations each member of the page is for, by name, in one query of
    tuples (a page of members can name a thousand locations: no model for each)."""
    rows = (
        Membership.locations.through.objects.filter(
            membership_id__in=[m.pk for m in member_rows if not m.whole_provider]
        )
        .order_by("location__name")
        .values_list("membership_id", "location__name")
    )
    names: dict[UUID, list[str]] = {}
    for membership_id, name in rows:
        names.setdefault(membership_id, []).append(name)
    return names
