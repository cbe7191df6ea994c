"""The history page's own reads, compiled once for each shape of scope (portal.compiled_queries)
instead of built by the ORM on every request.

Each of them (what is still owed, questions to answer, the drafts, the first page of sent
notifications, the first locations for the location filter) is the same statement for every user but for the scope's IDs, which `any_of`
sends as one array each (PostgreSQL): building and compiling the SQL took longer than
PostgreSQL took to answer it (about a fifth of the national provider's history page). A
scope's shape is whether it holds whole providers, single locations, or both; each shape
is compiled the first time it is met. The scope is the user's own (`permissions.scope_for`),
as in the ORM version of each read (selectors), which a filtered page and SQLite still use.

Planning each statement with the scope's IDs written in cost PostgreSQL more than running
it (0.2-0.8 ms a statement for a delegate's 514 locations: it estimates each ID), so the
reads whose plans reach the scope's rows through an index on the scope's column whatever
the IDs are kept prepared, and planned once per connection (`_Read.prepared`)."""

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import BigIntegerField, Func, Model, OuterRef, Q, QuerySet

from portal.access import Principal
from portal.compiled_queries import CompiledRows
from portal.forms.models import DraftStatus
from portal.notifications import draft_list, permissions, selectors, sent_rows
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
)
from portal.notifications.references import reference_for
from portal.register.id_lookups import any_of_parameter
from portal.register.location_picker import (
    CHECKBOX_LIMIT,
    LocationOption,
    search_filter_of,
    search_terms,
)
from portal.register.models import Location

# Enough of the locations in scope for the filter to tell a short list from a search.
FIRST_LOCATIONS = CHECKBOX_LIMIT + 1
# location_picker.location_options' columns.
_OPTION_COLUMNS = ("id", "name", "town_city", "postal_code", "region", "local_authority")
SHOWN_OWED = 10
# How far the history's first pages count (history_views.count_limit): past it they say
# "more than".
COUNT_CAP = 1_000
SHOWN_QUESTIONS = 10
SHOWN_DRAFTS = 20
PAGE_SIZE = 50  # of sent notifications


# The lists read as tuples, not a model instance and its related one for each row.
class OwedRow(NamedTuple):
    pk: int
    type_slug: str
    next_due_label: str
    next_due_on: dt.date | None
    location_name: str | None  # None: about the provider as a whole

    @property
    def reference(self) -> str:
        return reference_for(self.pk)


class QuestionRow(NamedTuple):
    pk: int
    created_at: dt.datetime
    notification_id: int

    @property
    def reference(self) -> str:
        """Its notification's."""
        return reference_for(self.notification_id)


class _Ids:
    """How a compiled query takes a set of IDs: as the one parameter `any_of` sends on
    PostgreSQL. Elsewhere the IDs are an `IN` list as long as the set, which does not compile
    once, so the ORM builds those queries every time."""

    @staticmethod
    def get_db_prep_value(value: Any, connection: Any) -> Any:
        return any_of_parameter(list(value))


# No provider or location has these IDs.
_STAND_INS: dict[str, tuple[Any, Any]] = {
    "providers": (frozenset({"-stand-in-p1-"}), frozenset({"-stand-in-p2-"})),
    "locations": (frozenset({"-stand-in-l1-"}), frozenset({"-stand-in-l2-"})),
    # The location filter's location, by ID.
    "at": (frozenset({"-stand-in-a1-"}), frozenset({"-stand-in-a2-"})),
}
_FIELDS: dict[str, Any] = {name: _Ids() for name in _STAND_INS}


class _Pattern:
    """How a compiled query takes a search term: as the LIKE pattern Django makes of it
    (`contains`), each term its own parameter."""

    @staticmethod
    def get_db_prep_value(value: Any, connection: Any) -> Any:
        return f"%{connection.ops.prep_for_like_query(value)}%"


# The location filter's search (location_picker.search_terms): a name or town, an exact ID,
# a compact postcode.
_SEARCH_TERMS = ("needle", "location_id", "postcode")
_STAND_INS.update(
    needle=("-stand-in-n1-", "-stand-in-n2-"),
    location_id=("-stand-in-i1-", "-stand-in-i2-"),
    postcode=("-STAND-IN-C1-", "-STAND-IN-C2-"),
)
_FIELDS.update(needle=_Pattern(), postcode=_Pattern())  # the ID goes as it is


def _held(prefix: str, values: Mapping[str, Any]) -> Q:
    """Rows of whole providers held, or of single locations held (whichever the shape has)."""
    where = Q()
    if "providers" in values:
        where |= Q(**{f"{prefix}provider_id__any_of": values["providers"]})
    if "locations" in values:
        where |= Q(**{f"{prefix}location_id__any_of": values["locations"]})
    return where


def _held_locations(values: Mapping[str, Any]) -> Q:
    """Locations of whole providers held, or single locations held."""
    where = Q()
    if "providers" in values:
        where |= Q(provider_id__any_of=values["providers"])
    if "locations" in values:
        where |= Q(pk__any_of=values["locations"])
    return where


def _found(values: Mapping[str, Any]) -> QuerySet[Location]:
    """The user's locations that the location filter's search finds."""
    terms = (values[name] for name in _SEARCH_TERMS)
    found = Location.objects.filter(_held_locations(values)).filter(search_filter_of(*terms))
    return found.order_by()


def _at(queryset: QuerySet[Any], values: Mapping[str, Any]) -> QuerySet[Any]:
    """Only the notifications at the location filter's location, or at those of the user's
    locations its search finds (as selectors.history_matching), if it has either."""
    if "at" in values:
        return queryset.filter(location_id__any_of=values["at"])
    if "needle" in values:
        return queryset.filter(location_id__in=_found(values).values("pk"))
    return queryset


def _newest_at_found(reach: int, scope: Mapping[str, Any]) -> QuerySet[Any]:
    """As _at(held notifications, scope) with a search, but only each found location's newest
    `reach` (PostgreSQL): a page ending at `reach` holds none older. Each location's are one
    range of its history index, where the plain filter sorted all of a found location's
    (3,340 of the national provider's largest: 1 ms)."""
    newest_here = ArraySubquery(
        Notification.objects.filter(_held("", scope), location_id=OuterRef("pk"))
        .order_by("-submitted_at", "-pk")
        .values("pk")[:reach]
    )
    each = Func(newest_here, function="unnest", output_field=BigIntegerField())
    return Notification.objects.filter(pk__in=_found(scope).annotate(newest=each).values("newest"))


def _owed(**scope: Any) -> QuerySet[Any]:
    # The soonest of each part (whole providers; single locations) apart, each from its own
    # partial owed index alone: as one condition (provider held OR location held) PostgreSQL
    # fetched every owed row in scope from the table to sort them (419 for the national
    # provider's delegate: 0.8 ms). The soonest overall are among the parts' soonest.
    parts = []
    if "providers" in scope:
        parts.append(Notification.objects.filter(provider_id__any_of=scope["providers"]))
    if "locations" in scope:
        parts.append(Notification.objects.filter(location_id__any_of=scope["locations"]))
    if not connections[Notification.objects.db].features.supports_slicing_ordering_in_compound:
        parts = [Notification.objects.filter(_held("", scope))]  # SQLite: no LIMIT in a UNION
    first, *rest = (
        part.filter(next_due_label__gt="").order_by("next_due_on", "pk").values("pk")[:SHOWN_OWED]
        for part in parts
    )
    return (
        Notification.objects.filter(pk__in=first.union(*rest, all=True) if rest else first)
        .order_by("next_due_on", "pk")
        .values_list(*OwedRow._fields[:-1], "location__name")[:SHOWN_OWED]
    )


def _questions(**scope: Any) -> QuerySet[Any]:
    return (
        NotificationMessage.objects.filter(
            _held("notification__", scope), kind=MessageKind.QUESTION, answered=False
        )
        .order_by("created_at")
        .values_list(*QuestionRow._fields)[:SHOWN_QUESTIONS]
    )


def _drafts(**scope: Any) -> QuerySet[Any]:
    return (
        NotificationDraft.objects.filter(_held("", scope), status=DraftStatus.OPEN)
        .order_by("-updated_at")
        .values_list(*draft_list.COLUMNS)[:SHOWN_DRAFTS]
    )


def _page(offset: int, **scope: Any) -> QuerySet[Any]:
    if "needle" in scope and connections[Notification.objects.db].vendor == "postgresql":
        matching = _newest_at_found(offset + PAGE_SIZE, scope)
    else:
        matching = _at(Notification.objects.filter(_held("", scope)), scope)
    newest = matching.order_by("-submitted_at", "-pk").values("pk")[offset : offset + PAGE_SIZE]
    return (
        Notification.objects.filter(pk__in=newest)
        .order_by("-submitted_at", "-pk")
        .values_list(*sent_rows.COLUMNS)
    )


def _first_locations(**scope: Any) -> QuerySet[Any]:
    some = Location.objects.filter(_held_locations(scope)).order_by().values("pk")[:FIRST_LOCATIONS]
    return Location.objects.filter(pk__in=some).order_by("name").values_list(*_OPTION_COLUMNS)


def _capped_ids(**scope: Any) -> QuerySet[Any]:
    # As permissions.count_visible: each part a range of its own index, a notification
    # both parts hold counted once, and no further than one past the cap.
    parts = []
    if "providers" in scope:
        parts.append(Notification.objects.filter(provider_id__any_of=scope["providers"]))
    if "locations" in scope:
        held = Notification.objects.filter(location_id__any_of=scope["locations"])
        if "providers" in scope:
            held = held.exclude(provider_id__any_of=scope["providers"])
        parts.append(held)
    first, *rest = (_at(part, scope).order_by().values_list("pk") for part in parts)
    return (first.union(*rest, all=True) if rest else first)[: COUNT_CAP + 1]


@dataclass(frozen=True)
class _Read:
    build: Callable[..., QuerySet[Any]]
    model: type[Model]
    permission: str  # whose scope it reads in
    # Kept prepared on each connection (compiled_queries): PostgreSQL then plans it once,
    # not on every request with the scope's IDs (0.2-0.8 ms each for hundreds of them).
    # Only reads whose every plan finds the scope's rows through an index on the scope's
    # column: a generic plan does not know the IDs, and one that filters rows against them
    # compares each row with every ID.
    prepared: bool = False


_OWED = _Read(_owed, Notification, permissions.VIEW, prepared=True)
_QUESTIONS = _Read(_questions, NotificationMessage, permissions.SUBMIT, prepared=True)
_DRAFTS = _Read(_drafts, NotificationDraft, permissions.DRAFT, prepared=True)
# Planned each time: a generic plan walks every notification newest first, testing each
# against the scope's IDs (1 ms where the planned one reads 50 rows).
_PAGE = _Read(_page, Notification, permissions.VIEW)
# The pages compiled (one statement each, as the offset is written into it): as far as the
# count goes before it says "more than"; later pages are built by the ORM.
COMPILED_PAGES = COUNT_CAP // PAGE_SIZE
_FIRST_LOCATIONS = _Read(_first_locations, Location, permissions.VIEW)
_CAPPED_IDS = _Read(_capped_ids, Notification, permissions.VIEW, prepared=True)

# Each read compiled once per shape of scope: ("providers",), ("locations",) or both, with
# or without the location filter's "at", and for a page, per page.
_compiled: dict[tuple[_Read, tuple[str, ...], int], CompiledRows] = {}


def _rows(
    read: _Read, user: Principal | None, filtered: Mapping[str, Any] | None = None, offset: int = 0
) -> list[tuple[Any, ...]]:
    """`read`'s rows in the user's scope (none for an empty scope, as the ORM reads), with
    the location filter's values if given, from `offset` if it pages."""
    scope = permissions.scope_for(user, read.permission)
    values: dict[str, Any] = {}
    if scope.whole_providers:
        values["providers"] = scope.whole_providers
    if scope.locations:
        values["locations"] = scope.locations
    if not values:
        return []
    values.update(filtered or {})
    shape = tuple(values)
    compiled = _compiled.get((read, shape, offset))
    if compiled is None:
        build = functools.partial(read.build, offset) if read is _PAGE else read.build
        compiled = CompiledRows(
            build,
            {name: _STAND_INS[name] for name in shape},
            {name: _FIELDS[name] for name in shape if name in _FIELDS},
            # Not with a location filter: its plan depends on how many that finds.
            prepared=read.prepared and not filtered,
        )
        _compiled[(read, shape, offset)] = compiled
    return compiled.rows(read.model._default_manager.db, **values)


def first_location_options(user: Principal | None) -> list[LocationOption]:
    """location_options(permissions.first_locations_in_scope(user, FIRST_LOCATIONS)): up to
    FIRST_LOCATIONS of the locations whose notifications the user may see, by name."""
    return [LocationOption(*row) for row in _rows(_FIRST_LOCATIONS, user)]


def location_filter_options(user: Principal | None) -> tuple[list[LocationOption], bool]:
    """The history's location filter: its short list of the user's locations by name, and
    False; or no list and True when they are too many for one, and the filter searches."""
    if len(permissions.scope_for(user, permissions.VIEW).locations) > CHECKBOX_LIMIT:
        # Too many single locations for a list: known from the scope, without reading them.
        return [], True
    options = first_location_options(user)
    if len(options) > CHECKBOX_LIMIT:
        return [], True
    return options, False


def owed(user: Principal | None) -> list[OwedRow]:
    """selectors.owed(user), what the list shows."""
    return [OwedRow(*row) for row in _rows(_OWED, user)]


def open_questions(user: Principal | None) -> list[QuestionRow]:
    """selectors.open_questions(user), what the list shows."""
    return [QuestionRow(*row) for row in _rows(_QUESTIONS, user)]


def listed_drafts(user: Principal | None) -> list[draft_list.DraftRow]:
    """selectors.open_drafts(user), what the list shows, the first SHOWN_DRAFTS."""
    return [draft_list.DraftRow(*row) for row in _rows(_DRAFTS, user)]


class SentPages:
    """The sent notifications as the history's paginator slices them: the first
    COMPILED_PAGES pages compiled, unfiltered or filtered by location alone (nearly every
    visit), any other as selectors.HistoryPages reads it."""

    def __init__(self, user: Principal | None, filters: selectors.HistoryFilters) -> None:
        self.user = user
        self.filters = filters
        self._matching: QuerySet[Notification] | None = None
        # The location filter's values for the compiled reads (_at), if the filters are
        # that alone; None if they are not (the ORM reads them).
        self._filtered: dict[str, Any] | None = None
        terms = search_terms(filters.location_search)
        if filters == selectors.HistoryFilters():
            self._filtered = {}
        elif filters == selectors.HistoryFilters(location_id=filters.location_id):
            self._filtered = {"at": frozenset({filters.location_id})}
        elif filters == selectors.HistoryFilters(location_search=filters.location_search):
            self._filtered = dict(zip(_SEARCH_TERMS, terms, strict=True)) if terms[1] else None

    def _matching_filters(self) -> QuerySet[Notification]:
        # The count and a filtered page's rows start from the same query: built once.
        if self._matching is None:
            self._matching = selectors.history_matching(self.user, self.filters)
        return self._matching

    def count(self, up_to: int | None = None) -> int:
        """selectors.history_count: the first pages' count compiled (its IDs, up to one past
        COUNT_CAP, which are fewer to send than the ORM is to build)."""
        if up_to == COUNT_CAP + 1 and self._filtered is not None:
            return len(_rows(_CAPPED_IDS, self.user, self._filtered))
        return selectors.history_count(self.user, self.filters, self._matching_filters(), up_to)

    def __getitem__(self, page: slice) -> list[sent_rows.SentRow]:
        start = page.start or 0
        compiled = (
            self._filtered is not None
            and start % PAGE_SIZE == 0
            and start // PAGE_SIZE < COMPILED_PAGES
            and page.stop is not None
            and page.stop - start <= PAGE_SIZE
        )
        if compiled and page.stop is not None:
            rows = _rows(_PAGE, self.user, self._filtered, offset=start)
            return [sent_rows.SentRow(*row) for row in rows[: page.stop - start]]
        return selectors.HistoryPages(self.user, self.filters, self._matching_filters())[page]
