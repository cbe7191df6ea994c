"""The team page's lists as light rows, not models: a page shows up to fifty members,
invitations and requests to join, and building a model (and its user's) for each was most
of the Python the page spent on reading them. Each read is given the viewer's scoped
queryset (selectors.visible_*), so what is listed is what those allow."""

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from portal.compiled_queries import CompiledRows
from portal.organisations.access import Scope
from portal.organisations.models import Invitation, JoinRequest, Membership
from portal.organisations.selectors import (
    invitations_seen,
    join_requests_waiting,
    memberships_seen,
)
from portal.register.id_lookups import any_of_parameter


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


_MEMBER_COLUMNS = (
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


def _member_values(memberships: QuerySet[Membership]) -> QuerySet[Any]:
    return memberships.select_related(None).prefetch_related(None).values_list(*_MEMBER_COLUMNS)


def _invitation_values(invitations: QuerySet[Invitation]) -> QuerySet[Any]:
    return (
        invitations.select_related(None)
        .prefetch_related(None)
        .values_list("pk", "email", "permissions", "status", "expires_at")
    )


def _join_request_values(join_requests: QuerySet[JoinRequest]) -> QuerySet[Any]:
    return join_requests.select_related(None).values_list(
        "pk", "user__email", "user__full_name", "created_at"
    )


def member_rows(memberships: QuerySet[Membership], start: int, stop: int) -> list[MemberRow]:
    """Members `start` to `stop` of `memberships`, in its order."""
    return [MemberRow._make(row) for row in _member_values(memberships)[start:stop]]


def invitation_rows(invitations: QuerySet[Invitation], limit: int) -> list[InvitationRow]:
    return [InvitationRow._make(row) for row in _invitation_values(invitations)[:limit]]


def join_request_rows(join_requests: QuerySet[JoinRequest], limit: int) -> list[JoinRequestRow]:
    return [JoinRequestRow._make(row) for row in _join_request_values(join_requests)[:limit]]


# The first page of each list, unfiltered, is what nearly every visit reads: compiled once
# for each shape of viewer (the whole provider, or some locations), since building them took
# longer than PostgreSQL took to answer. Filtered and later pages go through the ORM.
TEAM_PAGE_SIZE = 50
FIRST_PAGE_ROWS = TEAM_PAGE_SIZE + 1  # and one more to say whether there is a next page


class _Ids:
    """A viewer's locations (or a page's members) as the one parameter `any_of` sends
    (PostgreSQL; elsewhere an `IN` list whose length varies, which does not compile once,
    so the ORM runs it)."""

    @staticmethod
    def get_db_prep_value(value: frozenset[str] | list[UUID], connection: Any) -> Any:
        return any_of_parameter(list(value))


_PROVIDERS = ("-stand-in-team-1-", "-stand-in-team-2-")
_LOCATIONS = (frozenset({"-stand-in-team-3-"}), frozenset({"-stand-in-team-4-"}))
_AS_ARRAY: Any = _Ids()  # stands where compiled_queries expects a model field


def first_members(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Any]:
    return _member_values(memberships_seen(provider_id, location_ids))[:FIRST_PAGE_ROWS]


def first_invitations(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Any]:
    return _invitation_values(invitations_seen(provider_id, location_ids))[:FIRST_PAGE_ROWS]


def first_join_requests(provider_id: str) -> QuerySet[Any]:
    return _join_request_values(join_requests_waiting(provider_id))[:FIRST_PAGE_ROWS]


def _by_shape(build: Callable[..., QuerySet[Any]]) -> tuple[CompiledRows, CompiledRows]:
    """`build` compiled for a viewer of the whole provider, and for one of some locations.
    The latter is kept prepared: planning its hundreds of location IDs took longer than
    answering it, and its generic plan (the IDs `among`, hashed once) answers as quickly."""
    return (
        CompiledRows(lambda provider_id: build(provider_id, None), {"provider_id": _PROVIDERS}),
        CompiledRows(
            build,
            {"provider_id": _PROVIDERS, "location_ids": _LOCATIONS},
            {"location_ids": _AS_ARRAY},
            prepared=True,
        ),
    )


_FIRST_MEMBERS = _by_shape(first_members)
_FIRST_INVITATIONS = _by_shape(first_invitations)
# Kept prepared (one value, the provider): its generic plan is as quick as planning it was.
_FIRST_JOIN_REQUESTS = CompiledRows(first_join_requests, {"provider_id": _PROVIDERS}, prepared=True)


def _first_rows(
    reads: tuple[CompiledRows, CompiledRows], provider_id: str, scope: Scope
) -> list[tuple[Any, ...]]:
    if scope.is_empty:
        return []
    alias = Membership.objects.db
    whole, some = reads
    if scope.whole_provider:
        return whole.rows(alias, provider_id=provider_id)
    return some.rows(alias, provider_id=provider_id, location_ids=scope.location_ids)


def first_member_rows(provider_id: str, scope: Scope) -> list[MemberRow]:
    """The first page of members a viewer with this team `scope` sees (and one more), as
    member_rows(selectors.visible_memberships(…), 0, FIRST_PAGE_ROWS) reads them."""
    return [MemberRow._make(row) for row in _first_rows(_FIRST_MEMBERS, provider_id, scope)]


def first_invitation_rows(provider_id: str, scope: Scope) -> list[InvitationRow]:
    """As invitation_rows(selectors.visible_invitations(…), FIRST_PAGE_ROWS)."""
    rows = _first_rows(_FIRST_INVITATIONS, provider_id, scope)
    return [InvitationRow._make(row) for row in rows]


def first_join_request_rows(provider_id: str, manages: Scope) -> list[JoinRequestRow]:
    """As join_request_rows(selectors.visible_join_requests(…), FIRST_PAGE_ROWS), for a
    viewer who manages the team at `manages`."""
    if manages.is_empty:
        return []
    rows = _FIRST_JOIN_REQUESTS.rows(JoinRequest.objects.db, provider_id=provider_id)
    return [JoinRequestRow._make(row) for row in rows]


def member_location_names(membership_ids: list[UUID]) -> QuerySet[Any]:
    """The names of the locations these members are for, by name, as (member, name)."""
    return (
        Membership.locations.through.objects.filter(membership_id__among=membership_ids)
        .order_by("location__name")
        .values_list("membership_id", "location__name")
    )


# Compiled once (its IDs go as one array, whatever their number): building it took about as
# long as reading its rows. Kept prepared (its IDs `among`): planning it was a fifth of it.
_MEMBER_LOCATION_NAMES = CompiledRows(
    member_location_names,
    {"membership_ids": ([UUID(int=1)], [UUID(int=2)])},
    {"membership_ids": _AS_ARRAY},
    prepared=True,
)


def location_names_of(member_rows: list[MemberRow]) -> dict[UUID, list[str]]:
    """The names of the locations each member of the page is for, by name, in one query of
    tuples (a page of members can name a thousand locations: no model for each)."""
    at_some = [m.pk for m in member_rows if not m.whole_provider]
    if not at_some:
        return {}
    names: dict[UUID, list[str]] = {}
    rows = _MEMBER_LOCATION_NAMES.rows(Membership.objects.db, membership_ids=at_some)
    for membership_id, name in rows:
        names.setdefault(membership_id, []).append(name)
    return names
