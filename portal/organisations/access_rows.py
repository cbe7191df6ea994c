"""The one query compute_access reads (portal.organisations.access): a row per live role and
per location of each active membership, each carrying its provider's id and the few columns
of its location that access needs (LOCATION_FIELDS). The provider's other columns come on
its first row of each branch only (NULL on the rest): every column of every row is parsed on
every request, and a delegate has hundreds of rows at one provider. For the same reason no
column needs Django's converters on PostgreSQL (running them costs a Python call per row):
a membership's permissions come as their JSON text, which compute_access decodes once for
all the rows that repeat it.

It is the costliest query of a signed-in or API request to build: ~30 columns from four
tables in a UNION. So its SQL is compiled once per database and run again with
the principal's values (portal.compiled_queries).

A membership's locations still registered (the usual case, where access needs no more than
their ids and names) come on the membership's one row, as a JSON array of
[id, name, registration status] in its last column: a delegate at hundreds of locations is
then a row, not hundreds, and parsing JSON text is a C loop where a row is Python calls. Its
deregistered locations, whose dates access reads, keep a row each."""

import datetime as dt
import functools
from typing import Any, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    DateField,
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
from portal.register.models import Location, Provider, RegistrationStatus, RoleAssignment

PROVIDER_FIELDS = [field.attname for field in Provider._meta.concrete_fields]
_PROVIDER_ID = Provider._meta.pk.attname


class LocationState(NamedTuple):
    """What access keeps of a location: its name (for pages) and its registration
    (`updated_at` only where access reads it: see _location_columns)."""

    name: str
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

# Only what access reads, not every column: a delegate at hundreds of locations gets a row
# for each, and every column is parsed and converted on every request.
LOCATION_FIELDS = [Location._meta.pk.attname, *LocationState._fields]

# Stand-ins compiled into the SQL where the principal's values go (none is a real value).
_USERS, _PEOPLE = (-918_273_645, -918_273_647), (-918_273_646, -918_273_648)
_DAYS = (dt.date(1901, 2, 3), dt.date(1901, 2, 4))
_DAY = _DAYS[0]  # the member rows need no day; any will do


def live_role_q(today: dt.date) -> Q:
    """Dates only: a deregistered provider's roles still count, for the read-only period."""
    return Q(Q(start_date__isnull=True) | Q(start_date__lte=today)) & Q(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


def _location_columns(prefix: str) -> list[Any]:
    """LOCATION_FIELDS through `prefix`, but `updated_at` only where access reads it (a
    deregistered location without a deregistration date): parsing a timestamp for each of
    hundreds of rows is a large part of a delegate's request."""
    needs_updated_at = Q(
        **{
            f"{prefix}registration_status": RegistrationStatus.DEREGISTERED,
            f"{prefix}deregistration_date__isnull": True,
        }
    )
    updated_at = Case(
        When(needs_updated_at, then=F(f"{prefix}updated_at")),
        default=None,
        output_field=DateTimeField(),
    )
    return [updated_at if name == "updated_at" else f"{prefix}{name}" for name in LOCATION_FIELDS]


class _AsStored(Case):
    """A Case whose value comes back as its column's would: only the field's converters (none
    on PostgreSQL), not the int() a Case of an integer column adds, which the drivers need
    no more than the column does, and which makes Django convert every row of the query."""

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Any]:
        field = self.output_field
        return field.get_db_converters(connection)  # type: ignore[attr-defined]  # not stubbed


def _provider_columns(location_id: str) -> list[Any]:
    """PROVIDER_FIELDS, but only the id past the provider's first row (by location, then
    row), so that the rows are the same from one run to the next."""
    first: Exact[Any] = Exact(
        Window(RowNumber(), partition_by=F("provider_id"), order_by=[F(location_id), F("pk")]),
        1,
    )
    fields = {field.attname: field for field in Provider._meta.concrete_fields}
    return [
        "provider_id"
        if name == _PROVIDER_ID
        else _AsStored(
            When(first, then=F(f"provider__{name}")), default=None, output_field=fields[name]
        )
        for name in PROVIDER_FIELDS
    ]


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


def _registered_locations() -> Subquery:
    """A membership's locations not deregistered, as JSON text (see the module's note)."""
    through: Any = Membership.locations.through
    located = (
        through.objects.filter(membership_id=OuterRef("pk"))
        .exclude(location__registration_status=RegistrationStatus.DEREGISTERED)
        .order_by()
        .values("membership_id")
        .annotate(rows=_JSONRows("location_id", "location__name", "location__registration_status"))
        .values("rows")
    )
    return Subquery(located, output_field=TextField())


# LOCATION_FIELDS and the registered locations' column on a row that has neither.
_NO_LOCATION = [
    Value(None, output_field=CharField()),
    Value(None, output_field=CharField()),
    Value(None, output_field=CharField()),
    Value(None, output_field=DateField()),
    Value(None, output_field=DateTimeField()),
]
_NO_REGISTERED_LOCATIONS = Value(None, output_field=TextField())


@functools.cache
def _templates() -> tuple[QuerySet[Any], QuerySet[Any], QuerySet[Any]]:
    """The membership, membership location and role row queries without their filters.
    Columns: role, membership permissions (as JSON text), whole provider, the provider's
    fields (see _provider_columns), LOCATION_FIELDS (NULL if none), the membership's
    registered locations (JSON text, NULL if none)."""
    # No ORDER BY: SQLite refuses one inside a UNION, and the order does not matter.
    membership_columns: list[Any] = [
        Value("", output_field=CharField()),
        Cast("permissions", output_field=TextField()),
        "whole_provider",
    ]
    membership_rows = Membership.objects.order_by().values_list(
        *membership_columns,
        *_provider_columns("pk"),
        *_NO_LOCATION,
        _registered_locations(),
    )
    # Filtered before the columns are chosen, so that both use the one join to locations.
    deregistered_rows = (
        Membership.objects.order_by()
        .filter(locations__registration_status=RegistrationStatus.DEREGISTERED)
        .values_list(
            *membership_columns,
            *_provider_columns("locations__id"),
            *_location_columns("locations__"),
            _NO_REGISTERED_LOCATIONS,
        )
    )
    role_rows = RoleAssignment.objects.order_by().values_list(
        "role",
        Value(None, output_field=TextField()),
        Value(False, output_field=BooleanField()),
        *_provider_columns("location_id"),
        *_location_columns("location__"),
        _NO_REGISTERED_LOCATIONS,
    )
    return membership_rows, deregistered_rows, role_rows


def _rows_query(user_id: Any, person_id: Any, today: dt.date) -> QuerySet[Any]:
    membership_template, deregistered_template, role_template = _templates()
    mine = {"user_id": user_id, "status": MembershipStatus.ACTIVE}
    memberships = membership_template.filter(**mine)
    deregistered = deregistered_template.filter(**mine)
    if person_id is None:
        return memberships.union(deregistered, all=True)
    # One flat UNION: SQLite refuses one nested in another.
    roles = role_template.filter(live_role_q(today), person_id=person_id)
    return roles.union(memberships, deregistered, all=True)


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
