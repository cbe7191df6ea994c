"""What a manager may give access to, for the forms that offer it (changing a member,
approving a request, inviting): the locations as the picker's tuples and the names of their
service types, each from SQL compiled once per shape. Built by the ORM on every request,
with a list of up to a thousand location IDs, these took longer than PostgreSQL's answer."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from portal.access import Principal
from portal.compiled_queries import CompiledRows
from portal.organisations.access import scope_for
from portal.organisations.permissions import Permission
from portal.register.id_lookups import AnyOfIds
from portal.register.location_picker import (
    OPTION_COLUMNS,
    LocationOption,
    offered_service_types,
    options_of_rows,
)
from portal.register.models import Location, Provider

_PROVIDER = ("-stand-in-1-", "-stand-in-2-")
_IDS = (frozenset({"-stand-in-3-"}), frozenset({"-stand-in-4-"}))


def _locations(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Location]:
    # As selectors.grantable_locations, for a scope given by its IDs (None: everywhere).
    locations = Location.objects.filter(provider=provider_id, registration_status="Registered")
    if location_ids is not None:
        locations = locations.filter(pk__any_of=location_ids)
    return locations.order_by("name")


def _options(locations: QuerySet[Location]) -> QuerySet[Any]:
    # location_picker.location_options' columns.
    return locations.values_list(*OPTION_COLUMNS)


def _type_names(locations: QuerySet[Location]) -> QuerySet[Any]:
    # location_picker.service_type_names' query.
    return offered_service_types(locations)


_ALL_OPTIONS = CompiledRows(lambda p: _options(_locations(p, None)), {"p": _PROVIDER})
_SOME_OPTIONS = CompiledRows(
    lambda p, ids: _options(_locations(p, ids)),
    {"p": _PROVIDER, "ids": _IDS},
    fields={"ids": AnyOfIds()},  # type: ignore[dict-item]
)
_ALL_TYPES = CompiledRows(lambda p: _type_names(_locations(p, None)), {"p": _PROVIDER})
_SOME_TYPES = CompiledRows(
    lambda p, ids: _type_names(_locations(p, ids)),
    {"p": _PROVIDER, "ids": _IDS},
    fields={"ids": AnyOfIds()},  # type: ignore[dict-item]
)


def grantable_options(
    user: Principal, provider: Provider
) -> tuple[list[LocationOption], Callable[[], list[str]]]:
    """The locations `user` may give access to at `provider` (location_options of
    selectors.grantable_locations), and how to read their service types' names in order
    (location_picker.service_type_names), read only if the page asks."""
    scope = scope_for(user, Permission.MANAGE_TEAM, provider)
    if scope.is_empty:
        return [], list
    if scope.whole_provider:
        rows = _ALL_OPTIONS.rows(p=provider.pk)
        return options_of_rows(rows), lambda: _names(_ALL_TYPES.rows(p=provider.pk))
    ids = scope.location_ids
    rows = _SOME_OPTIONS.rows(p=provider.pk, ids=ids)
    return options_of_rows(rows), lambda: _names(_SOME_TYPES.rows(p=provider.pk, ids=ids))


def _names(rows: list[tuple[Any, ...]]) -> list[str]:
    return sorted(name for (name,) in rows)
