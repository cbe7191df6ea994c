"""Reads of the staff detail pages of the register: a provider, a location. Each is the same
query for every provider or location but for its ID, so it is built and compiled once
(portal.compiled_queries) and kept prepared: building them (a key lookup, a few small
many-to-many reads, the roles with their people) cost the ORM more than PostgreSQL spent
answering, about 3.5 ms of a provider's page and 5.5 ms of a location's."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from portal.compiled_queries import CompiledObjects
from portal.register.models import (
    Location,
    LocationRelationship,
    Provider,
    ProviderRelationship,
    RegulatedActivity,
    RoleAssignment,
    ServiceType,
    ServiceUserBand,
)

# No provider or location has these IDs, nor is any day these.
_PROVIDERS = ("-stand-in-detail-1-", "-stand-in-detail-2-")
_LOCATIONS = ("-stand-in-detail-3-", "-stand-in-detail-4-")
_DAYS = (dt.date(1901, 1, 1), dt.date(1902, 2, 2))
_DAY_FIELD = {"today": RoleAssignment._meta.get_field("start_date")}


@dataclass(frozen=True)
class ProviderDetail:
    provider: Provider
    activities: list[RegulatedActivity]
    relationships: list[ProviderRelationship]


@dataclass(frozen=True)
class LocationDetail:
    location: Location  # with its provider
    activities: list[RegulatedActivity]
    service_types: list[ServiceType]
    service_user_bands: list[ServiceUserBand]
    relationships: list[LocationRelationship]


def _compiled(build: Any, name: str, stand_ins: tuple[str, str]) -> CompiledObjects:
    return CompiledObjects(build, {name: stand_ins}, prepared=True)


def _rows_of(model: Any, field: str, key: str, *order: str) -> CompiledObjects:
    """`model`'s rows whose `field` is one provider's or location's ID (`key`: "provider_id"
    or "location_id"), in `order`, or in the model's own order when none is given."""

    def build(**values: str) -> QuerySet[Any]:
        rows = model.objects.filter(**{field: values[key]})
        return rows.order_by(*order) if order else rows

    return _compiled(build, key, {"provider_id": _PROVIDERS, "location_id": _LOCATIONS}[key])


# Each many-to-many read in its model's own order (by name, each name unique), as the
# prefetches these replace read them; relationships in the order they were recorded.
_PROVIDER = CompiledObjects.by_key(Provider.objects.all(), _PROVIDERS)
_PROVIDER_ACTIVITIES = _rows_of(RegulatedActivity, "providers", "provider_id")
_PROVIDER_LINKS = _rows_of(ProviderRelationship, "provider_id", "provider_id", "id")
_LOCATION = CompiledObjects.by_key(Location.objects.select_related("provider"), _LOCATIONS)
_LOCATION_ACTIVITIES = _rows_of(RegulatedActivity, "locations", "location_id")
_SERVICE_TYPES = _rows_of(ServiceType, "locations", "location_id")
_SERVICE_USER_BANDS = _rows_of(ServiceUserBand, "locations", "location_id")
_LOCATION_LINKS = _rows_of(LocationRelationship, "location_id", "location_id", "id")


def _provider_people_query(provider_id: str, today: dt.date) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.live(on=today)
        .filter(provider_id=provider_id, location__isnull=True)
        .select_related("person", "activity")
        .order_by("role", "person__family_name", "activity__code")
    )


def _location_roles_query(location_id: str) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(location_id=location_id)
        .select_related("person", "activity")
        .order_by("end_date", "person__family_name", "activity__code")
    )


_PROVIDER_PEOPLE = CompiledObjects(
    _provider_people_query,
    {"provider_id": _PROVIDERS, "today": _DAYS},
    _DAY_FIELD,
    prepared=True,
)
_LOCATION_ROLES = _compiled(_location_roles_query, "location_id", _LOCATIONS)


def provider_detail(provider_id: str) -> ProviderDetail | None:
    provider: Provider | None = _PROVIDER.one(provider_id)
    if provider is None:
        return None
    alias = Provider.objects.db
    return ProviderDetail(
        provider=provider,
        activities=_PROVIDER_ACTIVITIES.objects(alias, provider_id=provider.pk),
        relationships=_PROVIDER_LINKS.objects(alias, provider_id=provider.pk),
    )


def provider_people(provider: Provider) -> list[RoleAssignment]:
    """The provider's live roles held for the whole provider (not at a location)."""
    people: list[RoleAssignment] = _PROVIDER_PEOPLE.objects(
        RoleAssignment.objects.db, provider_id=provider.pk, today=timezone.localdate()
    )
    return people


def location_detail(location_id: str) -> LocationDetail | None:
    location: Location | None = _LOCATION.one(location_id)
    if location is None:
        return None
    alias = Location.objects.db
    return LocationDetail(
        location=location,
        activities=_LOCATION_ACTIVITIES.objects(alias, location_id=location.pk),
        service_types=_SERVICE_TYPES.objects(alias, location_id=location.pk),
        service_user_bands=_SERVICE_USER_BANDS.objects(alias, location_id=location.pk),
        relationships=_LOCATION_LINKS.objects(alias, location_id=location.pk),
    )


def location_roles(location: Location) -> list[RoleAssignment]:
    """Every role at the location, live or not, newest first: the history staff need."""
    roles: list[RoleAssignment] = _LOCATION_ROLES.objects(
        RoleAssignment.objects.db, location_id=location.pk
    )
    return roles
