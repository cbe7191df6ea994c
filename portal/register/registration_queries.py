""" "Your registration"'s reads that have the same statement for everyone but for their values,
compiled once (portal.compiled_queries) instead of built by the ORM on every request.

Building and compiling them took about a fifth of the page's CPU for a person with roles at
fourteen providers, more than PostgreSQL took to answer. Sets of IDs go as the one array
parameter `any_of` sends (PostgreSQL; elsewhere they are `IN` lists as long as the set, and
the ORM builds those queries each time). An empty set reads nothing, as the ORM's `__in=[]`
does, without asking the database."""

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from django.db.models import Count, F, IntegerField, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from portal.compiled_queries import CompiledObjects, CompiledRows
from portal.register.id_lookups import any_of_parameter
from portal.register.models import (
    ADDRESS_FIELDS,
    Condition,
    Location,
    Provider,
    RegistrationStatus,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    address_lines_of,
)


class ShownLocation(NamedTuple):
    """A location as "Your registration" lists it (LOCATION_FIELDS), read as values: a page
    of them for each of up to fourteen providers, where a model instance each cost more
    than reading them."""

    id: str
    provider_id: str
    name: str
    address_line_1: str
    address_line_2: str
    town_city: str
    county: str
    postal_code: str
    registration_status: str
    dormant: bool
    registered_manager_absent_date: dt.date | None
    number: int  # the location's place among its provider's, by name, from 1
    of: int  # how many of its provider's there are

    @property
    def is_registered(self) -> bool:
        return self.registration_status == RegistrationStatus.REGISTERED

    @property
    def address_lines(self) -> list[str]:
        return address_lines_of(
            self.address_line_1, self.address_line_2, self.town_city, self.county, self.postal_code
        )


class _Ids:
    """How a compiled query takes a set of IDs: the one parameter `any_of` sends."""

    @staticmethod
    def get_db_prep_value(value: Any, connection: Any) -> Any:
        return any_of_parameter(list(value))


# No person, provider or location has these; the days are stand-ins too.
_PEOPLE = (-918_273_661, -918_273_663)
_DAYS = (dt.date(1901, 3, 1), dt.date(1901, 3, 2))
_IDS = (("-stand-in-r1-",), ("-stand-in-r2-",))
_OTHER_IDS = (("-stand-in-r3-",), ("-stand-in-r4-",))  # a second set in one statement
_THIRD_IDS = (("-stand-in-r5-",), ("-stand-in-r6-",))
_FIRSTS = (-918_273_665, -918_273_667)  # row numbers
_LASTS = (-918_273_669, -918_273_671)
_DAY = RoleAssignment._meta.get_field("start_date")
_ROW_NUMBER: Any = IntegerField()  # as the ORM sends the numbers the rows are compared with
_AS_ARRAY: Any = _Ids()  # stands where compiled_queries expects a model field

# What "Your registration" shows of a role held by someone else, and of a condition.
HOLDER_FIELDS = (
    "role",
    "provider_id",
    "location_id",
    "person_id",
    "person__title",
    "person__given_name",
    "person__family_name",
)
CONDITION_FIELDS = (
    "text",
    "start_date",
    "provider_id",
    "location",
    "location__name",
    "manager",
    "manager__title",
    "manager__given_name",
    "manager__family_name",
    "activity",
    "activity__name",
)


# What "Your registration" shows of a location (the rest of its columns stay unread).
LOCATION_FIELDS = (
    "id",
    "provider_id",
    "name",
    *ADDRESS_FIELDS,
    "registration_status",
    "dormant",
    "registered_manager_absent_date",
)


def shown_locations(
    providers: Collection[str], whole: Collection[str], managed: Collection[str]
) -> QuerySet[Location]:
    """Of the providers' locations, every one of the `whole` providers' and the `managed`."""
    return Location.objects.filter(provider_id__any_of=providers).filter(
        Q(provider_id__any_of=whole) | Q(id__any_of=managed)
    )


def numbered_page(locations: QuerySet[Location], first: int, last: int) -> QuerySet[Any]:
    """Each provider's locations numbered by name (`number`) and counted (`of`), and of
    them those numbered after `first` up to `last`, by name."""
    return (
        locations.annotate(
            number=Window(RowNumber(), partition_by=[F("provider_id")], order_by=["name", "id"]),
            of=Window(Count("id"), partition_by=[F("provider_id")]),
        )
        .filter(number__gt=first, number__lte=last)
        .order_by("name", "id")
        .values_list(*LOCATION_FIELDS, "number", "of")
    )


def numbered_rows(rows: Iterable[tuple[Any, ...]]) -> list[ShownLocation]:
    """The rows of a `numbered_page` as the page lists them."""
    return [ShownLocation(*row) for row in rows]


def _location_page(
    providers: Collection[str],
    whole: Collection[str],
    managed: Collection[str],
    first: int,
    last: int,
) -> QuerySet[Any]:
    return numbered_page(shown_locations(providers, whole, managed), first, last)


def _own_roles(person_id: int, day: dt.date) -> QuerySet[Any]:
    return (
        RoleAssignment.objects.live(on=day)
        .filter(person_id=person_id)
        .order_by("provider__name", "location__name", "role")
        .values_list("role", "provider_id", "location_id", "location__name", "activity__name")
    )


def _providers(ids: Collection[str]) -> QuerySet[Any]:
    return Provider.objects.filter(id__any_of=ids)


def _provider_activities(ids: Collection[str]) -> QuerySet[Any]:
    return (
        Provider.activities.through.objects.filter(provider_id__any_of=ids)
        .order_by("regulatedactivity__name")
        .values_list("provider_id", "regulatedactivity_id", "regulatedactivity__name")
    )


def _location_activities(ids: Collection[str]) -> QuerySet[Any]:
    return (
        Location.activities.through.objects.filter(location_id__any_of=ids)
        .order_by("regulatedactivity__name")
        .values_list("location_id", "regulatedactivity__name")
    )


def _holders(
    day: dt.date, providers: Collection[str], locations: Collection[str] = ()
) -> QuerySet[Any]:
    """The live roles of the providers' own people, and the managers of `locations`."""
    which = Q(provider_id__any_of=providers, location__isnull=True)
    if locations:
        which |= Q(role=RoleType.REGISTERED_MANAGER, location__any_of=locations)
    return (
        RoleAssignment.objects.live(on=day)
        .filter(which)
        .order_by("role", "person__family_name", "id")
        .values_list(*HOLDER_FIELDS)
    )


def _conditions(day: dt.date, providers: Collection[str]) -> QuerySet[Any]:
    return (
        Condition.objects.in_force(day)
        .filter(provider_id__any_of=providers)
        .select_related("location", "manager", "activity")
        .only(*CONDITION_FIELDS)
        .order_by("start_date", "id")
    )


# Prepared (compiled_queries): PostgreSQL planning them took about as long as running them.
_OWN_ROLES = CompiledRows(
    _own_roles, {"person_id": _PEOPLE, "day": _DAYS}, {"day": _DAY}, prepared=True
)
_PROVIDERS = CompiledObjects(_providers, {"ids": _IDS}, {"ids": _AS_ARRAY}, prepared=True)
_PROVIDER_ACTIVITIES = CompiledRows(
    _provider_activities, {"ids": _IDS}, {"ids": _AS_ARRAY}, prepared=True
)
_LOCATION_ACTIVITIES = CompiledRows(
    _location_activities, {"ids": _IDS}, {"ids": _AS_ARRAY}, prepared=True
)
_PROVIDERS_PEOPLE = CompiledRows(
    _holders,
    {"day": _DAYS, "providers": _IDS},
    {"day": _DAY, "providers": _AS_ARRAY},
    prepared=True,
)
_PEOPLE_AND_MANAGERS = CompiledRows(
    _holders,
    {"day": _DAYS, "providers": _IDS, "locations": _OTHER_IDS},
    {"day": _DAY, "providers": _AS_ARRAY, "locations": _AS_ARRAY},
    prepared=True,
)
# Compiled with sets that are not empty: an empty one, given later, is an empty array and
# matches nothing, as the ORM's leaving out that part of the condition does.
_LOCATION_PAGE = CompiledRows(
    _location_page,
    {
        "providers": _IDS,
        "whole": _OTHER_IDS,
        "managed": _THIRD_IDS,
        "first": _FIRSTS,
        "last": _LASTS,
    },
    {
        "providers": _AS_ARRAY,
        "whole": _AS_ARRAY,
        "managed": _AS_ARRAY,
        "first": _ROW_NUMBER,
        "last": _ROW_NUMBER,
    },
    # Not prepared: with the managed IDs as a parameter PostgreSQL's generic plan searches
    # that array once per location of the provider (6 ms for a manager of 251 of 1,000),
    # where a planned constant array is hashed (0.6 ms).
)
_CONDITIONS = CompiledObjects(
    _conditions,
    {"day": _DAYS, "providers": _IDS},
    {"day": _DAY, "providers": _AS_ARRAY},
    prepared=True,
)


def own_roles(person_id: int, day: dt.date) -> list[tuple[Any, ...]]:
    """The person's live roles: (role, provider ID, location ID, location name, activity
    name), by provider name, location name and role."""
    return _OWN_ROLES.rows(RoleAssignment.objects.db, person_id=person_id, day=day)


def providers_with_activities(ids: Collection[str]) -> list[Provider]:
    """The providers, each with its activities read (`provider.activities.all()` asks
    nothing more), in no order."""
    if not ids:
        return []
    alias = Provider.objects.db
    providers: list[Provider] = _PROVIDERS.objects(alias, ids=ids)
    activities: dict[str, list[RegulatedActivity]] = {}
    for provider_id, code, name in _PROVIDER_ACTIVITIES.rows(alias, ids=ids):
        activities.setdefault(provider_id, []).append(
            RegulatedActivity.from_db(alias, ["code", "name"], (code, name))
        )
    for provider in providers:
        read = RegulatedActivity.objects.all()
        read._result_cache = activities.get(provider.pk, [])  # as a prefetch leaves it
        read._prefetch_done = True  # type: ignore[attr-defined]
        provider._prefetched_objects_cache = {"activities": read}  # type: ignore[attr-defined]
    return providers


def location_page(
    providers: Collection[str],
    whole: Collection[str],
    managed: Collection[str],
    first: int,
    last: int,
) -> list[ShownLocation]:
    """`numbered_page` of `shown_locations`."""
    if not providers:
        return []
    return numbered_rows(
        _LOCATION_PAGE.rows(
            Location.objects.db,
            providers=providers,
            whole=whole,
            managed=managed,
            first=first,
            last=last,
        )
    )


def location_activities(ids: Collection[str]) -> list[tuple[str, str]]:
    """(location ID, activity name) of each of these locations, by activity name."""
    if not ids:
        return []
    return _LOCATION_ACTIVITIES.rows(Location.objects.db, ids=ids)


def holders(
    day: dt.date, providers: Collection[str], locations: Collection[str]
) -> list[tuple[Any, ...]]:
    """The live roles (HOLDER_FIELDS) of the providers' own people (nominated and responsible
    individuals, partners) and of the managers of `locations`."""
    if not providers:
        return []
    alias = RoleAssignment.objects.db
    if not locations:
        return _PROVIDERS_PEOPLE.rows(alias, day=day, providers=providers)
    return _PEOPLE_AND_MANAGERS.rows(alias, day=day, providers=providers, locations=locations)


def conditions(day: dt.date, providers: Collection[str]) -> list[Condition]:
    """The providers' conditions in force, with what the page shows of each."""
    if not providers:
        return []
    return _CONDITIONS.objects(Condition.objects.db, day=day, providers=providers)
