"""The one query compute_access reads (portal.organisations.access): a row per live role but
a registered manager's, one per provider where the person manages locations, and one per
active membership. Each row carries its provider's id; the provider's other columns come on
its first row of each branch only (NULL on the rest): every column of every row is parsed on
every request. For the same reason no column needs Django's converters on PostgreSQL (running
them costs a Python call per row): a membership's permissions come as their JSON text, which
compute_access decodes once for all the rows that repeat it.

It is the costliest query of a signed-in or API request to build: ~30 columns from four
tables in a UNION. So its SQL is compiled once per database and run again with
the principal's values (portal.compiled_queries).

The locations of a membership, and those a manager manages at a provider, come on that one
row in its last two columns: their ids as a JSON array, read from the membership's or the
roles' own rows (no location is joined), and the deregistered ones among them as a JSON array
of [id, registration status, deregistration date, updated at] (`updated_at` only where it
has no deregistration date), NULL where none is. A manager of hundreds of locations or a
delegate at hundreds is then a row, not hundreds: parsing JSON text is a C loop where a row
is Python calls. Registration is all access reads of a location (never its name), and only a
deregistered one limits access, so only those are joined, through a partial index of the
deregistered locations: a delegate at 514 locations cost 1.1 ms of PostgreSQL time a request
when each was probed and built into JSON."""

import datetime as dt
from typing import Any, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.db.models.lookups import Exact
from django.utils import timezone

from portal.compiled_queries import CompiledRows
from portal.organisations.models import Membership, MembershipStatus
from portal.register.models import (
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)

PROVIDER_FIELDS = [field.attname for field in Provider._meta.concrete_fields]
_PROVIDER_ID = Provider._meta.pk.attname


class LocationState(NamedTuple):
    """What access keeps of a location: its registration (the dates only where access
    reads them: see the module's note)."""

    registration_status: str
    deregistration_date: dt.date | None
    updated_at: dt.datetime | None


class ProviderSource:
    """A provider as the access rows carry it: its columns, made a model instance only when
    something asks for one. Most pages want none (the navigation reads names, access reads
    the registration), and a person acting for 14 providers paid for 14 instances a page."""

    __slots__ = (
        "_database",
        "_made",
        "_row",
        "deregistration_date",
        "name",
        "pk",
        "registration_status",
        "updated_at",
    )

    def __init__(self, database: str, row: tuple[Any, ...]) -> None:
        self._database, self._row, self._made = database, row, None
        self.pk: str = row[_PROVIDER_PK]
        self.name: str = row[_PROVIDER_NAME]
        self.registration_status: str = row[_PROVIDER_STATUS]
        self.deregistration_date: dt.date | None = row[_PROVIDER_DEREGISTERED]
        self.updated_at: dt.datetime | None = row[_PROVIDER_UPDATED]

    @property
    def provider(self) -> Provider:
        if self._made is None:
            self._made = Provider.from_db(self._database, PROVIDER_FIELDS, self._row)
        return self._made


_PROVIDER_PK = PROVIDER_FIELDS.index(Provider._meta.pk.attname)
_PROVIDER_NAME = PROVIDER_FIELDS.index("name")  # never NULL but where left out
_PROVIDER_STATUS = PROVIDER_FIELDS.index("registration_status")
_PROVIDER_DEREGISTERED = PROVIDER_FIELDS.index("deregistration_date")
_PROVIDER_UPDATED = PROVIDER_FIELDS.index("updated_at")

# Stand-ins compiled into the SQL where the principal's values go (none is a real value).
_USERS, _PEOPLE = (-918_273_645, -918_273_647), (-918_273_646, -918_273_648)
_DAYS = (dt.date(1901, 2, 3), dt.date(1901, 2, 4))
_DAY = _DAYS[0]  # the member rows need no day; any will do
_MANAGER = str(RoleType.REGISTERED_MANAGER)


def live_role_q(today: dt.date) -> Q:
    """Dates only: a deregistered provider's roles still count, for the read-only period."""
    return Q(Q(start_date__isnull=True) | Q(start_date__lte=today)) & Q(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


class _AsStored(Case):
    """A Case whose value comes back as its column's would: only the field's converters (none
    on PostgreSQL), not the int() a Case of an integer column adds, which the drivers need
    no more than the column does, and which makes Django convert every row of the query."""

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Any]:
        field = self.output_field
        return field.get_db_converters(connection)  # type: ignore[attr-defined]  # not stubbed


_FIELDS = {field.attname: field for field in Provider._meta.concrete_fields}


def _provider_columns() -> list[Any]:
    """PROVIDER_FIELDS, but only the id past the provider's first row (by row), so that the
    rows are the same from one run to the next."""
    first: Exact[Any] = Exact(
        Window(RowNumber(), partition_by=F("provider_id"), order_by=[F("pk")]), 1
    )
    return [
        "provider_id"
        if name == _PROVIDER_ID
        else _AsStored(
            When(first, then=F(f"provider__{name}")), default=None, output_field=_FIELDS[name]
        )
        for name in PROVIDER_FIELDS
    ]


class _JSONValues(Aggregate):
    """The grouped rows' values of one expression as a JSON array (text), ordered on
    PostgreSQL so that a statement gives the same text each time."""

    output_field = TextField()
    template = "JSON_GROUP_ARRAY(%(expressions)s)"

    def as_postgresql(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        template = "JSON_AGG(%(expressions)s ORDER BY %(expressions)s)::text"
        sql, params = self.as_sql(compiler, connection, template=template, **extra_context)
        assert not params  # a column: its SQL is repeated in the ORDER BY
        return sql, list(params)


class _JSONRows(Aggregate):
    """The grouped rows' values as JSON text: an array with an array of the expressions for
    each row (ordered by the first on PostgreSQL, so that a statement gives the same text
    each time)."""

    output_field = TextField()
    template = "JSON_GROUP_ARRAY(JSON_ARRAY(%(expressions)s))"

    def as_postgresql(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        first, first_params = compiler.compile(self.get_source_expressions()[0])
        assert not first_params  # a column: its SQL can be repeated in the ORDER BY
        template = f"JSON_AGG(JSON_BUILD_ARRAY(%(expressions)s) ORDER BY {first})::text"
        sql, params = self.as_sql(compiler, connection, template=template, **extra_context)
        return sql, list(params)


def _located(rows: QuerySet[Any], group: str, location: str) -> tuple[Subquery, Subquery]:
    """`rows`' locations (through `location`, a foreign key), grouped by `group`, as JSON
    text: their ids, and [id, registration status, deregistration date, updated at] of each
    deregistered one (see the module's note)."""
    grouped = rows.order_by().values(group)
    ids = grouped.annotate(ids=_JSONValues(f"{location}_id")).values("ids")
    undated = Q(**{f"{location}__deregistration_date__isnull": True})
    deregistered = (
        grouped.filter(**{f"{location}__registration_status": RegistrationStatus.DEREGISTERED})
        .annotate(
            rows=_JSONRows(
                f"{location}_id",
                f"{location}__registration_status",
                f"{location}__deregistration_date",
                Case(
                    When(undated, then=F(f"{location}__updated_at")),
                    default=None,
                    output_field=DateTimeField(),
                ),
            )
        )
        .values("rows")
    )
    return (
        Subquery(ids, output_field=TextField()),
        Subquery(deregistered, output_field=TextField()),
    )


_NO_LOCATIONS = Value(None, output_field=TextField())
_NO_PERMISSIONS = Value(None, output_field=TextField())


def _membership_rows(user_id: Any) -> QuerySet[Any]:
    through: Any = Membership.locations.through
    locations = _located(
        through.objects.filter(membership_id=OuterRef("pk")), "membership_id", "location"
    )
    return (
        Membership.objects.order_by()
        .filter(user_id=user_id, status=MembershipStatus.ACTIVE)
        .values_list(
            Value("", output_field=CharField()),
            Cast("permissions", output_field=TextField()),
            "whole_provider",
            *_provider_columns(),
            *locations,
        )
    )


def _role_rows(person_id: Any, today: dt.date) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """A row per live role but a manager's at a location, and a row per provider with the
    locations the person manages there."""
    live = RoleAssignment.objects.order_by().filter(live_role_q(today), person_id=person_id)
    at_locations = Q(role=_MANAGER, location__isnull=False)
    roles = live.exclude(at_locations).values_list(
        "role",
        _NO_PERMISSIONS,
        Value(False, output_field=BooleanField()),
        *_provider_columns(),
        _NO_LOCATIONS,
        _NO_LOCATIONS,
    )
    managed = live.filter(at_locations)
    # One row per provider, so each carries the provider's columns (no window needed).
    managers = (
        Provider.objects.order_by()
        .filter(pk__in=managed.values("provider_id"))
        .values_list(
            Value(_MANAGER, output_field=CharField()),
            _NO_PERMISSIONS,
            Value(False, output_field=BooleanField()),
            *PROVIDER_FIELDS,
            *_located(managed.filter(provider_id=OuterRef("pk")), "provider_id", "location"),
        )
    )
    return roles, managers


def _rows_query(user_id: Any, person_id: Any, today: dt.date) -> QuerySet[Any]:
    """Columns: role, membership permissions (as JSON text), whole provider, the provider's
    fields (see _provider_columns), the locations' ids and the deregistered ones (JSON text,
    NULL if none: see the module's note). No ORDER BY:
    SQLite refuses one inside a UNION, and the order does not matter."""
    memberships = _membership_rows(user_id)
    if person_id is None:
        return memberships
    # One flat UNION: SQLite refuses one nested in another.
    roles, managers = _role_rows(person_id, today)
    return roles.union(managers, memberships, all=True)


def _member_rows(user: Any) -> QuerySet[Any]:
    return _rows_query(user, None, _DAY)


def _person_rows(user: Any, person: Any, day: dt.date) -> QuerySet[Any]:
    return _rows_query(user, person, day)


_DAY_FIELD = RoleAssignment._meta.get_field("start_date")
# Prepared on PostgreSQL: the statement is read on every signed-in request and is long
# (see portal.compiled_queries).
_MEMBER_ROWS = CompiledRows(_member_rows, {"user": _USERS}, prepared=True)
_PERSON_ROWS = CompiledRows(
    _person_rows,
    {"user": _USERS, "person": _PEOPLE, "day": _DAYS},
    fields={"day": _DAY_FIELD},
    prepared=True,
)


def access_rows(user_id: Any, person_id: Any) -> list[tuple[Any, ...]]:
    """The rows of a user (and, for a registered person, of their roles)."""
    alias = Membership.objects.db
    if person_id is None:
        return _MEMBER_ROWS.rows(alias, user=user_id)
    return _PERSON_ROWS.rows(alias, user=user_id, person=person_id, day=timezone.localdate())
