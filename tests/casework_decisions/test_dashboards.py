"""Dashboard figures on a known data set, the page (charts a screen reader can follow,
tables beside them, filters), and each chart's CSV (streamed, formulas neutralised)."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.casework.dashboards import charts, export, figures, svg
from portal.casework.models import CaseKind, CaseStatus
from tests import factories as f

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 25)  # a Wednesday; its week began on Monday 23 November
DASHBOARD = reverse("dashboards:dashboard")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def known(db):
    """Six cases whose every figure is worked out by hand in the tests below."""
    team_a, team_b = f.make_team("Team A"), f.make_team("Team B", region="North West")
    closed = CaseStatus.CLOSED
    f.make_case(
        opened_at=at(d(11, 3), 10),
        first_action_at=at(d(11, 3), 12),  # 2 hours
        closed_at=at(d(11, 5), 10),  # 2 days
        status=closed,
        team=team_a,
    )
    f.make_case(
        opened_at=at(d(11, 10)),
        first_action_at=at(d(11, 10), 19),  # 10 hours
        closed_at=at(d(11, 20)),  # 10 days
        status=closed,
        team=team_a,
    )
    f.make_case(
        kind=CaseKind.APPLICATION, opened_at=at(d(11, 17)), due_on=d(11, 20), team=team_b
    )  # open 8 days, overdue
    f.make_case(opened_at=at(d(11, 24)), due_on=d(12, 1), team=team_a)  # open 1 day, not due
    f.make_case(opened_at=at(d(1, 1)), due_on=d(2, 1))  # no team, open 328 days, overdue
    f.make_case(
        opened_at=at(d(10, 20), 12),
        first_action_at=at(d(10, 21), 12),  # acted before the period: not counted
        closed_at=at(d(11, 18), 12),  # 29 days and the hour the clocks went back
        status=closed,
        team=team_a,
    )
    return team_a, team_b


def test_arrivals_and_completions_per_week(known):
    weeks = figures.weekly(figures.Filters(weeks=4), TODAY)
    assert weeks == [
        (d(11, 2), 1, 1),
        (d(11, 9), 1, 0),
        (d(11, 16), 1, 2),
        (d(11, 23), 1, 0),
    ]
    team_a, _team_b = known
    by_team = figures.weekly(figures.Filters(team=team_a, weeks=4), TODAY)
    assert [(arrived, completed) for _week, arrived, completed in by_team] == [
        (1, 1),
        (1, 0),
        (0, 2),
        (1, 0),
    ]


def test_backlog_by_age(known):
    assert figures.backlog(figures.Filters(), TODAY) == [
        ("Up to 5 days", 1),
        ("6 to 20 days", 1),
        ("21 to 60 days", 0),
        ("61 to 180 days", 0),
        ("Over 180 days", 1),
    ]


def test_time_to_first_action_and_to_decision(known):
    (timing,) = figures.timings(figures.Filters(weeks=4), TODAY)
    assert timing.kind == "Notification"
    assert (timing.first_action_cases, timing.decision_cases) == (2, 3)
    # Hours: 2 and 10. Days: 2, 10 and 29 (and one hour: the clocks went back on 25 October).
    assert (timing.first_action_median_hours, timing.first_action_p90_hours) == (6.0, 9.2)
    assert (timing.decision_median_days, timing.decision_p90_days) == (10.0, 25.2)


def test_the_python_percentiles_match_postgresqls(known):
    assert figures.percentile([2.0, 10.0], 0.5) == 6.0
    p90 = figures.percentile([2.0, 10.0, 29.0 + 1 / 24], 0.9)
    assert p90 is not None
    assert round(p90, 1) == 25.2
    assert figures.percentile([], 0.5) is None


def test_overdue_by_team_and_kind(known):
    assert figures.overdue(figures.Filters(), TODAY) == [
        ("Team B", "Registration application", 1),
        ("No team", "Notification", 1),
    ]
    team_a, _team_b = known
    assert figures.overdue(figures.Filters(team=team_a), TODAY) == []


def test_each_chart_says_its_figures_in_a_sentence(known):
    weekly, backlog, first_action, decision, overdue = charts.every_chart(
        figures.compute(figures.Filters(weeks=4), TODAY)
    )
    assert weekly.summary == (
        "Over the last 4 weeks 4 cases arrived and 3 were completed: more arrived than were "
        "completed, so the backlog grew."
    )
    assert backlog.summary == (
        "3 cases are open. The oldest band with cases is over 180 days, with 1."
    )
    assert first_action.summary == (
        "Time to first action: the slowest median is notifications, at 6.0 hours."
    )
    assert decision.rows == [("Notification", 3, 10.0, 25.2)]
    assert overdue.summary == (
        "2 open cases are past their due date. The most are in Team B, with 1."
    )


def test_the_svg_has_a_title_a_summary_and_escapes_every_text():
    drawn = svg.bar_chart(
        chart_id="test",
        title="Overdue <by> team",
        summary="2 & more",
        categories=["<script>alert(1)</script>", "Team B"],
        series=[svg.Series("overdue", (3, 1))],
        unit="Cases",
    )
    assert 'role="img"' in drawn
    assert 'aria-labelledby="test-title test-desc"' in drawn
    assert '<title id="test-title">Overdue &lt;by&gt; team</title>' in drawn
    assert '<desc id="test-desc">2 &amp; more</desc>' in drawn
    assert "<script>" not in drawn
    assert drawn.count("<rect") == 2


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 1.0), (1, 1.0), (3, 5.0), (7, 10.0), (12, 20.0), (180, 200.0)]
)
def test_the_value_axis_ends_at_a_round_number(largest, top):
    assert svg.nice_maximum(largest) == top


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Team A", "Team A"),
        (-3, -3),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell, written):
    assert export.neutralised(cell) == written


def _recent(team, **fields):
    now = timezone.now()
    return f.make_case(team=team, opened_at=now - dt.timedelta(days=3), **fields)


@pytest.fixture
def recent(db):
    team_a = f.make_team("Team A")
    hostile = f.make_team('=HYPERLINK("http://evil.example")', region="North West")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _recent(team_a, due_on=yesterday, reference="NOT-A")
    _recent(hostile, due_on=yesterday, reference="NOT-B")
    _recent(hostile, due_on=yesterday, kind=CaseKind.APPLICATION, reference="APP-C")
    return team_a, hostile


@pytest.mark.django_db
def test_the_dashboard_shows_each_chart_with_its_table_in_few_queries(
    client, world, recent, django_assert_max_num_queries
):
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get(DASHBOARD)
    html = response.content.decode()
    for title in (
        "Arrivals and completions per week",
        "Open cases by age",
        "Time to first action",
        "Time to decision",
        "Overdue cases by team and kind",
    ):
        assert (
            f'<caption class="govuk-table__caption govuk-table__caption--s">{title}: the data'
            in html
        )
    assert html.count("<svg") == 5
    assert "3 open cases are past their due date." in html
    assert '<desc id="overdue-desc">3 open cases are past their due date.' in html
    assert "=HYPERLINK(&#34;http://evil.example&#34;)" in html or "=HYPERLINK(&quot;" in html


@pytest.mark.django_db
def test_filtering_by_team_and_period(client, world, recent):
    team_a, _hostile = recent
    client.force_login(world.staff)
    html = client.get(DASHBOARD, {"team": team_a.pk, "weeks": 4}).content.decode()
    assert "Figures for Team A, for the last 4 weeks" in html
    assert "1 open cases are past their due date." in html
    assert f"?team={team_a.pk}&amp;weeks=4" in html  # the CSV links keep the filters


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"team": "999999"}, "Select a team from the list"),
        ({"team": "1 OR 1=1"}, "Select a team from the list"),
        ({"weeks": "5"}, "Select a period from the list"),
        ({"weeks": "<script>"}, "Select a period from the list"),
    ],
)
def test_bad_filters_are_named_and_every_team_is_shown(client, world, recent, query, error):
    client.force_login(world.staff)
    html = client.get(DASHBOARD, query).content.decode()
    assert error in html
    assert "Figures for all teams, for the last 12 weeks" in html
    assert "3 open cases are past their due date." in html


@pytest.mark.django_db
def test_a_chart_downloads_as_csv_with_formulas_neutralised(
    client, world, recent, django_assert_max_num_queries
):
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboards:csv", kwargs={"slug": "overdue"}))
        body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="overdue-12-weeks-')
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [
        ["Team", "Kind of case", "Overdue cases"],
        ['\'=HYPERLINK("http://evil.example")', "Registration application", "1"],
        ['\'=HYPERLINK("http://evil.example")', "Notification", "1"],
        ["Team A", "Notification", "1"],
    ]


@pytest.mark.django_db
def test_every_chart_has_a_csv_and_an_unknown_one_is_not_found(client, world, recent):
    client.force_login(world.staff)
    for slug in ("weekly", "backlog", "first-action", "decision", "overdue"):
        response = client.get(reverse("dashboards:csv", kwargs={"slug": slug}))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).count(b"\n") >= 1
    assert client.get("/regulator/dashboards/passwd.csv").status_code == 404


@pytest.mark.django_db
def test_providers_cannot_see_dashboards(client, world, recent):
    client.force_login(world.nominated)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("dashboards:csv", kwargs={"slug": "overdue"})).status_code == 403


@pytest.mark.django_db
def test_the_demo_history_fills_the_dashboards_once(client, world):
    from portal.casework.models import Case
    from portal.demo import casework_history

    casework_history.load()
    casework_history.load()
    history = Case.objects.filter(subject_type=casework_history.SUBJECT_TYPE)
    assert history.count() == casework_history.CASES
    client.force_login(world.staff)
    html = client.get(DASHBOARD).content.decode()
    assert "North West adult social care" in html
    assert "Over the last 12 weeks 0 cases arrived" not in html
