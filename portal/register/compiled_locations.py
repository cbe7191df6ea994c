"""A location choice's reads from SQL compiled once per shape (portal.compiled_queries): the
picker's columns of a provider's locations and the names of their service types, for the
whole provider or for the locations given by their IDs. Built by the ORM on every request,
with a list of up to a thousand location IDs, these took longer than PostgreSQL's answer.

Each form says which locations count (`Locations`); what is read of them is written here."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from portal.compiled_queries import CompiledRows
from portal.register.id_lookups import AnyOfIds
from portal.register.location_picker import offered_service_types
from portal.register.models import Location

# The locations that count at a provider, in name order, for a scope given by its location
# IDs (None: the whole provider).
Locations = Callable[[str, frozenset[str] | None], QuerySet[Location]]

_PROVIDER = ("-stand-in-1-", "-stand-in-2-")
_IDS = (frozenset({"-stand-in-3-"}), frozenset({"-stand-in-4-"}))
# AnyOfIds is no Field, but prepares the IDs as one would (get_db_prep_value).
_IDS_FIELD: Any = {"ids": AnyOfIds()}


class CompiledLocations:
    """The `columns` of `locations` (rows for location_picker's options) and their service
    types' names (location_picker.service_type_names), each compiled for both scopes."""

    def __init__(self, locations: Locations, columns: Sequence[str]) -> None:
        self._all_rows = CompiledRows(
            lambda p: locations(p, None).values_list(*columns), {"p": _PROVIDER}
        )
        self._some_rows = CompiledRows(
            lambda p, ids: locations(p, ids).values_list(*columns),
            {"p": _PROVIDER, "ids": _IDS},
            fields=_IDS_FIELD,
        )
        self._all_types = CompiledRows(
            lambda p: offered_service_types(locations(p, None)), {"p": _PROVIDER}
        )
        self._some_types = CompiledRows(
            lambda p, ids: offered_service_types(locations(p, ids)),
            {"p": _PROVIDER, "ids": _IDS},
            fields=_IDS_FIELD,
        )

    @property
    def statements(self) -> tuple[CompiledRows, ...]:
        """Every compiled read, for tests that check each compiles."""
        return (self._all_rows, self._some_rows, self._all_types, self._some_types)

    def rows(self, provider_id: str, ids: frozenset[str] | None) -> list[tuple[Any, ...]]:
        if ids is None:
            return self._all_rows.rows(p=provider_id)
        return self._some_rows.rows(p=provider_id, ids=ids)

    def type_names(self, provider_id: str, ids: frozenset[str] | None) -> Callable[[], list[str]]:
        """How to read the service types' names in order, so that only a page that shows
        them pays for the query."""
        if ids is None:
            return lambda: _names(self._all_types.rows(p=provider_id))
        return lambda: _names(self._some_types.rows(p=provider_id, ids=ids))


def _names(rows: list[tuple[Any, ...]]) -> list[str]:
    return sorted(name for (name,) in rows)
