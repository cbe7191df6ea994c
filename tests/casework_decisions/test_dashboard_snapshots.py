"""The worker's snapshot of the dashboard figures: the same numbers as live, refreshed only
when due, and never used once stale (the page computes live instead)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.casework.dashboards import figures, snapshots
from portal.casework.dashboards.models import ALL_TEAMS, DashboardSnapshot, SnapshotFigures
from portal.casework.models import CaseStatus
from portal.staff.models import Team
from tests import factories as f

DASHBOARD = reverse("dashboards:dashboard")


@pytest.fixture
def cases(db):
    team = f.make_team("Team A")
    now = timezone.now()
    f.make_case(
        team=team,
        opened_at=now - dt.timedelta(days=2),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    f.make_case(
        team=team,
        opened_at=now - dt.timedelta(days=9),
        first_action_at=now - dt.timedelta(days=8),
        closed_at=now - dt.timedelta(days=1),
        status=CaseStatus.CLOSED,
    )
    f.make_case(opened_at=now - dt.timedelta(days=100))
    f.make_team("Team with nothing", region="North East")
    return team


@pytest.mark.django_db
def test_a_snapshot_holds_the_live_figures_of_every_team_and_period(cases):
    snapshots.take_snapshot()
    today = timezone.localdate()
    stored = SnapshotFigures.objects.all()
    # All teams, Team A and the team with nothing.
    assert stored.count() == 3 * len(figures.PERIOD_WEEKS)
    for team in (None, *Team.objects.all()):
        for weeks in figures.PERIOD_WEEKS:
            filters = figures.Filters(team=team, weeks=weeks)
            found = snapshots.stored(filters)
            assert found is not None
            assert found[0] == figures.compute(filters, today)
    assert stored.filter(team_key=ALL_TEAMS).count() == len(figures.PERIOD_WEEKS)


@pytest.mark.django_db
def test_refresh_waits_until_the_snapshot_is_old_enough_and_keeps_only_the_newest(cases, settings):
    settings.DASHBOARD_REFRESH_MINUTES = 10
    assert snapshots.refresh() is True
    assert snapshots.refresh() is False
    DashboardSnapshot.objects.update(taken_at=timezone.now() - dt.timedelta(minutes=11))
    assert snapshots.refresh() is True
    assert DashboardSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_the_page_reads_the_snapshot_in_fewer_queries_and_says_when_it_was_taken(
    client, world, cases, django_assert_max_num_queries
):
    snapshot = snapshots.take_snapshot()
    client.force_login(world.staff)
    with django_assert_max_num_queries(8):
        html = client.get(DASHBOARD).content.decode()
    local = timezone.localtime(snapshot.taken_at)
    assert f"as they were at {local.day} {local:%B %Y}" in html
    assert "1 open cases are past their due date." in html


@pytest.mark.django_db
def test_a_stale_snapshot_is_not_used(client, world, cases, settings):
    settings.DASHBOARD_STALE_MINUTES = 30
    snapshots.take_snapshot()
    # A case arrives overdue after the snapshot, and the worker stops.
    f.make_case(opened_at=timezone.now(), due_on=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(world.staff)
    assert "1 open cases are past their due date." in client.get(DASHBOARD).content.decode()
    DashboardSnapshot.objects.update(taken_at=timezone.now() - dt.timedelta(minutes=31))
    assert "2 open cases are past their due date." in client.get(DASHBOARD).content.decode()


def test_the_sweeper_runs_the_refresh():
    from django.conf import settings

    assert "portal.casework.dashboards.snapshots.refresh" in settings.SWEEP_HOOKS
