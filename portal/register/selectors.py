"""Reads of the register. Accounts use `people_holding_email` to decide who may sign up."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Replace
from django.utils import timezone

from portal.compiled_queries import CompiledObjects
from portal.emails.addresses import normalise_email
from portal.register import registration_queries
from portal.register.like_patterns import contains_pattern
from portal.register.models import (
    SIGN_UP_ROLES,
    Condition,
    Location,
    NamedPeople,
    Person,
    Provider,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
)
from portal.register.registration_queries import ShownLocation

PERSON_REF_PATTERN = re.compile(r"P\d{6,10}")


# Most provider-side pages name a provider; its read is compiled once (no ID looks like these).
_PROVIDER = CompiledObjects.by_key(Provider.objects.all(), ("-stand-in-1-", "-stand-in-2-"))


def provider_by_id(provider_id: str) -> Provider | None:
    """The provider with this ID, or None."""
    provider: Provider | None = _PROVIDER.one(provider_id)
    return provider


@dataclass(frozen=True)
class PersonWithRoles:
    person: Person
    live_roles: list[RoleAssignment]

    @property
    def sign_up_roles(self) -> list[RoleAssignment]:
        return [role for role in self.live_roles if role.role in SIGN_UP_ROLES]


def live_roles_for(person: Person) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.live()
        .filter(person=person)
        .select_related("provider", "location", "activity")
        .order_by("provider__name", "location__name", "role")
    )


def people_holding_email(email: str) -> list[PersonWithRoles]:
    """Every person the register holds this email for, each with their live roles."""
    normalised = normalise_email(email)
    live = RoleAssignment.objects.live().select_related("provider", "location", "activity")
    people = Person.objects.filter(email=normalised).prefetch_related(
        Prefetch("roles", queryset=live, to_attr="live_role_list")
    )
    return [PersonWithRoles(person=p, live_roles=list(p.live_role_list)) for p in people]


# --- "Your registration": what a registered person sees --------------------------------------

PROVIDER_ROLES = frozenset(
    {
        RoleType.NOMINATED_INDIVIDUAL,
        RoleType.RESPONSIBLE_INDIVIDUAL,
        RoleType.MAIN_PARTNER,
        RoleType.PARTNER,
    }
)


_ROLE_LABELS: dict[str, str] = dict(RoleType.choices)


@dataclass
class LocationView:
    location: ShownLocation
    managers: list[Person]
    activities: list[str]  # names, in name order


@dataclass(frozen=True)
class HeldRole:
    """One of the person's own live roles, as "Your registration" names it: read as plain
    values (a registered manager of hundreds of locations holds a role at each)."""

    role: str
    provider_id: str
    location_id: str | None
    location_name: str | None
    activity_name: str | None


@dataclass
class ProviderRegistration:
    provider: Provider
    your_roles: list[HeldRole]
    locations: list[LocationView]
    nominated_individuals: list[Person]
    partners: list["HeldBy"]
    responsible_individuals: list[Person]
    # Conditions in force that the person may see: all of them for a provider-level role;
    # for a manager, the provider's own, their locations' and their own registration's.
    conditions: list[Condition] = field(default_factory=list)
    # The page of locations shown, and how many locations match (all of them unsearched).
    location_count: int = 0
    location_page: int = 1
    # The provider's regulated activities, by name (read with the provider).
    activities: list[RegulatedActivity] = field(default_factory=list)

    @property
    def location_pages(self) -> int:
        return max(1, -(-self.location_count // LOCATIONS_PAGE_SIZE))

    @property
    def role_summaries(self) -> list[str]:
        """Each role once, with its activities: "Nominated individual (personal care)"."""
        grouped: dict[tuple[str, str], list[str]] = {}
        for role in self.your_roles:
            where = f" at {role.location_name}" if role.location_id else ""
            activities = grouped.setdefault((_ROLE_LABELS.get(role.role, role.role), where), [])
            if role.activity_name is not None:
                activities.append(role.activity_name.lower())
        return [
            f"{label}{where}" + (f" ({', '.join(activities)})" if activities else "")
            for (label, where), activities in grouped.items()
        ]

    @property
    def sees_whole_provider(self) -> bool:
        return any(role.role in PROVIDER_ROLES for role in self.your_roles)


class HeldBy(NamedTuple):
    """A live role as the page shows it: who holds it (a name, made once per person)."""

    role: str
    provider_id: str
    location_id: str | None
    person: Person

    @property
    def label(self) -> str:
        return _ROLE_LABELS.get(self.role, self.role)


def _people_in_roles(rows: list[tuple[Any, ...]]) -> list[HeldBy]:
    """Live roles as read (registration_queries.holders), each holder made once: the page
    shows only each holder's name."""
    people = NamedPeople()
    return [
        HeldBy(role, provider_id, location_id, people.named(*name))
        for role, provider_id, location_id, *name in rows
    ]


def _unique_people(roles: Iterable[HeldBy]) -> list[Person]:
    people: dict[int, Person] = {}
    for role in roles:
        people.setdefault(role.person.pk, role.person)
    return sorted(people.values(), key=lambda person: (person.family_name, person.given_name))


LOCATIONS_PAGE_SIZE = 25


def matching_locations(locations: QuerySet[Location], search: str) -> QuerySet[Location]:
    """Of `locations`, those whose name or town contains `search`, or whose postcode
    (spaces ignored) or ID matches it; all of them for an empty search."""
    if not search:
        return locations
    return locations_matching(locations, **location_search_values(search))


def location_search_values(search: str) -> dict[str, str]:
    """What `locations_matching` compares with, for a search."""
    return {
        "pattern": contains_pattern(search),
        "postcode_pattern": contains_pattern("".join(search.split()).upper()),
        "location_id": search.strip(),
    }


def locations_matching(
    locations: QuerySet[Location], pattern: str, postcode_pattern: str, location_id: str
) -> QuerySet[Location]:
    """Of `locations`, those whose name or town matches `pattern`, or whose postcode (spaces
    taken out) matches `postcode_pattern` (LIKE patterns, any case), or whose ID is
    `location_id` in any case: the values of `location_search_values`, apart so that a
    compiled query can take them."""
    return locations.annotate(
        postcode_squashed=Replace(models.F("postal_code"), Value(" "), Value(""))
    ).filter(
        Q(name__icontains_pattern=pattern)
        | Q(town_city__icontains_pattern=pattern)
        | Q(postcode_squashed__icontains_pattern=postcode_pattern)
        | Q(id__iexact=location_id)
    )


def _activities_of(location_ids: list[str]) -> dict[str, list[str]]:
    """The regulated activities' names of each of a page of locations, as plain values."""
    names: dict[str, list[str]] = {}
    for location_id, name in registration_queries.location_activities(location_ids):
        names.setdefault(location_id, []).append(name)
    return names


def registration_for(
    person: Person, *, location_search: str = "", page: int = 1
) -> list[ProviderRegistration]:
    """Each provider the person holds a live role at, with what they may see of it: the whole
    provider for provider-level roles, their own locations for a registered manager. Of each
    provider's locations, those matching `location_search`, one page of them.

    A fixed number of queries whatever the size of the providers."""
    # A registered manager of hundreds of locations holds a role at each: only what the page
    # shows of them, as values (the provider comes from its own query, once).
    today = timezone.localdate()
    own_roles = [HeldRole(*row) for row in registration_queries.own_roles(person.pk, today)]
    if not own_roles:
        return []
    provider_ids = {role.provider_id for role in own_roles}
    whole = {role.provider_id for role in own_roles if role.role in PROVIDER_ROLES}
    managed = {role.location_id for role in own_roles if role.location_id}
    providers = registration_queries.providers_with_activities(sorted(provider_ids))
    # One page per provider, numbered within each provider, with each provider's count, in
    # one query (compiled once when unsearched).
    first = (page - 1) * LOCATIONS_PAGE_SIZE
    last = first + LOCATIONS_PAGE_SIZE
    shown_at = sorted(provider_ids), sorted(whole), sorted(managed)
    if location_search:
        location_list = registration_queries.numbered_rows(
            registration_queries.numbered_page(
                matching_locations(
                    registration_queries.shown_locations(*shown_at), location_search
                ),
                first,
                last,
            )
        )
    else:
        location_list = registration_queries.location_page(*shown_at, first, last)
    activities = _activities_of([loc.id for loc in location_list])
    counts = {loc.provider_id: loc.of for loc in location_list}
    # The locations' managers and the providers' own people, in one query.
    roles_shown = _people_in_roles(
        registration_queries.holders(today, sorted(provider_ids), [loc.id for loc in location_list])
    )
    managers_by_location: dict[str, list[HeldBy]] = {}
    by_provider: dict[str, list[HeldBy]] = {}
    for role in roles_shown:
        if role.location_id is None:
            by_provider.setdefault(role.provider_id, []).append(role)
        elif role.role == RoleType.REGISTERED_MANAGER:
            managers_by_location.setdefault(str(role.location_id), []).append(role)
    conditions_by_provider: dict[str, list[Condition]] = {}
    for condition in registration_queries.conditions(today, sorted(provider_ids)):
        visible = (
            condition.provider_id in whole
            or condition.manager_id == person.pk
            or (condition.manager_id is None and condition.location_id in managed)
            or (condition.manager_id is None and condition.location_id is None)
        )
        if visible:
            conditions_by_provider.setdefault(condition.provider_id, []).append(condition)
    result = []
    for provider in sorted(providers, key=lambda p: p.name):
        roles_here = by_provider.get(provider.id, [])
        result.append(
            ProviderRegistration(
                provider=provider,
                your_roles=[role for role in own_roles if role.provider_id == provider.id],
                locations=[
                    LocationView(
                        loc,
                        _unique_people(managers_by_location.get(loc.id, [])),
                        activities.get(loc.id, []),
                    )
                    for loc in location_list
                    if loc.provider_id == provider.id
                ],
                nominated_individuals=_unique_people(
                    r for r in roles_here if r.role == RoleType.NOMINATED_INDIVIDUAL
                ),
                partners=[
                    r for r in roles_here if r.role in (RoleType.MAIN_PARTNER, RoleType.PARTNER)
                ],
                responsible_individuals=_unique_people(
                    r for r in roles_here if r.role == RoleType.RESPONSIBLE_INDIVIDUAL
                ),
                conditions=conditions_by_provider.get(provider.id, []),
                location_count=counts.get(provider.id, 0),
                location_page=page,
                activities=list(provider.activities.all()),
            )
        )
    return result


# --- regulator staff: search and detail ------------------------------------------------------


class SearchKind(models.TextChoices):
    LOCATIONS = "locations", "Locations"
    PROVIDERS = "providers", "Providers"
    PEOPLE = "people", "People"


def _postcode(text: str) -> str:
    return "".join(text.split()).upper()


# Up to this many matches PostgreSQL sorts those the search indexes (register migration 0002)
# found; beyond it, matches are common enough that reading the name index in order finds a
# page of them at once, where sorting them all took 70-100 ms ("Care" among 30,000 names).
SORTED_MATCHES = 2_000


class SearchMatches:
    """A search's matches for a Paginator, in name order (then ID): counted first, then the
    page read in the way that suits how many there are. Ordered by the name column itself,
    with a page's LIMIT, PostgreSQL read the name index from A onwards until it had a page
    of matches (60,000 locations to find the 1,000 named "Sunrise …"), so a few matches are
    ordered by an expression of the name that no index gives, and sorted."""

    def __init__(self, matches: QuerySet[Any]) -> None:
        self._matches = matches
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._matches.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> QuerySet[Any]:
        if self.count() > SORTED_MATCHES:
            return self._matches.order_by("name", "id")[page]
        # The same order: `name` is never null.
        return self._matches.order_by(Coalesce("name", Value("")), "id")[page]


def search_register(query: str, kind: str) -> SearchMatches | QuerySet[Any]:
    """Matches for a staff search: an exact ID, a name containing the words, a postcode."""
    text = " ".join(query.split())
    upper = text.upper()
    if kind == SearchKind.PROVIDERS:
        providers = Provider.objects.annotate(
            compact_postcode=Replace("postal_code", Value(" "), Value(""))
        ).filter(
            Q(id=upper) | Q(name__icontains=text) | Q(compact_postcode__startswith=_postcode(text))
        )
        return SearchMatches(providers)
    if kind == SearchKind.PEOPLE:
        people = Person.objects.all()
        for word in text.split()[:5]:
            people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
        if PERSON_REF_PATTERN.fullmatch(upper):
            people = Person.objects.filter(person_ref=upper)
        elif "@" in text:
            people = Person.objects.filter(email=normalise_email(text))
        live = RoleAssignment.objects.live().select_related("provider", "location")
        return people.prefetch_related(
            Prefetch("roles", queryset=live, to_attr="live_role_list")
        ).order_by("family_name", "given_name", "id")
    locations = Location.objects.annotate(
        compact_postcode=Replace("postal_code", Value(" "), Value(""))
    ).filter(
        Q(id__startswith=upper)
        | Q(provider_id=upper)
        | Q(name__icontains=text)
        | Q(compact_postcode__startswith=_postcode(text))
    )
    # The page's providers in a second query: joined, PostgreSQL read every provider to
    # sort the matches before taking a page of them.
    return SearchMatches(locations.prefetch_related("provider"))


def provider_locations(provider: Provider) -> QuerySet[Location]:
    return provider.locations.order_by("name", "id")
