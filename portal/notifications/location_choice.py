"""The locations a user may choose for a new notification, for the location choice: the
picker's options with their addresses and the names of their service types, each from SQL
compiled once per shape. Built by the ORM on every request, these took a fifth of the page
(the service types' nested subqueries most)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from portal.access import Principal
from portal.compiled_queries import CompiledRows
from portal.notifications.permissions import DRAFT, scope_for
from portal.register.id_lookups import AnyOfIds
from portal.register.location_picker import (
    ADDRESS_COLUMNS,
    LocationOption,
    offered_service_types,
    options_and_addresses,
)
from portal.register.models import Location, Provider

_PROVIDER = ("-stand-in-1-", "-stand-in-2-")
_IDS = (frozenset({"-stand-in-3-"}), frozenset({"-stand-in-4-"}))


def _locations(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Location]:
    # As permissions.locations_user_can_notify_for, for a scope given by its IDs (None: the
    # whole provider).
    locations = Location.objects.filter(provider=provider_id).exclude(
        registration_status="Deregistered"
    )
    if location_ids is not None:
        locations = locations.filter(pk__any_of=location_ids)
    return locations.order_by("name")


def _type_names(locations: QuerySet[Location]) -> QuerySet[Any]:
    # location_picker.service_type_names' query.
    return offered_service_types(locations)


_IDS_FIELD: Any = {"ids": AnyOfIds()}
_ALL_ROWS = CompiledRows(
    lambda p: _locations(p, None).values_list(*ADDRESS_COLUMNS), {"p": _PROVIDER}
)
_SOME_ROWS = CompiledRows(
    lambda p, ids: _locations(p, ids).values_list(*ADDRESS_COLUMNS),
    {"p": _PROVIDER, "ids": _IDS},
    fields=_IDS_FIELD,
)
_ALL_TYPES = CompiledRows(lambda p: _type_names(_locations(p, None)), {"p": _PROVIDER})
_SOME_TYPES = CompiledRows(
    lambda p, ids: _type_names(_locations(p, ids)),
    {"p": _PROVIDER, "ids": _IDS},
    fields=_IDS_FIELD,
)


@dataclass(frozen=True)
class LocationChoice:
    """What the location choice offers: the options in name order, each one's address where
    radios show it (location_picker.options_with_addresses), and how to read the service
    types' names in order, read only if the page asks (location_picker.service_type_names)."""

    options: list[LocationOption]
    addresses: dict[str, str]
    type_names: Callable[[], list[str]]


def notifiable_locations(user: Principal | None, provider: Provider) -> LocationChoice:
    """The locations of `provider` that `user` may notify about
    (permissions.locations_user_can_notify_for), as the location choice offers them."""
    scope = scope_for(user, DRAFT)
    if provider.pk in scope.whole_providers:
        rows = _ALL_ROWS.rows(p=provider.pk)
        names = _names_of(_ALL_TYPES, p=provider.pk)
    else:
        ids = frozenset(scope.locations)
        rows = _SOME_ROWS.rows(p=provider.pk, ids=ids)
        names = _names_of(_SOME_TYPES, p=provider.pk, ids=ids)
    options, addresses = options_and_addresses(rows)
    return LocationChoice(options, addresses, names)


def _names_of(query: CompiledRows, **values: Any) -> Callable[[], list[str]]:
    return lambda: sorted(name for (name,) in query.rows(**values))
