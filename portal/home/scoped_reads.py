"""The home page's reads scoped by a notification permission (open drafts, open questions,
what is owed), each compiled once for each shape of scope rather than built on every visit:
building and compiling the three took longer than PostgreSQL took to answer them.

A scope's shape is how many providers it holds whole (an `IN` list, a parameter each) and
whether it holds single locations (one parameter: `any_of`'s array on PostgreSQL). Where the
SQL does not compile once (SQLite's `IN` list of locations) the ORM runs it, as before."""

from collections.abc import Callable, Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS

from portal.compiled_queries import CompiledObjects
from portal.notifications.permissions import NotifierScope
from portal.register.id_lookups import any_of_parameter


class _LocationIds:
    """How the compiled query sees the scope's locations: as the one parameter `any_of`
    sends."""

    @staticmethod
    def get_db_prep_value(value: tuple[str, ...], connection: Any) -> Any:
        return any_of_parameter(list(value))


class _Sorted(frozenset[str]):
    """Providers held whole, in the same order in both builds of the compiled query: a
    frozenset's order follows the strings' hashes, so each set of stand-ins could list its
    providers in another order, and no position of the `IN` list would be one value's."""

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(super().__iter__()))


class ScopedObjects:
    """`read(scope)`: `list(build(scope))`, through SQL compiled once per shape of scope."""

    def __init__(self, build: Callable[[NotifierScope], Any]) -> None:
        self._build = build
        self._by_shape: dict[tuple[int, bool], CompiledObjects] = {}

    def read(self, scope: NotifierScope, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        if scope.is_empty:
            return []  # as the ORM answers a scope holding nothing: no rows, no query
        whole = sorted(scope.whole_providers)
        shape = (len(whole), bool(scope.locations))
        compiled = self._by_shape.get(shape)
        if compiled is None:
            compiled = self._by_shape[shape] = self._compiled(*shape)
        values: dict[str, Any] = {f"whole{i}": provider_id for i, provider_id in enumerate(whole)}
        if scope.locations:
            values["locations"] = tuple(scope.locations)
        return compiled.objects(using, **values)

    def _compiled(self, whole: int, located: bool) -> CompiledObjects:
        # Two stand-ins for each value, no provider's or location's ID.
        stand_ins: dict[str, tuple[Any, Any]] = {
            f"whole{i}": (f"-stand-in-{i}-a-", f"-stand-in-{i}-b-") for i in range(whole)
        }
        fields: dict[str, Any] = {}
        if located:
            stand_ins["locations"] = (("-stand-in-a-",), ("-stand-in-b-",))
            fields["locations"] = _LocationIds()

        def build(**values: Any) -> Any:
            held = _Sorted(values[f"whole{i}"] for i in range(whole))
            # filter_q reads only the locations' IDs (the keys), not their providers.
            at = dict.fromkeys(values.get("locations", ()), "")
            return self._build(NotifierScope(whole_providers=held, locations=at))

        return CompiledObjects(build, stand_ins, fields)
