"""Each dashboard chart as data: a title, a summary sentence, a table (the CSV's too) and its
SVG. The dashboard page draws them all; the CSV export asks for one and runs only its query."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from portal.casework.dashboards import figures
from portal.casework.dashboards.svg import Series, bar_chart

Cell = str | int | float | None


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    summary: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    svg: Markup


def _week(monday: dt.date) -> str:
    return f"{monday.day} {monday:%b %Y}"


def weekly(weeks: list[tuple[dt.date, int, int]]) -> Chart:
    arrived = sum(row[1] for row in weeks)
    completed = sum(row[2] for row in weeks)
    title = "Arrivals and completions per week"
    if arrived > completed:
        trend = "more arrived than were completed, so the backlog grew"
    elif arrived < completed:
        trend = "more were completed than arrived, so the backlog fell"
    else:
        trend = "as many were completed as arrived"
    summary = (
        f"Over the last {len(weeks)} weeks {arrived:,} cases arrived and {completed:,} were "
        f"completed: {trend}."
    )
    labels = [_week(week) for week, _a, _c in weeks]
    return Chart(
        "weekly",
        title,
        summary,
        ("Week beginning", "Arrivals", "Completions"),
        [(week.isoformat(), a, c) for week, a, c in weeks],
        bar_chart(
            chart_id="weekly",
            title=title,
            summary=summary,
            categories=labels,
            series=[
                Series("arrivals", tuple(a for _w, a, _c in weeks)),
                Series("completions", tuple(c for _w, _a, c in weeks)),
            ],
            unit="Cases",
        ),
    )


def backlog(bands: list[tuple[str, int]]) -> Chart:
    total = sum(count for _label, count in bands)
    oldest = next(((label, n) for label, n in reversed(bands) if n), None)
    title = "Open cases by age"
    summary = f"{total:,} cases are open." + (
        f" The oldest band with cases is {oldest[0].lower()}, with {oldest[1]:,}." if oldest else ""
    )
    return Chart(
        "backlog",
        title,
        summary,
        ("Age since arrival", "Open cases"),
        list(bands),
        bar_chart(
            chart_id="backlog",
            title=title,
            summary=summary,
            categories=[label for label, _n in bands],
            series=[Series("open cases", tuple(n for _label, n in bands))],
            unit="Cases",
        ),
    )


def _timing_chart(
    slug: str, title: str, unit: str, timings: list[figures.Timing], pick: Callable[..., tuple]
) -> Chart:
    rows = [(t.kind, *pick(t)) for t in timings]
    medians = [(kind, median) for kind, _count, median, _p90 in rows if median is not None]
    if medians:
        slowest = max(medians, key=lambda pair: pair[1])
        summary = f"{title}: the slowest median is {slowest[0].lower()}s, at {slowest[1]:,} {unit}."
    else:
        summary = f"{title}: no cases in this period."
    return Chart(
        slug,
        title,
        summary,
        ("Kind of case", "Cases", f"Median ({unit})", f"90th percentile ({unit})"),
        rows,
        bar_chart(
            chart_id=slug,
            title=title,
            summary=summary,
            categories=[row[0] for row in rows],
            series=[
                Series("median", tuple(row[2] or 0 for row in rows)),
                Series("90th percentile", tuple(row[3] or 0 for row in rows)),
            ],
            unit=unit.capitalize(),
        ),
    )


def first_action(timings: list[figures.Timing]) -> Chart:
    return _timing_chart(
        "first-action",
        "Time to first action",
        "hours",
        timings,
        lambda t: (t.first_action_cases, t.first_action_median_hours, t.first_action_p90_hours),
    )


def decision(timings: list[figures.Timing]) -> Chart:
    return _timing_chart(
        "decision",
        "Time to decision",
        "days",
        timings,
        lambda t: (t.decision_cases, t.decision_median_days, t.decision_p90_days),
    )


def overdue(rows: list[tuple[str, str, int]]) -> Chart:
    per_team: dict[str, int] = {}
    for team, _kind, count in rows:
        per_team[team] = per_team.get(team, 0) + count
    total = sum(per_team.values())
    title = "Overdue cases by team and kind"
    summary = f"{total:,} open cases are past their due date."
    if per_team:
        worst = max(per_team.items(), key=lambda pair: pair[1])
        summary += f" The most are in {worst[0]}, with {worst[1]:,}."
    return Chart(
        "overdue",
        title,
        summary,
        ("Team", "Kind of case", "Overdue cases"),
        list(rows),
        bar_chart(
            chart_id="overdue",
            title=title,
            summary=summary,
            categories=list(per_team),
            series=[Series("overdue cases", tuple(per_team.values()))],
            unit="Cases",
        ),
    )


CHARTS: dict[str, Callable[[figures.Figures], Chart]] = {
    "weekly": lambda figs: weekly(figs.weekly),
    "backlog": lambda figs: backlog(figs.backlog),
    "first-action": lambda figs: first_action(figs.timings),
    "decision": lambda figs: decision(figs.timings),
    "overdue": lambda figs: overdue(figs.overdue),
}


def every_chart(figs: figures.Figures) -> list[Chart]:
    return [build(figs) for build in CHARTS.values()]
