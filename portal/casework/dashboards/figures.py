"""The dashboards' numbers, aggregated in the database: one query per chart.

Units, said once: ages and times to decision in calendar days, time to first action in hours
(elapsed, not working time: a case that arrives on Friday evening and is read on Monday
morning took about 62 hours). Weeks start on Monday (Europe/London). "Open" means every
status but closed; "overdue" means open with a due date before today.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Extract, TruncWeek
from django.utils import timezone

from portal.casework.models import Case, CaseKind, CaseStatus
from portal.staff.models import Team

PERIOD_WEEKS = (4, 12, 26, 52)
DEFAULT_PERIOD_WEEKS = 12
# Backlog age bands, in calendar days since the case arrived: (label, from, to) inclusive.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Up to 5 days", 0, 5),
    ("6 to 20 days", 6, 20),
    ("21 to 60 days", 21, 60),
    ("61 to 180 days", 61, 180),
    ("Over 180 days", 181, None),
)
NO_TEAM = "No team"


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile of an expression (a float)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


@dataclass(frozen=True)
class Filters:
    team: Team | None = None
    weeks: int = DEFAULT_PERIOD_WEEKS

    def cases(self) -> QuerySet[Case]:
        rows = Case.objects.all()
        return rows if self.team is None else rows.filter(team=self.team)

    def first_week(self, today: dt.date) -> dt.date:
        this_monday = today - dt.timedelta(days=today.weekday())
        return this_monday - dt.timedelta(weeks=self.weeks - 1)

    def start(self, today: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first_week(today), dt.time.min))


def _open(rows: QuerySet[Case]) -> QuerySet[Case]:
    return rows.exclude(status=CaseStatus.CLOSED)


# Figures for every team at once (the worker's snapshot): keyed by team id (None: no team).
TeamKey = int | None
EVERY = "every"  # the key of the figures when not grouped by team


def _per_week(rows: QuerySet[Case], moment: str, is_arrival: bool, by_team: bool) -> Any:
    group = ["team_id"] if by_team else []
    return (
        rows.annotate(week=TruncWeek(moment), is_arrival=Value(is_arrival))
        .values(*group, "week", "is_arrival")
        .annotate(count=Count("id"))
        .values_list(*group, "week", "is_arrival", "count")
    )


def weekly_groups(
    filters: Filters, today: dt.date, *, by_team: bool
) -> dict[Any, list[tuple[dt.date, int, int]]]:
    start = filters.start(today)
    rows = filters.cases()
    # One statement: arrivals and completions, each counted by its own week.
    arrived = _per_week(rows.filter(opened_at__gte=start), "opened_at", True, by_team)
    completed = _per_week(rows.filter(closed_at__gte=start), "closed_at", False, by_team)
    counts: dict[Any, dict[tuple[dt.date, bool], int]] = {}
    for row in arrived.union(completed, all=True):
        team, (week, is_arrival, count) = (row[0], row[1:]) if by_team else (EVERY, row)
        key = (_day(week), bool(is_arrival))
        group = counts.setdefault(team, {})
        group[key] = group.get(key, 0) + count
    first = filters.first_week(today)
    weeks = [first + dt.timedelta(weeks=n) for n in range(filters.weeks)]
    return {
        team: [(week, group.get((week, True), 0), group.get((week, False), 0)) for week in weeks]
        for team, group in counts.items()
    }


def weekly(filters: Filters, today: dt.date) -> list[tuple[dt.date, int, int]]:
    """(Monday, arrivals, completions) for every week of the period, oldest first."""
    found = weekly_groups(filters, today, by_team=False).get(EVERY)
    return found or weekly_of_nothing(filters, today)


def weekly_of_nothing(filters: Filters, today: dt.date) -> list[tuple[dt.date, int, int]]:
    first = filters.first_week(today)
    return [(first + dt.timedelta(weeks=n), 0, 0) for n in range(filters.weeks)]


def backlog_of_nothing() -> list[tuple[str, int]]:
    return [(band[0], 0) for band in AGE_BANDS]


def _day(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def backlog(filters: Filters, today: dt.date) -> list[tuple[str, int]]:
    """Open cases by how long ago they arrived."""
    return _bands(_open(filters.cases()).aggregate(**_band_counts(today)))


def _band_counts(today: dt.date) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    for _label, youngest, oldest in AGE_BANDS:
        # Arrived on or before `today - youngest` days, and after `today - oldest - 1` days.
        condition = Q(opened_at__lt=midnight - dt.timedelta(days=youngest - 1))
        if oldest is not None:
            condition &= Q(opened_at__gte=midnight - dt.timedelta(days=oldest))
        counts[f"band_{len(counts)}"] = Count("id", filter=condition)
    return counts


def _bands(totals: dict[str, Any]) -> list[tuple[str, int]]:
    return [(band[0], totals[f"band_{n}"] or 0) for n, band in enumerate(AGE_BANDS)]


def backlog_groups(
    filters: Filters, today: dt.date, *, by_team: bool
) -> dict[Any, list[tuple[str, int]]]:
    if not by_team:
        return {EVERY: backlog(filters, today)}
    counts = _band_counts(today)
    rows = _open(filters.cases()).values("team_id").annotate(**counts)
    return {row["team_id"]: _bands(row) for row in rows}


@dataclass(frozen=True)
class Timing:
    kind: str
    first_action_cases: int
    first_action_median_hours: float | None
    first_action_p90_hours: float | None
    decision_cases: int
    decision_median_days: float | None
    decision_p90_days: float | None


def _elapsed(later: str, unit_seconds: int) -> Any:
    gap = ExpressionWrapper(F(later) - F("opened_at"), output_field=DurationField())
    return ExpressionWrapper(Extract(gap, "epoch") / unit_seconds, output_field=FloatField())


def timings(filters: Filters, today: dt.date) -> list[Timing]:
    """Per kind: time to first action (cases first acted on in the period) and to decision
    (cases closed in the period), median and 90th percentile."""
    return timing_groups(filters, today, by_team=False).get(EVERY, [])


def timing_groups(filters: Filters, today: dt.date, *, by_team: bool) -> dict[Any, list[Timing]]:
    start = filters.start(today)
    acted = Q(first_action_at__gte=start)
    decided = Q(closed_at__gte=start)
    hours, days = _elapsed("first_action_at", 3600), _elapsed("closed_at", 86400)
    rows = filters.cases().filter(acted | decided)
    if not uses_postgresql():  # the development database: the same figures, in Python
        if not by_team:
            return {EVERY: _timings_in_python(rows, start)}
        teams = set(rows.values_list("team_id", flat=True))
        return {team: _timings_in_python(rows.filter(team_id=team), start) for team in teams}
    group = ["team_id"] if by_team else []
    found: dict[Any, dict[str, dict[str, Any]]] = {}
    for row in rows.values(*group, "kind").annotate(
        acted=Count("id", filter=acted),
        acted_median=Percentile(hours, 0.5, filter=acted),
        acted_p90=Percentile(hours, 0.9, filter=acted),
        decided=Count("id", filter=decided),
        decided_median=Percentile(days, 0.5, filter=decided),
        decided_p90=Percentile(days, 0.9, filter=decided),
    ):
        found.setdefault(row["team_id"] if by_team else EVERY, {})[row["kind"]] = row
    return {team: _timings_from(kinds) for team, kinds in found.items()}


def _timings_from(found: dict[str, dict[str, Any]]) -> list[Timing]:
    result = []
    for kind in CaseKind:
        row = found.get(kind.value)
        if row is None:
            continue
        result.append(
            Timing(
                kind=str(kind.label),
                first_action_cases=row["acted"],
                first_action_median_hours=_round(row["acted_median"]),
                first_action_p90_hours=_round(row["acted_p90"]),
                decision_cases=row["decided"],
                decision_median_days=_round(row["decided_median"]),
                decision_p90_days=_round(row["decided_p90"]),
            )
        )
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def overdue(filters: Filters, today: dt.date) -> list[tuple[str, str, int]]:
    """(team, kind, open cases past their due date), by team name; cases with no team last."""
    return overdue_groups(filters, today, by_team=False).get(EVERY, [])


def overdue_groups(
    filters: Filters, today: dt.date, *, by_team: bool
) -> dict[Any, list[tuple[str, str, int]]]:
    rows = (
        _open(filters.cases())
        .filter(due_on__lt=today)
        .values("team_id", "team__name", "kind")
        .annotate(count=Count("id"))
        .order_by(F("team__name").asc(nulls_last=True), "kind")
    )
    labels = dict(CaseKind.choices)
    found: dict[Any, list[tuple[str, str, int]]] = {}
    for row in rows:
        kind = str(labels.get(row["kind"], row["kind"]))
        found.setdefault(row["team_id"] if by_team else EVERY, []).append(
            (row["team__name"] or NO_TEAM, kind, row["count"])
        )
    return found


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def percentile(values: list[float], fraction: float) -> float | None:
    """PERCENTILE_CONT's answer (linear between the two nearest values), for SQLite."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timings_in_python(rows: QuerySet[Case], start: dt.datetime) -> list[Timing]:
    """The development database (SQLite) has no percentiles: the same figures, in Python."""
    hours: dict[str, list[float]] = {}
    days: dict[str, list[float]] = {}
    for kind, opened, acted, closed in rows.values_list(
        "kind", "opened_at", "first_action_at", "closed_at"
    ):
        if acted is not None and acted >= start:
            hours.setdefault(kind, []).append((acted - opened).total_seconds() / 3600)
        if closed is not None and closed >= start:
            days.setdefault(kind, []).append((closed - opened).total_seconds() / 86400)
    found = {
        kind: {
            "acted": len(hours.get(kind, [])),
            "acted_median": percentile(hours.get(kind, []), 0.5),
            "acted_p90": percentile(hours.get(kind, []), 0.9),
            "decided": len(days.get(kind, [])),
            "decided_median": percentile(days.get(kind, []), 0.5),
            "decided_p90": percentile(days.get(kind, []), 0.9),
        }
        for kind in set(hours) | set(days)
    }
    return _timings_from(found)


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows for one team (or all) and period, as plain data: what
    the worker stores in a snapshot and the charts are drawn from."""

    weekly: list[tuple[dt.date, int, int]]
    backlog: list[tuple[str, int]]
    timings: list[Timing]
    overdue: list[tuple[str, str, int]]

    def to_json(self) -> dict[str, Any]:
        return {
            "weekly": [(week.isoformat(), arrived, done) for week, arrived, done in self.weekly],
            "backlog": self.backlog,
            "timings": [list(vars(timing).values()) for timing in self.timings],
            "overdue": self.overdue,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figures":
        return cls(
            weekly=[(dt.date.fromisoformat(w), a, c) for w, a, c in data["weekly"]],
            backlog=[(label, count) for label, count in data["backlog"]],
            timings=[Timing(*values) for values in data["timings"]],
            overdue=[(team, kind, count) for team, kind, count in data["overdue"]],
        )


def compute(filters: Filters, today: dt.date) -> Figures:
    """Every figure, live from the case rows: four queries."""
    return Figures(
        weekly=weekly(filters, today),
        backlog=backlog(filters, today),
        timings=timings(filters, today),
        overdue=overdue(filters, today),
    )
