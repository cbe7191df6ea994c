"""A statutory clock that can stop and restart.

Casework and applications have limits in working days that pause while the regulator waits
for the provider ("the clock stops when we ask for information and restarts when it
arrives"). A clock is a start day, a limit and its stops; it counts only the working days on
which it was running. The days are whole days: a stop on Tuesday that ends on Thursday means
Wednesday and Thursday did not count, and the clock runs again from Friday.
"""

import datetime as dt
from dataclasses import dataclass

from portal.workflow.calendar import add_working_days, is_working_day, working_days_between


@dataclass(frozen=True)
class Stop:
    stopped_on: dt.date
    # None while the clock is still stopped.
    restarted_on: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether `day` is a day the clock did not run (after the stop, up to the restart)."""
        if day <= self.stopped_on:
            return False
        return self.restarted_on is None or day <= self.restarted_on


class ClockError(ValueError):
    """A stop or restart that makes no sense (already stopped, restart before the stop)."""


@dataclass(frozen=True)
class WorkingDayClock:
    started_on: dt.date
    limit: int
    stops: tuple[Stop, ...] = ()

    @property
    def is_running(self) -> bool:
        return not self.stops or self.stops[-1].restarted_on is not None

    def stop(self, on: dt.date) -> "WorkingDayClock":
        if not self.is_running:
            raise ClockError("The clock is already stopped")
        latest = self.stops[-1].restarted_on if self.stops else self.started_on
        if latest is not None and on < latest:
            raise ClockError("The clock cannot stop before it last started")
        return WorkingDayClock(self.started_on, self.limit, (*self.stops, Stop(on)))

    def restart(self, on: dt.date) -> "WorkingDayClock":
        if self.is_running:
            raise ClockError("The clock is not stopped")
        last = self.stops[-1]
        if on < last.stopped_on:
            raise ClockError("The clock cannot restart before it stopped")
        return WorkingDayClock(
            self.started_on, self.limit, (*self.stops[:-1], Stop(last.stopped_on, on))
        )

    def _stopped(self, day: dt.date) -> bool:
        return any(stop.covers(day) for stop in self.stops)

    def elapsed(self, on: dt.date) -> int:
        """Working days counted by the end of `on`, leaving out the days it was stopped."""
        stopped = sum(
            1
            for stop in self.stops
            for day in _days_after(stop.stopped_on, min(on, stop.restarted_on or on))
            if is_working_day(day)
        )
        return working_days_between(self.started_on, on) - stopped

    def remaining(self, on: dt.date) -> int:
        return self.limit - self.elapsed(on)

    def due_on(self) -> dt.date | None:
        """The last day within the limit, or None while the clock is stopped."""
        if not self.is_running:
            return None
        day = self.started_on
        counted = 0
        while counted < self.limit:
            day = add_working_days(day, 1)
            if not self._stopped(day):
                counted += 1
        return day


def _days_after(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1)]
