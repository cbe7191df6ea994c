"""One member, invitation or request to join by its key, for the pages about it: read with
compiled queries, then judged in Python by the same rules as selectors.visible_memberships,
visible_invitations and visible_join_requests. Building the ORM's "in the visible ones"
subquery and its prefetch cost more than the rest of those pages' reads together."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from portal.access import Principal
from portal.compiled_queries import CompiledObjects
from portal.organisations.access import Scope, scope_for
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import Permission
from portal.register.models import Location, Provider

_NO_ROWS = (UUID(int=1), UUID(int=2))

_MEMBERSHIP = CompiledObjects.by_key(
    Membership.objects.select_related("user", "granted_by"), _NO_ROWS
)
_INVITATION = CompiledObjects.by_key(Invitation.objects.select_related("invited_by"), _NO_ROWS)
_JOIN_REQUEST = CompiledObjects.by_key(JoinRequest.objects.select_related("user"), _NO_ROWS)


def _names_at(related_name: str) -> CompiledObjects:
    # What the selectors' Prefetch("locations", Location.objects.only("pk", "name")) reads.
    def build(holder: UUID) -> QuerySet[Location]:
        return Location.objects.only("pk", "name").filter(**{related_name: holder})

    return CompiledObjects(build, {"holder": _NO_ROWS}, prepared=True)


_MEMBERSHIP_LOCATIONS = _names_at("memberships")
_INVITATION_LOCATIONS = _names_at("invitations")


def _with_locations(holder: Membership | Invitation, read: CompiledObjects) -> list[Location]:
    """The holder's locations, put where prefetch_related would have put them."""
    locations: list[Location] = read.objects(holder._state.db or "default", holder=holder.pk)
    cached: Any = holder.locations.all()
    cached._result_cache = locations
    cached._prefetch_done = True
    holder._prefetched_objects_cache = {"locations": cached}  # type: ignore[union-attr]
    return locations


def _sees(scope: Scope, holder: Membership | Invitation, read: CompiledObjects) -> bool:
    """selectors._visible_filter, for one holder (whose locations are read either way)."""
    locations = _with_locations(holder, read)
    if scope.whole_provider or holder.whole_provider:
        return True
    return any(location.pk in scope.location_ids for location in locations)


def _held(
    read: CompiledObjects,
    pk: Any,
    provider: Provider,
    user: Principal,
    *,
    live: frozenset[str],
    permission: str,
    locations: CompiledObjects | None = None,
) -> Any:
    """The row `pk` if it is the provider's, its status is `live`, and the user holds
    `permission` there (at one of its `locations`, when it has them); else None."""
    found = read.one(pk)
    if found is None or found.provider_id != provider.pk or found.status not in live:
        return None
    scope = scope_for(user, permission, provider)
    if scope.is_empty or (locations is not None and not _sees(scope, found, locations)):
        return None
    found.provider = provider
    return found


_LIVE_MEMBERSHIP = frozenset(MembershipStatus) - {MembershipStatus.REMOVED}
_LIVE_INVITATION = frozenset({InvitationStatus.PENDING, InvitationStatus.EXPIRED})
_LIVE_JOIN_REQUEST = frozenset({JoinRequestStatus.PENDING})


def membership(user: Principal, provider: Provider, pk: Any) -> Membership | None:
    return _held(
        _MEMBERSHIP,
        pk,
        provider,
        user,
        live=_LIVE_MEMBERSHIP,
        permission=Permission.VIEW_TEAM,
        locations=_MEMBERSHIP_LOCATIONS,
    )


def invitation(user: Principal, provider: Provider, pk: Any) -> Invitation | None:
    return _held(
        _INVITATION,
        pk,
        provider,
        user,
        live=_LIVE_INVITATION,
        permission=Permission.VIEW_TEAM,
        locations=_INVITATION_LOCATIONS,
    )


def join_request(user: Principal, provider: Provider, pk: Any) -> JoinRequest | None:
    return _held(
        _JOIN_REQUEST,
        pk,
        provider,
        user,
        live=_LIVE_JOIN_REQUEST,
        permission=Permission.MANAGE_TEAM,
    )
