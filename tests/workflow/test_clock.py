"""Working days in England and Wales, and the statutory clock that stops and restarts."""

import datetime as dt

import pytest

from portal.workflow.calendar import add_working_days, is_working_day, working_days_between
from portal.workflow.clock import ClockError, WorkingDayClock

D = dt.date


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(D(2026, 4, 2))  # Maundy Thursday
    assert not is_working_day(D(2026, 4, 3))  # Good Friday
    assert not is_working_day(D(2026, 4, 4))  # Saturday
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day, moved from the Saturday


def test_adding_working_days_skips_easter_and_christmas():
    # Thursday before Easter + 3 working days: Tuesday, Wednesday, Thursday after it.
    assert add_working_days(D(2026, 4, 2), 3) == D(2026, 4, 9)
    # Christmas Eve (Thursday) + 1: Friday 25, weekend and Monday 28 are all off.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 9)) == 3
    assert working_days_between(D(2026, 4, 9), D(2026, 4, 2)) == 0


def test_a_running_clock_counts_working_days_to_its_limit():
    clock = WorkingDayClock(started_on=D(2026, 3, 2), limit=10)  # a Monday
    assert clock.due_on() == D(2026, 3, 16)
    assert clock.elapsed(D(2026, 3, 6)) == 4
    assert clock.remaining(D(2026, 3, 6)) == 6


def test_a_stop_spanning_a_weekend_adds_only_the_working_days_it_covered():
    started = WorkingDayClock(started_on=D(2026, 3, 2), limit=10)
    # Stopped at the end of Thursday 5th, restarted Tuesday 10th: Friday, Monday and Tuesday
    # did not count (the weekend never did).
    stopped = started.stop(D(2026, 3, 5))
    assert not stopped.is_running
    assert stopped.due_on() is None
    assert stopped.elapsed(D(2026, 3, 9)) == 3
    restarted = stopped.restart(D(2026, 3, 10))
    assert restarted.is_running
    assert restarted.elapsed(D(2026, 3, 10)) == 3
    assert restarted.elapsed(D(2026, 3, 11)) == 4
    assert restarted.due_on() == D(2026, 3, 19)  # 16th plus the three stopped working days


def test_bank_holidays_while_running_and_while_stopped_do_not_count_twice():
    clock = WorkingDayClock(started_on=D(2026, 3, 30), limit=5)  # Monday before Easter
    # Running: Tue 31, Wed 1, Thu 2, (Good Friday, weekend, Easter Monday), Tue 7, Wed 8.
    assert clock.due_on() == D(2026, 4, 8)
    # Stopped over Easter, from Wednesday 1st to Tuesday 7th: only Thu 2 and Tue 7 were
    # working days lost, so the limit moves two working days.
    paused = clock.stop(D(2026, 4, 1)).restart(D(2026, 4, 7))
    assert paused.elapsed(D(2026, 4, 7)) == 2
    assert paused.due_on() == D(2026, 4, 10)


def test_several_stops_each_count_and_nonsense_is_refused():
    clock = (
        WorkingDayClock(started_on=D(2026, 6, 1), limit=3)
        .stop(D(2026, 6, 1))
        .restart(D(2026, 6, 2))
        .stop(D(2026, 6, 3))
        .restart(D(2026, 6, 4))
    )
    assert clock.due_on() == D(2026, 6, 8)  # Tue 2 and Thu 4 stopped; Wed 3, Fri 5, Mon 8
    with pytest.raises(ClockError):
        clock.restart(D(2026, 6, 9))
    with pytest.raises(ClockError):
        clock.stop(D(2026, 6, 3))
    with pytest.raises(ClockError):
        clock.stop(D(2026, 6, 5)).stop(D(2026, 6, 6))
    with pytest.raises(ClockError):
        clock.stop(D(2026, 6, 5)).restart(D(2026, 6, 4))
