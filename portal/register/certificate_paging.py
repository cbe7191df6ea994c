"""The certificate's web page, its locations fifty at a time (the PDF lists every one).

A provider of a thousand locations made the page draw a thousand-row table (430 KB) and
build an entry for each location and each of its activities on every request: more than
half of the page's time. The page now reads one page of locations, searched by name, town,
postcode or ID, with their activities and managers; the provider's own people and every
condition of registration are read whole, as the certificate shows them. The statements are
the same for every provider and page but for their values: compiled once and prepared
(portal.compiled_queries), so PostgreSQL neither parses nor plans them again on each
request. A search is compiled and prepared too, its patterns made beforehand
(like_patterns)."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import Q, QuerySet
from django.db.models.functions import RowNumber
from django.utils import timezone

from portal.compiled_queries import CompiledObjects, CompiledRows
from portal.register.certificates import (
    LOCATION_FIELDS,
    ROLE_FIELDS,
    Certificate,
    CertificateLocation,
    CertifiedPlace,
    assemble_certificate,
    provider_activity_rows,
    registered_provider,
)
from portal.register.id_lookups import any_of_parameter
from portal.register.models import (
    Condition,
    Location,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
    address_lines_of,
)
from portal.register.selectors import (
    location_search_values,
    locations_matching,
    matching_locations,
)

LOCATIONS_PAGE_SIZE = 50
# The roles the certificate names at the provider (each location's managers aside).
PROVIDER_ROLES = (
    RoleType.NOMINATED_INDIVIDUAL,
    RoleType.RESPONSIBLE_INDIVIDUAL,
    RoleType.MAIN_PARTNER,
    RoleType.PARTNER,
)


@dataclass
class CertificatePage:
    """The certificate with one page of its locations (`certificate.locations`), and the
    conditions of every location, which the page lists whole."""

    certificate: Certificate
    location_conditions: list[CertificateLocation]
    matching: int  # locations matching the search (every registered one without a search)
    number: int
    search: str

    @property
    def first(self) -> int:
        return (self.number - 1) * LOCATIONS_PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.certificate.locations) - 1

    @property
    def is_paged(self) -> bool:
        """Whether the page says it lists part of the locations and offers the search."""
        return bool(self.search) or self.number > 1 or self.matching > LOCATIONS_PAGE_SIZE


class _Ids:
    """How a compiled query takes a set of IDs: the one parameter `any_of` sends."""

    @staticmethod
    def get_db_prep_value(value: Any, connection: Any) -> Any:
        return any_of_parameter(list(value))


# No provider or location has these; the days and row numbers are stand-ins too.
_PROVIDERS = ("-stand-in-cpage-1-", "-stand-in-cpage-2-")
_DAYS = (dt.date(1901, 4, 1), dt.date(1902, 5, 2))
_FIRSTS = (-700_001, -700_003)
_LASTS = (-700_002, -700_004)
_IDS = (("-stand-in-cpage-3-",), ("-stand-in-cpage-4-",))
_DAY = Condition._meta.get_field("start_date")
_AS_ARRAY: Any = _Ids()  # stands where compiled_queries expects a model field


def places_page_query(
    provider_id: str, after: int, through: int, search: str = ""
) -> QuerySet[Any]:
    """The registered locations numbered `after` + 1 to `through` in the table's order (name,
    then ID) among those matching `search`, each with how many match."""
    return _numbered(matching_locations(_registered(provider_id), search), after, through)


def places_search_query(
    provider_id: str,
    after: int,
    through: int,
    pattern: str,
    postcode_pattern: str,
    location_id: str,
) -> QuerySet[Any]:
    """`places_page_query` for a search, given as `location_search_values` makes it."""
    searched = locations_matching(_registered(provider_id), pattern, postcode_pattern, location_id)
    return _numbered(searched, after, through)


def _registered(provider_id: str) -> QuerySet[Location]:
    return Location.objects.filter(
        provider_id=provider_id, registration_status=RegistrationStatus.REGISTERED
    )


def _numbered(locations: QuerySet[Location], after: int, through: int) -> QuerySet[Any]:
    numbered = locations.annotate(
        number=models.Window(RowNumber(), order_by=["name", "id"]),
        matching=models.Window(models.Count("id")),
    )
    return (
        numbered.filter(number__gt=after, number__lte=through)
        .order_by("name", "id")
        .values_list(*LOCATION_FIELDS, "matching")
    )


def page_roles_query(provider_id: str, today: dt.date, locations: Collection[str]) -> QuerySet[Any]:
    """The provider's people the certificate names, and the managers of `locations`, in the
    order certificates.certificate_for reads every role."""
    return (
        RoleAssignment.objects.live(on=today)
        .filter(provider_id=provider_id)
        .filter(
            Q(role__in=PROVIDER_ROLES)
            | Q(role=RoleType.REGISTERED_MANAGER, location_id__any_of=locations)
        )
        .order_by("person__family_name", "person__given_name", "person_id", "location_id", "pk")
        .values_list(*ROLE_FIELDS)
    )


def page_links_query(locations: Collection[str]) -> QuerySet[Any]:
    """The activities of `locations`, by name, as certificate_for reads them."""
    return (
        Location.activities.through.objects.filter(location_id__any_of=locations)
        .order_by("regulatedactivity__name", "location_id", "regulatedactivity_id")
        .values_list("location_id", "regulatedactivity_id", "regulatedactivity__name")
    )


def conditions_query(provider_id: str, today: dt.date) -> QuerySet[Condition]:
    """Every condition in force, with the location each is on (for its heading)."""
    return (
        Condition.objects.in_force(today)
        .filter(provider_id=provider_id)
        .select_related("manager", "activity", "location")
        .order_by("start_date", "id")
    )


# Row numbers are compared as the window's integers (psycopg's Int4 on PostgreSQL).
_ROW_NUMBER: "models.IntegerField[int, int]" = models.IntegerField()
_PLACES_PAGE = CompiledRows(
    places_page_query,
    {"provider_id": _PROVIDERS, "after": _FIRSTS, "through": _LASTS},
    {"after": _ROW_NUMBER, "through": _ROW_NUMBER},
    prepared=True,
)
# A search, compiled and prepared too: building its SQL cost more than running it, and
# one provider's locations are read by the provider's index whatever is searched for (the
# generic plan is the planned one). PostgreSQL only: SQLite escapes the ID's comparison as
# it compiles it (a LIKE there), which a compiled value would skip.
_PLACES_SEARCH = CompiledRows(
    places_search_query,
    {
        "provider_id": _PROVIDERS,
        "after": _FIRSTS,
        "through": _LASTS,
        "pattern": ("-stand-in-cpage-5-", "-stand-in-cpage-6-"),
        "postcode_pattern": ("-stand-in-cpage-7-", "-stand-in-cpage-8-"),
        "location_id": ("-stand-in-cpage-9-", "-stand-in-cpage-10-"),
    },
    {"after": _ROW_NUMBER, "through": _ROW_NUMBER},
    prepared=True,
)
_ROLES = CompiledRows(
    page_roles_query,
    {"provider_id": _PROVIDERS, "today": _DAYS, "locations": _IDS},
    {"today": _DAY, "locations": _AS_ARRAY},
    prepared=True,
)
_LINKS = CompiledRows(
    page_links_query, {"locations": _IDS}, {"locations": _AS_ARRAY}, prepared=True
)
_CONDITIONS = CompiledObjects(
    conditions_query,
    {"provider_id": _PROVIDERS, "today": _DAYS},
    {"today": _DAY},
    prepared=True,
)


def _places(provider_id: str, after: int, through: int, search: str) -> list[tuple[Any, ...]]:
    alias = Location.objects.db
    if not search:
        return _PLACES_PAGE.rows(alias, provider_id=provider_id, after=after, through=through)
    if connections[alias].vendor != "postgresql":
        return list(places_page_query(provider_id, after, through, search))
    searched = location_search_values(search)
    return _PLACES_SEARCH.rows(
        alias, provider_id=provider_id, after=after, through=through, **searched
    )


def _conditions_by_location(conditions: list[Condition]) -> list[CertificateLocation]:
    """The registered locations with conditions of their own, in the table's order, each
    with its conditions (in the order read), as certificate_for puts them on its entries."""
    by_location: dict[str, CertificateLocation] = {}
    for condition in conditions:
        location = condition.location
        if condition.manager_id is not None and condition.manager is not None:
            continue  # on a manager's registration
        if location is None or location.registration_status != RegistrationStatus.REGISTERED:
            continue
        entry = by_location.get(location.pk)
        if entry is None:
            address = address_lines_of(
                location.address_line_1,
                location.address_line_2,
                location.town_city,
                location.county,
                location.postal_code,
            )
            place = CertifiedPlace(location.pk, location.name, address)
            entry = by_location[location.pk] = CertificateLocation(place, [])
        entry.conditions.append(condition)
    return sorted(by_location.values(), key=lambda entry: (entry.location.name, entry.location.id))


def certificate_page_for(
    provider_id: str, *, search: str = "", number: int = 1
) -> CertificatePage | None:
    """Page `number` of the certificate's locations matching `search` (None for a provider
    not registered, as certificate_for)."""
    provider = registered_provider(provider_id)
    if provider is None:
        return None
    today = timezone.localdate()
    alias = Location.objects.db
    after = (number - 1) * LOCATIONS_PAGE_SIZE
    rows = _places(provider.pk, after, after + LOCATIONS_PAGE_SIZE, search)
    shown = [row[0] for row in rows]
    conditions: list[Condition] = _CONDITIONS.objects(alias, provider_id=provider.pk, today=today)
    certificate = assemble_certificate(
        provider,
        today,
        place_rows=[row[:-1] for row in rows],
        role_rows=_ROLES.rows(alias, provider_id=provider.pk, today=today, locations=shown),
        link_rows=_LINKS.rows(alias, locations=shown),
        conditions=conditions,
        activity_rows=provider_activity_rows(provider.pk),
    )
    return CertificatePage(
        certificate=certificate,
        location_conditions=_conditions_by_location(conditions),
        matching=rows[0][-1] if rows else 0,
        number=number,
        search=search,
    )
