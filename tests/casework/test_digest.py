"""The daily digest of cases that went overdue: to each team leader, once a day, only what
is new since their last one."""

import datetime as dt

import pytest

from portal.casework import services
from portal.casework.models import OverdueDigest
from portal.casework.sweeps import send_overdue_digests
from portal.emails.models import OutboxMessage
from portal.workflow.calendar import add_working_days
from tests.casework.conftest import open_case

START = dt.date(2026, 3, 2)


@pytest.mark.django_db
def test_digest_goes_to_team_leaders_once_a_day_with_what_went_overdue(world):
    late = open_case(world, days=2, started_on=START)
    open_case(world, days=30, started_on=START)  # not due yet
    closed = open_case(world, days=1, started_on=START)
    services.close_case(case_id=closed.pk, actor=None)
    day = add_working_days(START, 5)
    assert send_overdue_digests(day) == 1
    assert send_overdue_digests(day) == 0  # the same day again: nothing
    (message,) = OutboxMessage.objects.filter(template="casework_overdue_digest")
    assert message.to == world.leader.email
    assert late.reference in message.body
    assert closed.reference not in message.body
    assert "Cases overdue in your teams now: 1." in message.body
    # The next day: nothing new went overdue, so no email.
    assert send_overdue_digests(day + dt.timedelta(days=1)) == 0
    newly = open_case(world, days=1, started_on=day)
    assert send_overdue_digests(add_working_days(day, 3)) == 1
    latest = (
        OutboxMessage.objects.filter(template="casework_overdue_digest")
        .exclude(pk=message.pk)
        .get()
    )
    assert newly.reference in latest.body
    assert "Cases overdue in your teams now: 2." in latest.body
    assert OverdueDigest.objects.count() == 2


@pytest.mark.django_db
def test_no_digest_for_leaders_without_overdue_cases_or_teams(world):
    open_case(world, location=world.surgery, days=1, started_on=START)
    world.leader.staff_member.teams.set([world.care])
    assert send_overdue_digests(add_working_days(START, 5)) == 0
