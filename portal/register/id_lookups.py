"""`field__any_of=ids`: the column is one of these IDs, sent as one parameter.

A scoped query for a registered manager of hundreds of locations used to list each location
ID as its own `%s` (`location_id IN (%s, %s, …)`): the SQL compiler built, and psycopg split
and quoted, a statement hundreds of placeholders long on every request, and the statement's
text changed with every scope. On PostgreSQL `any_of` sends the IDs as one array
(`location_id = ANY(%s)`), so the statement is the same short text for any number of
locations. Other databases (SQLite for `make run` and the demo) get the ordinary `IN`.

The array goes as its text (`{1-101,1-102,…}`), joined here at once, when every ID is plain
(letters, digits, `-`, `_`, `.`): psycopg would otherwise dump the list item by item in
Python (a regular expression and a few appends for each), which for a delegate's 500
locations was about a millisecond of every page. Any other ID sends the list for psycopg to
quote. Either way the statement is the same.

An empty list matches nothing, as `__in=[]` does.
"""

import functools
import re
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

# Array elements PostgreSQL reads as they are, unquoted: no delimiter, quote, brace,
# backslash or space, and not the word NULL (checked apart).
_PLAIN_IDS = re.compile(r"[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*")
_A_NULL = re.compile(r"(?:^|,)null(?:,|$)", re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def _array_text(ids: tuple[Any, ...]) -> str | None:
    """The text of a PostgreSQL array of these IDs, or None if one needs quoting. A page
    sends one scope's IDs in several queries: a delegate's 500 are joined and checked once
    (0.1 ms each time), then found by the tuple's hash. It depends on the IDs alone."""
    try:
        joined = ",".join(ids)
    except TypeError:  # not all text
        return None
    if joined.count(",") != len(ids) - 1:  # an ID with a comma in it
        return None
    if _PLAIN_IDS.fullmatch(joined) is None or _A_NULL.search(joined) is not None:
        return None
    return "{" + joined + "}"


def any_of_parameter(ids: list[Any]) -> str | list[Any]:
    """The one parameter `any_of` sends on PostgreSQL for these IDs: for SQL compiled once
    and run again with other IDs (portal/compiled_queries.py)."""
    return _array_text(tuple(ids)) or ids


class AnyOfIds:
    """How a compiled query (portal/compiled_queries.py) sees a set of IDs: as the one
    parameter `any_of` sends (PostgreSQL). Elsewhere the IDs are an `IN` list whose length
    varies, which does not compile once, so the ORM runs it."""

    @staticmethod
    def get_db_prep_value(value: frozenset[str], connection: Any) -> Any:
        return any_of_parameter(list(value))


class AnyOf(models.Lookup[Any]):
    lookup_name = "any_of"
    prepare_rhs = False
    # How PostgreSQL is asked, `{ids}` standing for the IDs as one array parameter.
    postgresql_test = "= ANY({ids})"

    def _ids(self) -> list[str]:
        ids = list(self.rhs)
        if not ids:
            raise EmptyResultSet
        return ids

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        ids = [field.get_db_prep_value(value, connection) for value in self._ids()]
        placeholders = ", ".join(["%s"] * len(ids))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *ids]

    def _array_type(self) -> str:
        """The array the IDs go as: text, or uuid for a foreign key to a UUID key (uuid and
        text do not compare)."""
        field = self.lhs.output_field
        target = getattr(field, "target_field", field)
        return "uuid[]" if isinstance(target, models.UUIDField) else "text[]"

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = any_of_parameter(self._ids())
        test = self.postgresql_test.format(ids=f"%s::{self._array_type()}")
        return f"{lhs} {test}", [*lhs_params, ids]


class AmongIds(AnyOf):
    """`field__among=ids`: as `any_of`, asked on PostgreSQL as `IN (SELECT unnest(%s))`.
    For a statement kept prepared: its generic plan hashes the array once, whereas
    `= ANY(%s)` with the array unknown at planning is searched element by element for every
    row (EXPLAIN ANALYZE: ten times slower for a delegate's 500 locations)."""

    lookup_name = "among"
    postgresql_test = "IN (SELECT unnest({ids}))"


def register() -> None:
    """Offer `any_of` and `among` on text columns and on foreign keys (to register IDs, or
    to a UUID key: the team page's members)."""
    for lookup in (AnyOf, AmongIds):
        models.CharField.register_lookup(lookup)
        models.ForeignKey.register_lookup(lookup)
