"""The worker keeps a snapshot of every team's dashboard figures; the page reads it.

`refresh()` is a sweeper hook (settings.SWEEP_HOOKS): it does nothing while the newest
snapshot is younger than DASHBOARD_REFRESH_MINUTES, and one worker at a time refreshes (a
PostgreSQL advisory lock: others skip). `stored()` returns the figures for a team and period
from a snapshot no older than DASHBOARD_STALE_MINUTES, or None, and the page then computes
them live (slower, never wrong): a stopped worker costs speed, not correctness.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.casework.dashboards import figures
from portal.casework.dashboards.models import ALL_TEAMS, DashboardSnapshot, SnapshotFigures
from portal.staff.models import Team

logger = logging.getLogger(__name__)
# Any constant: the advisory lock that says "a worker is refreshing the dashboards".
_LOCK = 15_000_005


def _refresh_minutes() -> int:
    return int(getattr(settings, "DASHBOARD_REFRESH_MINUTES", 10))


def _stale_minutes() -> int:
    return int(getattr(settings, "DASHBOARD_STALE_MINUTES", 30))


def stored(filters: figures.Filters) -> tuple[figures.Figures, dt.datetime] | None:
    """The newest fresh snapshot's figures for these filters, and when they were taken."""
    cutoff = timezone.now() - dt.timedelta(minutes=_stale_minutes())
    row = (
        SnapshotFigures.objects.filter(
            snapshot__taken_at__gte=cutoff,
            team_key=filters.team.pk if filters.team else ALL_TEAMS,
            weeks=filters.weeks,
        )
        .select_related("snapshot")
        .order_by("-snapshot__taken_at")
        .first()
    )
    if row is None:
        return None
    return figures.Figures.from_json(row.figures), row.snapshot.taken_at


def _rows(today: dt.date, teams: list[int]) -> list[SnapshotFigures]:
    """Every team's figures for every period, and every team's together, in 2 x (3 + periods)
    statements: each figure once for all the cases, once grouped by team. A shorter period's
    weeks are the end of the longest's; open and overdue cases do not depend on the period."""
    longest = figures.Filters(weeks=max(figures.PERIOD_WEEKS))
    made = []
    for by_team, keys in ((False, [figures.EVERY]), (True, teams)):
        weeks = figures.weekly_groups(longest, today, by_team=by_team)
        backlog = figures.backlog_groups(longest, today, by_team=by_team)
        overdue = figures.overdue_groups(longest, today, by_team=by_team)
        for period in figures.PERIOD_WEEKS:
            filters = figures.Filters(weeks=period)
            timings = figures.timing_groups(filters, today, by_team=by_team)
            for key in keys:
                figs = figures.Figures(
                    weekly=(weeks.get(key) or figures.weekly_of_nothing(longest, today))[-period:],
                    backlog=backlog.get(key) or figures.backlog_of_nothing(),
                    timings=timings.get(key, []),
                    overdue=overdue.get(key, []),
                )
                team_key = ALL_TEAMS if key == figures.EVERY else key
                made.append(
                    SnapshotFigures(team_key=team_key, weeks=period, figures=figs.to_json())
                )
    return made


def take_snapshot() -> DashboardSnapshot:
    """Compute and store every team's figures (and all teams'), then drop older snapshots."""
    today = timezone.localdate()
    rows = _rows(today, list(Team.objects.order_by("pk").values_list("pk", flat=True)))
    with transaction.atomic():
        snapshot = DashboardSnapshot.objects.create(taken_at=timezone.now(), taken_on=today)
        for row in rows:
            row.snapshot = snapshot
        SnapshotFigures.objects.bulk_create(rows)
        older = DashboardSnapshot.objects.filter(taken_at__lt=snapshot.taken_at)
        SnapshotFigures.objects.filter(snapshot__in=older).delete()
        older.delete()
    return snapshot


def refresh() -> bool:
    """The sweeper hook: take a snapshot when the newest is old enough. True when it did."""
    due = timezone.now() - dt.timedelta(minutes=_refresh_minutes())
    if DashboardSnapshot.objects.filter(taken_at__gte=due).exists():
        return False
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK])
                (locked,) = cursor.fetchone()
            if not locked:
                return False  # another worker is refreshing now
        snapshot = take_snapshot()
    logger.info("Dashboard figures refreshed (%s)", snapshot)
    return True
