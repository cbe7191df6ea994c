"""`field__any_of=ids`: the column is one of these IDs, sent as one parameter.

A scoped query for a registered manager of hundreds of locations used to list each location
ID as its own `%s` (`location_id IN (%s, %s, …)`): the SQL compiler built, and psycopg split
and quoted, a statement hundreds of placeholders long on every request, and the statement's
text changed with every scope. On PostgreSQL `any_of` sends the IDs as one array
(`location_id = ANY(%s)`), so the statement is the same short text for any number of
locations. Other databases (SQLite for `make run` and the demo) get the ordinary `IN`.

An empty list matches nothing, as `__in=[]` does.
"""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(models.Lookup[Any]):
    lookup_name = "any_of"
    prepare_rhs = False

    def _ids(self) -> list[str]:
        ids = list(self.rhs)
        if not ids:
            raise EmptyResultSet
        return ids

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self._ids()
        placeholders = ", ".join(["%s"] * len(ids))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *ids]

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::text[])", [*lhs_params, self._ids()]


def register() -> None:
    """Offer `any_of` on text columns and on foreign keys to them (register IDs)."""
    models.CharField.register_lookup(AnyOf)
    models.ForeignKey.register_lookup(AnyOf)
