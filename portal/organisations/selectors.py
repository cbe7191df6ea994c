"""Reads for delegation, always scoped by the person asking (through the access function)."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, When, Window
from django.db.models.functions import DenseRank, RowNumber
from django.db.models.lookups import Exact
from django.http import Http404, HttpRequest
from django.utils import timezone

from portal.access import Account, Principal
from portal.compiled_queries import CompiledObjects, CompiledRows
from portal.json_lists import holding_every
from portal.organisations import held_reads
from portal.organisations.access import (
    WHOLE_PROVIDER_ROLES,
    Scope,
    access_for,
    has_any_access,
    location_names,
    provider_access,
    providers_for,
    scope_for,
)
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import Permission
from portal.register.id_lookups import AnyOfIds
from portal.register.models import (
    Location,
    Provider,
    RoleAssignment,
    RoleType,
    full_name_of,
)
from portal.register.selectors import provider_by_id

CURRENT_PROVIDER_SESSION_KEY = "organisations.current_provider"


def provider_or_404(user: Principal, provider_id: str) -> Provider:
    """The provider, if this user has any access to it; otherwise it does not exist for them.
    Working out the access read the provider's whole row already, so it is not read again
    (unless it was read only in part)."""
    access = provider_access(user, provider_id)
    if access is None:
        raise Http404("No such provider")
    if not access.provider.get_deferred_fields():
        return access.provider
    provider = provider_by_id(provider_id)
    if provider is None:
        raise Provider.DoesNotExist(provider_id)  # as get() would: access names only real ones
    return provider


def current_provider(request: HttpRequest, mine: list[Provider] | None = None) -> Provider | None:
    """The provider the user chose to act for (the switcher), if they still have access;
    if they have access to exactly one, that one. `mine`: providers_for(user), if read."""
    chosen = request.session.get(CURRENT_PROVIDER_SESSION_KEY)
    if chosen and has_any_access(request.user, chosen):
        return provider_by_id(chosen)
    providers = list(providers_for(request.user)[:2]) if mine is None else mine
    return providers[0] if len(providers) == 1 else None


def _visible_filter(
    holders: type[Membership] | type[Invitation], location_ids: frozenset[str] | None
) -> Q:
    """Members or invitations a viewer may see: all of them for a viewer of the whole
    provider (None); otherwise whole-provider ones and those sharing one of `location_ids`.
    Asked as EXISTS, not as a join of every holder's locations (a member at hundreds of
    them) to be made distinct again: a quarter of PostgreSQL's time for a delegate's team.
    The IDs go `among` (not `any_of`) so that the team page's first page, kept prepared, has
    a quick generic plan."""
    if location_ids is None:
        return Q()
    at_one_of_them = holders.locations.through.objects.filter(
        **{holders._meta.model_name or "": OuterRef("pk")}, location_id__among=location_ids
    )
    return Q(whole_provider=True) | Q(Exists(at_one_of_them))


def _seen_at(scope: Scope) -> frozenset[str] | None:
    return None if scope.whole_provider else scope.location_ids


_Holder = TypeVar("_Holder", Membership, Invitation)


def _seen(holders: "QuerySet[_Holder]", location_ids: frozenset[str] | None) -> "QuerySet[_Holder]":
    """`holders` that a viewer of the whole provider (None) or of `location_ids` may see,
    with their locations' names."""
    return holders.filter(_visible_filter(holders.model, location_ids)).prefetch_related(
        Prefetch("locations", queryset=Location.objects.only("pk", "name"))
    )


def _visible(
    user: Principal,
    provider: Provider,
    holders: type[_Holder],
    seen: Callable[[str, frozenset[str] | None], "QuerySet[_Holder]"],
) -> "QuerySet[_Holder]":
    """The provider's members or invitations that `seen` finds for what the user may view
    of its team (none when they may view none of it)."""
    scope = scope_for(user, Permission.VIEW_TEAM, provider)
    if scope.is_empty:
        return holders.objects.none()
    return seen(provider.pk, _seen_at(scope))


def memberships_seen(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Membership]:
    """The provider's members (not removed) that a viewer of the whole provider (None) or
    of `location_ids` may see, by email."""
    members = Membership.objects.filter(provider_id=provider_id).exclude(
        status=MembershipStatus.REMOVED
    )
    return (
        _seen(members, location_ids)
        .select_related("user", "granted_by")
        .order_by("user__email", "pk")
    )


def visible_memberships(user: Principal, provider: Provider) -> QuerySet[Membership]:
    return _visible(user, provider, Membership, memberships_seen)


def filter_memberships(
    memberships: QuerySet[Membership],
    *,
    text: str = "",
    location: str = "",
    permissions: Iterable[str] = (),
) -> QuerySet[Membership]:
    """Members matching the team page's filters: `text` in their name or email; able to act
    at a location whose name contains `location` or whose ID it is (whole-provider members
    act everywhere); holding every one of `permissions`."""
    if text:
        memberships = memberships.filter(
            Q(user__email__icontains=text) | Q(user__full_name__icontains=text)
        )
    if location:
        at = Location.objects.filter(
            Q(pk__iexact=location) | Q(name__icontains=location), memberships=OuterRef("pk")
        )
        memberships = memberships.filter(Q(whole_provider=True) | Exists(at))
    wanted = sorted(permissions)
    if wanted:
        memberships = memberships.filter(holding_every("permissions", wanted))
    return memberships


def invitations_seen(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Invitation]:
    """The provider's waiting or expired invitations that a viewer of the whole provider
    (None) or of `location_ids` may see, by email."""
    waiting = Invitation.objects.filter(
        provider_id=provider_id,
        status__in=[InvitationStatus.PENDING, InvitationStatus.EXPIRED],
    )
    return _seen(waiting, location_ids).select_related("invited_by").order_by("email", "pk")


def visible_invitations(user: Principal, provider: Provider) -> QuerySet[Invitation]:
    return _visible(user, provider, Invitation, invitations_seen)


def join_requests_waiting(provider_id: str) -> QuerySet[JoinRequest]:
    """The provider's pending requests to join, oldest first."""
    return (
        JoinRequest.objects.filter(provider_id=provider_id, status=JoinRequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def visible_join_requests(user: Principal, provider: Provider) -> QuerySet[JoinRequest]:
    """Pending requests, for anyone who can manage some of the provider's team."""
    if scope_for(user, Permission.MANAGE_TEAM, provider).is_empty:
        return JoinRequest.objects.none()
    return join_requests_waiting(provider.pk)


# Each of these is found within `provider`, so it is given that provider object rather than
# reading the same row again when the permission checks ask for it. They are read by key and
# judged by the visible_* rules in held_reads (the same answers, without the ORM's subquery).


_Held = TypeVar("_Held", Membership, Invitation, JoinRequest)


def _found_or_404(found: _Held | None, what: str) -> _Held:
    if found is None:
        raise Http404(f"No such {what}")
    return found


def membership_or_404(user: Principal, provider: Provider, membership_id: Any) -> Membership:
    return _found_or_404(held_reads.membership(user, provider, membership_id), "member")


def invitation_or_404(user: Principal, provider: Provider, invitation_id: Any) -> Invitation:
    return _found_or_404(held_reads.invitation(user, provider, invitation_id), "invitation")


def join_request_or_404(user: Principal, provider: Provider, request_id: Any) -> JoinRequest:
    return _found_or_404(held_reads.join_request(user, provider, request_id), "request")


@dataclass
class RegisteredPerson:
    """Someone with access through the register (shown on the team page, not editable)."""

    name: str
    roles: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    whole_provider: bool = False
    has_account: bool = False
    last_login: dt.datetime | None = None


_ROLE_LABELS: dict[str, str] = {str(role): role.label for role in RoleType}


def _registered_rows(
    provider_id: str, day: dt.date, location_ids: frozenset[str] | None, start: int, size: int
) -> QuerySet[Any]:
    """The live roles of people `start` to `start + size` (one more, to tell whether there is
    a next page) at the provider, by family name: all of them, or for a viewer who sees only
    some locations, the whole-provider roles and the roles at `location_ids`."""
    live = RoleAssignment.objects.live(on=day).filter(provider_id=provider_id)
    if location_ids is not None:
        live = live.filter(Q(role__in=WHOLE_PROVIDER_ROLES) | Q(location_id__among=location_ids))
    order = ("person__family_name", "person__given_name", "person_id")
    # The page's people by their place in that order (each person's roles share it): one
    # pass over the live roles, where a subquery choosing the people joined them all twice
    # and took PostgreSQL longer to plan than to run.
    person_number = Window(DenseRank(), order_by=[F(name).asc() for name in order])
    # A person's last sign-in on one of their rows only: a registered manager has a row for
    # each of hundreds of locations, and reading the same time from each was most of the
    # Python these rows cost.
    first_of_person: Exact[Any] = Exact(Window(RowNumber(), partition_by=[F("person_id")]), 1)
    signed_in = Case(When(first_of_person, then=F("person__user__last_login")))
    return (
        live.annotate(person_number=person_number, signed_in=signed_in)
        .filter(person_number__gt=start, person_number__lte=start + size + 1)
        .order_by(*order, "location__name")
        .values_list(
            "person_id",
            "role",
            "person__title",
            "person__given_name",
            "person__family_name",
            "location__name",
            "person__user__id",
            "signed_in",
        )
    )


# The first page, the most asked for, compiled once for each shape (its SQL took longer to
# build than PostgreSQL took to answer it); other pages through the ORM.
_FIRST_PAGE_SIZE = 50
_STAND_INS: dict[str, tuple[Any, Any]] = {
    "provider_id": ("-stand-in-1-", "-stand-in-2-"),
    "day": (dt.date(1901, 2, 3), dt.date(1901, 2, 4)),
}
_DAY_FIELD = RoleAssignment._meta.get_field("start_date")
# Both kept prepared: PostgreSQL's generic plan for each runs in about the time planning it
# took (EXPLAIN ANALYZE, national-size register). For some locations, only with the IDs
# `among` (hashed once): with `any_of` the generic plan searched the array for every row.
_FIRST_PAGE_OF_ALL = CompiledRows(
    lambda provider_id, day: _registered_rows(provider_id, day, None, 0, _FIRST_PAGE_SIZE),
    _STAND_INS,
    fields={"day": _DAY_FIELD},
    prepared=True,
)
_FIRST_PAGE_OF_SOME = CompiledRows(
    lambda provider_id, day, location_ids: _registered_rows(
        provider_id, day, location_ids, 0, _FIRST_PAGE_SIZE
    ),
    {**_STAND_INS, "location_ids": (frozenset({"-stand-in-3-"}), frozenset({"-stand-in-4-"}))},
    fields={"day": _DAY_FIELD, "location_ids": AnyOfIds()},  # type: ignore[dict-item]
    prepared=True,
)


def registered_people(
    user: Principal, provider: Provider, *, page: int = 1, size: int = _FIRST_PAGE_SIZE
) -> tuple[list[RegisteredPerson], bool]:
    """One page of the people holding a live register role at `provider` that the user may
    see (by family name), and whether there is a next page. A national provider has hundreds
    of registered managers: the page is chosen in SQL (the people, then their roles), so a
    request reads `size` people's roles, not all of them."""
    scope = scope_for(user, Permission.VIEW_TEAM, provider)
    if scope.is_empty:
        return [], False
    day = timezone.localdate()
    # Tuples, not models: a page of people can hold hundreds of roles (a registered
    # manager's each location), and four model instances a role were most of its time.
    roles: Iterable[tuple[Any, ...]]
    # Whole-provider roles are seen by all; a registered manager only where the user is.
    seen_at = None if scope.whole_provider else scope.location_ids
    alias = RoleAssignment.objects.db
    if page == 1 and size == _FIRST_PAGE_SIZE and seen_at is None:
        roles = _FIRST_PAGE_OF_ALL.rows(alias, provider_id=provider.pk, day=day)
    elif page == 1 and size == _FIRST_PAGE_SIZE:
        roles = _FIRST_PAGE_OF_SOME.rows(
            alias, provider_id=provider.pk, day=day, location_ids=seen_at
        )
    else:
        roles = _registered_rows(provider.pk, day, seen_at, (page - 1) * size, size)
    people: dict[int, RegisteredPerson] = {}
    # Each person's locations, kept in order without repeats (a registered manager's can
    # be hundreds: a set, not a search of the list, for each).
    where_of: dict[int, dict[str, None]] = {}
    everywhere = {*WHOLE_PROVIDER_ROLES, RoleType.PARTNER}
    for person_id, role, title, given, family, where, user_id, last_login in roles:
        entry = people.get(person_id)
        if entry is None:
            entry = people[person_id] = RegisteredPerson(
                name=full_name_of(title, given, family),
                has_account=user_id is not None,
            )
            where_of[person_id] = {}
        if last_login is not None:  # on one of the person's rows (_registered_rows)
            entry.last_login = last_login
        label = _ROLE_LABELS[role]
        if label not in entry.roles:
            entry.roles.append(label)
        if role in everywhere:
            entry.whole_provider = True
        elif where is not None:
            where_of[person_id][where] = None
    for person_id, entry in people.items():
        entry.locations = list(where_of[person_id])
    listed = list(people.values())
    return listed[:size], len(listed) > size


def team_manager_users(provider: Provider) -> list[Account]:
    """Accounts that can manage some of this provider's team (to tell them about requests)."""
    person_ids = (
        RoleAssignment.objects.live()
        .filter(
            provider=provider,
            role__in=[*WHOLE_PROVIDER_ROLES, RoleType.REGISTERED_MANAGER],
        )
        .values("person_id")
    )
    from_roles = get_user_model().objects.filter(person_id__in=person_ids, is_active=True)
    members = [
        membership.user
        for membership in Membership.objects.filter(
            provider=provider, status=MembershipStatus.ACTIVE
        ).select_related("user")
        if Permission.MANAGE_TEAM in membership.permissions and membership.user.is_active
    ]
    users = {user.pk: user for user in [*from_roles, *members]}
    return sorted(users.values(), key=lambda user: user.email)


def grantable_locations(user: Principal, provider: Provider) -> QuerySet[Location]:
    """Registered locations whose team this user manages (what they may give access to)."""
    scope = scope_for(user, Permission.MANAGE_TEAM, provider)
    if scope.is_empty:
        return Location.objects.none()
    locations = Location.objects.filter(provider=provider, registration_status="Registered")
    if not scope.whole_provider:
        locations = locations.filter(pk__any_of=scope.location_ids)
    return locations.order_by("name")


@dataclass
class ProviderSummary:
    """One of the user's providers: what they can do there, where, and through which roles."""

    provider: Provider
    roles: list[str]
    what: list[str]
    where: list[str]
    whole_provider: bool
    may_view_team: bool


def my_providers(user: Principal, mine: list[Provider] | None = None) -> list[ProviderSummary]:
    """A summary of each of providers_for(user) (`mine`, if the caller read them already)."""
    from portal.organisations.permissions import ALL_PERMISSIONS, describe_permissions

    summaries = []
    # Each summary not for the whole provider, and the locations it lists.
    located: list[tuple[ProviderSummary, list[str]]] = []
    for provider in providers_for(user) if mine is None else mine:
        access = provider_access(user, provider)
        if access is None:
            continue
        held: set[str] = {str(p) for p in ALL_PERMISSIONS if access.has_anywhere(p)}
        whole = all(access.scope_for(p).whole_provider for p in held)
        summary = ProviderSummary(
            provider=provider,
            roles=sorted(RoleType(role).label for role in access.roles),
            what=describe_permissions(held),
            where=[],
            whole_provider=whole,
            may_view_team=access.has_anywhere(Permission.VIEW_TEAM),
        )
        summaries.append(summary)
        if not whole:
            scoped: set[str] = set()
            for permission in held:
                scoped |= access.scope_for(permission).location_ids
            located.append((summary, [i for i in scoped if i in access.locations]))
    # The names in one query for all the providers (access keeps none).
    names = location_names(i for _, ids in located for i in ids)
    for summary, ids in located:
        summary.where = sorted(names[i] for i in ids)
    return summaries


def join_requests_to_decide(user: Principal, limit: int = 10) -> list[JoinRequest]:
    """Pending requests to join any provider whose team this user manages, oldest first
    (for their home page; one query whatever the number of providers)."""
    provider_ids = [
        provider_id
        for provider_id, access in access_for(user).items()
        if access.has_anywhere(Permission.MANAGE_TEAM)
    ]
    if not provider_ids:
        return []
    compiled = _JOIN_REQUESTS.get(limit)
    if compiled is None:
        compiled = _JOIN_REQUESTS[limit] = CompiledObjects(
            lambda provider_ids: _join_requests_at(provider_ids, limit),
            {"provider_ids": (frozenset({"-stand-in-1-"}), frozenset({"-stand-in-2-"}))},
            fields={"provider_ids": AnyOfIds()},  # type: ignore[dict-item]
        )
    return compiled.objects(JoinRequest.objects.db, provider_ids=frozenset(provider_ids))


def _join_requests_at(provider_ids: frozenset[str], limit: int) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(
            provider_id__any_of=provider_ids, status=JoinRequestStatus.PENDING
        )
        .select_related("user", "provider")
        .order_by("created_at", "pk")[:limit]
    )


# join_requests_to_decide's query for each limit, compiled once (every home page asks).
_JOIN_REQUESTS: dict[int, CompiledObjects] = {}


def join_requests_sent(user: Principal, limit: int = 10) -> list[JoinRequest]:
    """The user's own requests to join that are still waiting for a decision."""
    return list(
        JoinRequest.objects.filter(user_id=user.pk, status=JoinRequestStatus.PENDING)
        .select_related("provider")
        .order_by("created_at", "pk")[:limit]
    )
