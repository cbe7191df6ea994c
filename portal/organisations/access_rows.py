"""The one query compute_access reads (portal.organisations.access): a row per live role and
per location of each active membership, each carrying every column of its provider and
location.

It is the costliest query of a signed-in or API request to build: ~50 columns from four
tables in a UNION. So its SQL is compiled once per database connection and run again with
the principal's values put in the places the compiled parameters hold them (found by
compiling with stand-in values). Values converted from the database (JSON permissions,
dates) go through the same converters Django applies."""

import datetime as dt
import functools
import weakref
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, CharField, JSONField, Q, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from portal.organisations.models import Membership, MembershipStatus
from portal.register.models import Location, Provider, RoleAssignment

PROVIDER_FIELDS = [field.attname for field in Provider._meta.concrete_fields]
LOCATION_FIELDS = [field.attname for field in Location._meta.concrete_fields]

# Stand-ins compiled into the SQL where the principal's values go (none is a real value).
_USER, _PERSON, _DAY = -918_273_645, -918_273_646, dt.date(1901, 2, 3)


def live_role_q(today: dt.date) -> Q:
    """Dates only: a deregistered provider's roles still count, for the read-only period."""
    return Q(Q(start_date__isnull=True) | Q(start_date__lte=today)) & Q(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


@functools.cache
def _templates() -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The membership and role row queries without their filters. Columns: role, membership
    permissions, whole provider, the provider's fields, the location's (NULL if none)."""
    providers = [f"provider__{name}" for name in PROVIDER_FIELDS]
    # No ORDER BY: SQLite refuses one inside a UNION, and the order does not matter.
    membership_rows = Membership.objects.order_by().values_list(
        Value("", output_field=CharField()),
        "permissions",
        "whole_provider",
        *providers,
        *[f"locations__{name}" for name in LOCATION_FIELDS],
    )
    role_rows = RoleAssignment.objects.order_by().values_list(
        "role",
        Value(None, output_field=JSONField()),
        Value(False, output_field=BooleanField()),
        *providers,
        *[f"location__{name}" for name in LOCATION_FIELDS],
    )
    return membership_rows, role_rows


def _rows_query(user_id: Any, person_id: Any, today: dt.date) -> QuerySet[Any]:
    membership_template, role_template = _templates()
    rows = membership_template.filter(user_id=user_id, status=MembershipStatus.ACTIVE)
    if person_id is None:
        return rows
    roles = role_template.filter(live_role_q(today), person_id=person_id)
    return roles.union(rows, all=True)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: dict[int, str]  # parameter position -> "user", "person" or "day"
    converters: dict[int, Any]


_compiled: "weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[bool, _Compiled | None]]" = (
    weakref.WeakKeyDictionary()
)


def _compile(connection: BaseDatabaseWrapper, alias: str, roles: bool) -> _Compiled | None:
    query = _rows_query(_USER, _PERSON if roles else None, _DAY).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    day = RoleAssignment._meta.get_field("start_date").get_db_prep_value(_DAY, connection)
    stand_ins = {"user": _USER, "person": _PERSON, "day": day}
    slots = {
        position: name
        for position, param in enumerate(params)
        for name, stand_in in stand_ins.items()
        if type(param) is type(stand_in) and param == stand_in
    }
    expected = ["day", "day", "person", "user"] if roles else ["user"]
    if sorted(slots.values()) != expected:  # pragma: no cover - a Django change: run it as is
        return None
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return _Compiled(compiler, sql, tuple(params), slots, compiler.get_converters(fields))


def access_rows(user_id: Any, person_id: Any) -> list[tuple[Any, ...]]:
    """The rows of a user (and, for a registered person, of their roles)."""
    today = timezone.localdate()
    alias = Membership.objects.db
    connection = connections[alias]
    compiled_here = _compiled.setdefault(connection, {})
    roles = person_id is not None
    if roles not in compiled_here:
        compiled_here[roles] = _compile(connection, alias, roles)
    compiled = compiled_here[roles]
    if compiled is None:  # pragma: no cover - see _compile
        return list(_rows_query(user_id, person_id, today))
    day = RoleAssignment._meta.get_field("start_date").get_db_prep_value(today, connection)
    values = {"user": user_id, "person": person_id, "day": day}
    params = list(compiled.params)
    for position, name in compiled.slots.items():
        params[position] = values[name]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not compiled.converters:
        return [tuple(row) for row in rows]
    return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
