"""Reading cases: the queues (mine, my teams', unassigned, all) with their filters, a page
at a time, and one case with its notes and full history.

Pages continue from the last row's key, never an offset, so page 1,000 costs what page 1
costs: each queue reads open cases in (queue_rank, opened_at, id) order from an index that
starts with its scope, the deadline lists in (due_on, id) order.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import (  # type: ignore[import-untyped]
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)
from django.utils import timezone

from portal.accounts.models import User
from portal.casework.deadlines import due_soon_until
from portal.casework.handlers import DECIDED_WITH, kinds_decided_by
from portal.casework.models import Case, CaseEvent, CaseKind, CaseNote, CaseStatus, kind_names
from portal.casework.next_case import my_team_ids
from portal.casework.queue_rows import QueueRow, queue_rows
from portal.compiled_queries import CompiledObjects
from portal.register.models import Provider
from portal.staff.roles import permissions_for_roles
from portal.workflow.models import StatusChange

# Counting stops here ("more than 1,000 cases"): an exact count of a large queue would cost
# more than the page itself.
COUNT_CAP = 1_000
# A search by provider name looks at most at this many matching providers.
PROVIDER_MATCHES = 200


class Queue(StrEnum):
    MINE = "mine"
    TEAM = "team"
    UNASSIGNED = "unassigned"
    ALL = "all"


QUEUE_NAMES = {
    Queue.MINE: "My cases",
    Queue.TEAM: "My teams' cases",
    Queue.UNASSIGNED: "Unassigned",
    Queue.ALL: "All cases",
}


class Due(StrEnum):
    SOON = "due_soon"
    OVERDUE = "overdue"


OPEN = "open"  # the status filter's default: everything not closed


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    type_slug: str = ""
    status: str = OPEN
    urgency: int | None = None
    due: str = ""
    region: str = ""
    provider_id: str = ""
    reference: str = ""
    provider_name: str = ""

    @property
    def by_deadline(self) -> bool:
        """Deadline lists read soonest deadline first; the others most urgent first."""
        return self.due in (Due.SOON, Due.OVERDUE)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the ordering key of its last (or first) row."""

    values: tuple[Any, ...]

    def encode(self) -> str:
        return ".".join(_encode(value) for value in self.values)

    @classmethod
    def decode(cls, text: str, *, by_deadline: bool) -> "Cursor | None":
        """The cursor a page link carries; None for anything we did not make."""
        found = (_DUE_CURSOR if by_deadline else _RANK_CURSOR).fullmatch(text)
        if found is None:
            return None
        try:
            if by_deadline:
                return cls((dt.date.fromisoformat(found[1]), int(found[2])))
            opened = dt.datetime.fromtimestamp(int(found[2]) / 1_000_000, tz=dt.UTC)
            return cls((int(found[1]), opened, int(found[3])))
        except (ValueError, OverflowError, OSError):
            return None


# A rank, microseconds since 1970 and an id; or a date and an id (ids fit in a bigint).
_RANK_CURSOR = re.compile(r"([1-3])\.([0-9]{1,17})\.([1-9][0-9]{0,17})")
_DUE_CURSOR = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.([1-9][0-9]{0,17})")


def _encode(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return str(int(value.timestamp() * 1_000_000))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueRow]
    count: int
    count_capped: bool
    next_after: str = ""
    previous_before: str = ""
    team_ids: list[int] = field(default_factory=list)
    # The unassigned queue, with no kind chosen, shows only the kinds the member may decide.
    only_kinds: list[str] = field(default_factory=list)

    @property
    def only_kind_names(self) -> str:
        return kind_names(self.only_kinds)


def _scoped(queue: Queue, user: User, team_ids: list[int]) -> QuerySet[Case]:
    cases = Case.objects.all()
    if queue == Queue.MINE:
        return cases.filter(assignee=user)
    if queue == Queue.TEAM:
        return cases.filter(team_id__in=team_ids)
    if queue == Queue.UNASSIGNED:
        return cases.filter(assignee__isnull=True)
    return cases


def _filtered(cases: QuerySet[Case], filters: QueueFilters, today: dt.date) -> QuerySet[Case]:
    if filters.status == OPEN:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    exact = {
        "kind": filters.kind,
        "type_slug": filters.type_slug,
        "region": filters.region,
        "provider_id": filters.provider_id,
        "reference": filters.reference,
    }
    cases = cases.filter(**{name: value for name, value in exact.items() if value})
    if filters.urgency is not None:
        cases = cases.filter(urgency=filters.urgency)
    if filters.due == Due.OVERDUE:
        cases = cases.filter(due_on__lt=today)
    elif filters.due == Due.SOON:
        cases = cases.filter(due_on__gte=today, due_on__lte=due_soon_until(today))
    if filters.provider_name:
        # The matching providers' IDs first, in their own query: as a subquery the search of
        # every provider's name ran in both the count and the page, and PostgreSQL, unable
        # to tell how many providers match, read every open case in the list's order and
        # kept those of the matches (40,000 overdue cases for a provider with none). With
        # the IDs it reads each provider's own range of casework_provider_due.
        matching = Provider.objects.filter(name__icontains=filters.provider_name).order_by("name")
        cases = cases.filter(
            provider_id__in=list(matching.values_list("pk", flat=True)[:PROVIDER_MATCHES])
        )
    return cases


_RANK_KEY = ("queue_rank", "opened_at", "id")
_DUE_KEY = ("due_on", "id")


def _beyond(
    cases: QuerySet[Case], key: tuple[str, ...], cursor: Cursor, *, backwards: bool
) -> QuerySet[Case]:
    # A row comparison, (a, b, c) > (x, y, z), so PostgreSQL reads the index from the cursor.
    columns = Tuple(*(F(name) for name in key))
    compare = TupleLessThan if backwards else TupleGreaterThan
    return cases.filter(compare(columns, list(cursor.values)))


def _key_of(row: QueueRow, key: tuple[str, ...]) -> Cursor:
    return Cursor(tuple(getattr(row, name) for name in key))


def queue_page(
    queue: Queue,
    user: User,
    filters: QueueFilters,
    *,
    after: str = "",
    before: str = "",
    size: int = 50,
) -> QueuePage:
    today = timezone.localdate()
    team_ids = my_team_ids(user) if queue == Queue.TEAM else []
    cases = _filtered(_scoped(queue, user, team_ids), filters, today)
    only_kinds = []
    if queue == Queue.UNASSIGNED and not filters.kind:
        decided = kinds_decided_by(user)
        if len(decided) < len(CaseKind):
            only_kinds = decided
            cases = cases.filter(kind__in=decided)
    key = _DUE_KEY if filters.by_deadline else _RANK_KEY
    counted = cases.order_by()[: COUNT_CAP + 1].count()
    cursor_text = after or before
    cursor = Cursor.decode(cursor_text, by_deadline=filters.by_deadline) if cursor_text else None
    backwards = bool(before) and cursor is not None
    page = _beyond(cases, key, cursor, backwards=backwards) if cursor is not None else cases
    ordering = [f"-{name}" for name in key] if backwards else list(key)
    # The page's ids first, then their rows with provider, location, team and assignee (as
    # tuples: queue_rows): the joins are made for one page of cases, never for every match (a search for "care"
    # matches 13,000 open cases, which PostgreSQL joined to the register, then sorted).
    ids = page.order_by(*ordering).values("pk")[: size + 1]
    rows = queue_rows(Case.objects.filter(pk__in=ids).order_by(*ordering))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else True
    has_previous = cursor is not None and (more if backwards else True)
    return QueuePage(
        items=rows,
        count=min(counted, COUNT_CAP),
        count_capped=counted > COUNT_CAP,
        next_after=_key_of(rows[-1], key).encode() if rows and has_next else "",
        previous_before=_key_of(rows[0], key).encode() if rows and has_previous else "",
        team_ids=team_ids,
        only_kinds=only_kinds,
    )


# A case's page reads the case, its notes and its history: each query compiled once (no
# case has these ids), since building them cost more than running them.
_CASE = CompiledObjects.by_key(
    Case.objects.select_related("provider", "location", "team", "assignee"), (-1, -2)
)
_EVENTS = CompiledObjects(
    lambda case_id: CaseEvent.objects.filter(case_id=case_id),
    {"case_id": (-1, -2)},
    prepared=True,
)
_NOTES = CompiledObjects(
    lambda case_id: CaseNote.objects.filter(case_id=case_id).select_related("author"),
    {"case_id": (-1, -2)},
    prepared=True,
)
_CASE_TYPE = Case._meta.label_lower
# The status changes of a case's item and of the case itself.
_CHANGES = CompiledObjects(
    lambda subject_type, subject_id, case_id: StatusChange.objects.filter(
        Q(subject_type=subject_type, subject_id=subject_id)
        | Q(subject_type=_CASE_TYPE, subject_id=case_id)
    ),
    {
        "subject_type": ("-type-1", "-type-2"),
        "subject_id": ("-subject-1", "-subject-2"),
        "case_id": ("-case-1", "-case-2"),
    },
    prepared=True,
)


def case_for_staff(case_id: int) -> Case:
    case: Case | None = _CASE.one(case_id)
    if case is None:
        raise Case.DoesNotExist("No such case")
    return case


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    who: str
    what: str
    detail: str


# CaseEvent actions. Those before case status went through portal.workflow ("opened",
# "closed", the clock's) stay in old cases' histories; new ones are StatusChange rows.
_ACTIONS = {
    "opened": "Case opened",
    "reopened": "Case reopened",
    "updated": "Case updated",
    "clock_stopped": "Clock stopped: waiting for the provider",
    "clock_restarted": "Clock restarted",
    "case_taken": "Taken",
    "case_given": "Given to a colleague",
    "released": "Put back in the unassigned queue",
    "note_added": "Internal note added",
    "closed": "Case closed",
}
# The case's own status moves (Case.lifecycle's actions).
_MOVES = {
    "open": "Case opened",
    "start": "Work started",
    "wait_for_provider": "Clock stopped: waiting for the provider",
    "resume": "Clock restarted",
    "resume_untouched": "Clock restarted",
    "close": "Case closed",
    "reopen": "Case reopened",
}


def _event_detail(event: CaseEvent) -> str:
    data = event.data
    if event.action == "case_given":
        return f"To {data.get('to', '')}" + (" (bulk)" if data.get("bulk") else "")
    if event.action == "case_taken" and data.get("how") == "get_next":
        return "With \u201cget next\u201d"
    if event.action == "clock_restarted" and data.get("due_on"):
        return f"Now due {data['due_on']}"
    if event.action == "updated":
        changes = data.get("changes", {})
        return "; ".join(f"{name}: {old} to {new}" for name, (old, new) in changes.items())
    if event.action == "closed" and data.get("reason"):
        return str(data["reason"])
    if event.action == "opened" and data.get("team"):
        return f"Routed to {data['team']}"
    return ""


def _status_name(status: str) -> str:
    return CaseStatus(status).label.lower() if status in CaseStatus.values else status


def _change_row(change: StatusChange, case_type: str) -> HistoryRow:
    if change.subject_type == case_type:
        return HistoryRow(
            change.at,
            change.actor_label,
            _MOVES.get(change.action, change.action.replace("_", " ")),
            "; ".join(
                part
                for part in (
                    f"Status: {_status_name(change.from_status)} to "
                    f"{_status_name(change.to_status)}"
                    if change.from_status
                    else "",
                    change.reason,
                )
                if part
            ),
        )
    return HistoryRow(
        change.at,
        change.actor_label,
        f"Item: {change.action.replace('_', ' ')}",
        f"{change.from_status or 'start'} to {change.to_status}"
        + (f": {change.reason}" if change.reason else ""),
    )


def history(case: Case) -> list[HistoryRow]:
    """The case's own history (its events and status moves) and its item's status changes,
    oldest first."""
    events = [
        HistoryRow(
            e.at,
            e.actor_label,
            _ACTIONS.get(e.action, e.action.replace("_", " ")),
            _event_detail(e),
        )
        for e in _EVENTS.objects(case_id=case.pk)
    ]
    changes = [
        _change_row(change, _CASE_TYPE)
        for change in _CHANGES.objects(
            subject_type=case.subject_type, subject_id=case.subject_id, case_id=str(case.pk)
        )
    ]
    return sorted(chain(events, changes), key=lambda row: row.at)


def notes(case: Case) -> list[CaseNote]:
    return _NOTES.objects(case_id=case.pk)


def colleague_choices(kind: str = "") -> list[tuple[int, str]]:
    """Current staff members, by name, as (id, "Name (email)"): who a case (of `kind`, when
    given: those whose roles decide it) can be given to. The service checks again, second
    factor and all. Plain rows, not User objects: a team leader's queue page lists every
    colleague, and 500 model instances cost more than the page's 50 cases."""
    members = User.objects.filter(
        is_active=True, staff_member__isnull=False, staff_member__ended_at__isnull=True
    ).order_by("full_name", "email")
    if not kind:
        return [
            (pk, _colleague_label(full_name, email))
            for pk, full_name, email in members.values_list("pk", "full_name", "email")
        ]
    needed = DECIDED_WITH.get(kind)
    return [
        (pk, _colleague_label(full_name, email))
        for pk, full_name, email, roles in members.values_list(
            "pk", "full_name", "email", "staff_member__roles"
        )
        if needed in permissions_for_roles(roles)
    ]


def _colleague_label(full_name: str, email: str) -> str:
    return f"{full_name} ({email})" if full_name else email


def q_open() -> Q:
    return ~Q(status=CaseStatus.CLOSED)
