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
look up, are kept per connection, since they are handed the connection they run on.

`prepared=True` (PostgreSQL, client-side binding: Django's default) also keeps the statement
prepared on each connection: sent once with `PREPARE`, then run as `EXECUTE name(values)`.
For a long statement read on every request (the access query) PostgreSQL then neither parses
nor plans it again, and psycopg, which re-parses every statement longer than 4,096
characters on the client, handles a line instead. The constants are written into the
prepared statement; only the named values travel. A prepared statement lasts as long as the
database session (a rollback does not undo it), so a connection, pooled or persistent,
prepares each statement once."""

import hashlib
import re
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # not stubbed
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
    # For a queryset of model instances: which columns make which instance (the compiler's
    # select and klass_info, as select_related laid them out); None for rows of values.
    select: list[Any]
    klass_info: dict[str, Any] | None
    annotations: dict[str, int]
    related: list[Any]  # how select_related's instances are made from a row


# A placeholder, or a percent sign escaped for the driver.
_PLACEHOLDER = re.compile(r"%[s%]")


@dataclass(frozen=True)
class _Statement:
    """A compiled query as a prepared statement: `PREPARE` it once per session, then
    `EXECUTE` it with the named values (in `order`) as its parameters."""

    name: str
    prepare: str  # escaped for the driver: it is sent with the first EXECUTE's values
    execute: str
    order: tuple[str, ...]


def _statement(connection: BaseDatabaseWrapper, compiled: _Compiled) -> _Statement:
    numbers: dict[str, int] = {}
    constants: list[Any] = []
    position = -1

    def placeholder(match: re.Match[str]) -> str:
        nonlocal position
        if match.group() == "%%":
            return "%%"
        position += 1
        name = compiled.slots.get(position)
        if name is None:
            constants.append(compiled.params[position])
            return "%s"
        return f"${numbers.setdefault(name, len(numbers) + 1)}"

    with_numbers = _PLACEHOLDER.sub(placeholder, compiled.sql)
    postgresql: Any = connection.ops  # compose_sql: PostgreSQL's, writes values as literals
    body = postgresql.compose_sql(with_numbers, constants)
    name = "portal_" + hashlib.sha256(body.encode()).hexdigest()[:20]
    values = ", ".join(["%s"] * len(numbers))
    return _Statement(
        name=name,
        prepare=f"PREPARE {name} AS {body}".replace("%", "%%"),
        execute=f"EXECUTE {name}({values})",
        order=tuple(numbers),
    )


# The statements prepared in each database session, by the driver's connection object (a
# new connection is a new session): True once prepared; False if preparing it failed, when
# it may or may not exist, so that session runs the plain statement instead.
_prepared_in: "weakref.WeakKeyDictionary[Any, dict[str, bool]]" = weakref.WeakKeyDictionary()


class CompiledRows:
    """`build(**values)` compiled once per alias; `rows(**values)` runs it."""

    def __init__(
        self,
        build: Build,
        stand_ins: Mapping[str, tuple[Any, Any]],
        fields: Mapping[str, Field[Any, Any]] | None = None,
        *,
        prepared: bool = False,
    ) -> None:
        # Two distinct stand-ins per value, neither a real value; `fields` prepares the
        # values that the database sees in another form (a date on SQLite).
        self._build = build
        self._stand_ins = stand_ins
        self._fields = dict(fields or {})
        self._keep_prepared = prepared
        self._statements: dict[str, _Statement] = {}
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
        return _Compiled(
            compiler.query,
            sql,
            params,
            slots,
            columns,
            compiler.select,
            compiler.klass_info,
            dict(compiler.annotation_col_map or {}),
            []
            if compiler.klass_info is None
            else get_related_populators(compiler.klass_info, compiler.select, alias),
        )

    def _converters(
        self, connection: BaseDatabaseWrapper, compiled: _Compiled
    ) -> tuple[SQLCompiler, dict[int, Any]]:
        if connection not in self._converting:
            compiler = compiled.query.get_compiler(connection=connection)
            self._converting[connection] = (compiler, compiler.get_converters(compiled.columns))
        return self._converting[connection]

    def _prepares_on(self, connection: BaseDatabaseWrapper) -> bool:
        # Server-side binding sends each statement with the extended protocol, which takes
        # one statement at a time (and psycopg prepares statements itself there).
        return (
            self._keep_prepared
            and connection.vendor == "postgresql"
            and not connection.settings_dict["OPTIONS"].get("server_side_binding")
        )

    def _execute(
        self,
        connection: BaseDatabaseWrapper,
        using: str,
        compiled: _Compiled,
        values: Mapping[str, Any],
    ) -> list[Any] | None:
        """The rows from the prepared statement (prepared first if need be), or None where
        this session cannot use it."""
        statement = self._statements.get(using)
        if statement is None:
            statement = self._statements[using] = _statement(connection, compiled)
        params = [self._prepared(connection, name, values[name]) for name in statement.order]
        with connection.cursor() as cursor:
            known = _prepared_in.setdefault(connection.connection, {})
            state = known.get(statement.name)
            if state is False:
                return None
            if state:
                cursor.execute(statement.execute, params)
                return cursor.fetchall()
            # One round trip (and one statement in the query log): PREPARE, then EXECUTE.
            known[statement.name] = False
            cursor.execute(f"{statement.prepare}; {statement.execute}", params)
            known[statement.name] = True
            cursor.nextset()
            return cursor.fetchall()

    def _compiled(self, using: str) -> _Compiled | None:
        if using not in self._by_alias:
            self._by_alias[using] = self._compile(connections[using], using)
        return self._by_alias[using]

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        compiled = self._compiled(using)
        if compiled is None:
            return [tuple(row) for row in self._build(**values).using(using)]
        return self._run(using, compiled, values)

    def _run(
        self, using: str, compiled: _Compiled, values: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        connection = connections[using]
        fetched = None
        if self._prepares_on(connection):
            fetched = self._execute(connection, using, compiled, values)
        if fetched is None:
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


class CompiledObjects(CompiledRows):
    """`build(**values)` a queryset of model instances (with any select_related), compiled
    once per alias; `objects(**values)` runs it and makes the instances as the ORM does.
    For a page's one object by its key (a draft, a notification, an application) building
    and compiling the query with its joins took several times as long as running it."""

    @classmethod
    def by_key(cls, queryset: QuerySet[Any], stand_ins: tuple[Any, Any]) -> "CompiledObjects":
        """`queryset`'s instance with a given primary key (`one(key)`), prepared. The
        stand-ins are two keys no row has."""
        primary_key = queryset.model._meta.pk
        assert primary_key is not None  # every concrete model has one

        def with_key(pk: Any) -> QuerySet[Any]:
            return queryset.order_by().filter(pk=pk)

        compiled = cls(with_key, {"pk": stand_ins}, fields={"pk": primary_key}, prepared=True)
        compiled._keyed = queryset
        return compiled

    _keyed: QuerySet[Any] | None = None  # by_key's queryset

    def one(self, key: Any) -> Any:
        """The instance with this primary key (a `by_key` query), or None."""
        assert self._keyed is not None, "one() is for by_key queries"
        found = self.objects(self._keyed.db, pk=key)
        return found[0] if found else None

    def objects(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[Any]:
        compiled = self._compiled(using)
        if compiled is None or compiled.klass_info is None:
            return list(self._build(**values).using(using))
        info = compiled.klass_info
        model = info["model"]
        first, last = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in compiled.select[first:last]]
        made = []
        for row in self._run(using, compiled, values):
            instance = model.from_db(using, names, row[first:last])
            for populator in compiled.related:
                populator.populate(row, instance)
            for name, position in compiled.annotations.items():
                setattr(instance, name, row[position])
            made.append(instance)
        return made
