"""Row queries whose SQL is compiled once per database (alias) and run again with other
values.

For a short query the ORM's cost is building the SQL (resolving joins and columns), not
PostgreSQL answering it, and the statement is the same on every call but for its values. So
the queryset is built twice with two sets of stand-in values; the positions where the
compiled parameters differ are where each call's values go. Anything else differing (the
SQL, or a parameter that is no stand-in's) means the shape depends on the values: such a
query is then run through the ORM every time. Rows come back through the converters Django
would apply (JSON, dates).

The SQL is kept per alias, not per connection: each thread has its own connection, and a
threaded race (twenty people pressing "get next" at once, each on a fresh connection) would
otherwise pay for building every statement again on each one. Only the converters, cheap to
look up, are kept per connection, since they are handed the connection they run on."""

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, QuerySet
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

# The values_list queryset for the given values (by name).
Build = Callable[..., QuerySet[Any]]


def _same(one: Any, two: Any) -> bool:
    """Equal values, or equal values in psycopg's wrappers (Jsonb has no __eq__)."""
    return type(one) is type(two) and getattr(one, "obj", one) == getattr(two, "obj", two)


@dataclass(frozen=True)
class _Compiled:
    query: Query
    sql: str
    params: tuple[Any, ...]
    slots: dict[int, str]  # parameter position -> value name
    columns: list[Any]  # the selected expressions, which say how each column converts


class CompiledRows:
    """`build(**values)` compiled once per alias; `rows(**values)` runs it."""

    def __init__(
        self,
        build: Build,
        stand_ins: Mapping[str, tuple[Any, Any]],
        fields: Mapping[str, Field[Any, Any]] | None = None,
    ) -> None:
        # Two distinct stand-ins per value, neither a real value; `fields` prepares the
        # values that the database sees in another form (a date on SQLite).
        self._build = build
        self._stand_ins = stand_ins
        self._fields = dict(fields or {})
        # Two threads compiling at once both store the same answer: no lock needed.
        self._by_alias: dict[str, _Compiled | None] = {}
        self._converting: weakref.WeakKeyDictionary[
            BaseDatabaseWrapper, tuple[SQLCompiler, dict[int, Any]]
        ] = weakref.WeakKeyDictionary()

    def _prepared(self, connection: BaseDatabaseWrapper, name: str, value: Any) -> Any:
        field = self._fields.get(name)
        return value if field is None else field.get_db_prep_value(value, connection)

    def _compile(self, connection: BaseDatabaseWrapper, alias: str) -> _Compiled | None:
        compiled = []
        for side in (0, 1):
            values = {name: pair[side] for name, pair in self._stand_ins.items()}
            compiler = self._build(**values).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            prepared = {name: self._prepared(connection, name, v) for name, v in values.items()}
            compiled.append((compiler, sql, tuple(params), prepared))
        (compiler, sql, params, first), (_, other_sql, other_params, second) = compiled
        if sql != other_sql or len(params) != len(other_params):
            return None
        slots: dict[int, str] = {}
        for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
            names = [n for n in first if _same(first[n], one) and _same(second[n], two)]
            if len(names) == 1:
                slots[position] = names[0]
            elif names or not _same(one, two):
                return None
        if set(slots.values()) != set(self._stand_ins):
            return None
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        return _Compiled(compiler.query, sql, params, slots, columns)

    def _converters(
        self, connection: BaseDatabaseWrapper, compiled: _Compiled
    ) -> tuple[SQLCompiler, dict[int, Any]]:
        if connection not in self._converting:
            compiler = compiled.query.get_compiler(connection=connection)
            self._converting[connection] = (compiler, compiler.get_converters(compiled.columns))
        return self._converting[connection]

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        connection = connections[using]
        if using not in self._by_alias:
            self._by_alias[using] = self._compile(connection, using)
        compiled = self._by_alias[using]
        if compiled is None:
            return [tuple(row) for row in self._build(**values).using(using)]
        params = list(compiled.params)
        for position, name in compiled.slots.items():
            params[position] = self._prepared(connection, name, values[name])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        compiler, converters = self._converters(connection, compiled)
        if not converters:
            return [tuple(row) for row in fetched]
        return [tuple(row) for row in compiler.apply_converters(fetched, converters)]
