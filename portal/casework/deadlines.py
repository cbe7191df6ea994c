"""A case's deadline: a clock of working days that stops while we wait for the provider.

Every case has a clock (start day and limit) when it has a deadline at all: an item with a
fixed date (an application's validation target) becomes a clock from the day the case opened
to that date, so a stop moves any deadline right by the working days it lasted.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from portal.casework.models import CaseUrgency
from portal.workflow.calendar import add_working_days, working_days_between
from portal.workflow.clock import Stop, WorkingDayClock

# The regulator's own service level for looking at a notification, by its urgency.
SERVICE_WORKING_DAYS = {
    CaseUrgency.URGENT: 1,
    CaseUrgency.PRIORITY: 5,
    CaseUrgency.ROUTINE: 20,
}
# "Due soon": the deadline falls within this many working days from today.
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Deadline:
    started_on: dt.date
    working_days: int

    @classmethod
    def until(cls, started_on: dt.date, due_on: dt.date) -> "Deadline":
        return cls(started_on, working_days_between(started_on, due_on))

    def clock(self, stops: Iterable[tuple[dt.date, dt.date | None]] = ()) -> WorkingDayClock:
        return WorkingDayClock(
            self.started_on,
            self.working_days,
            tuple(Stop(stopped, restarted) for stopped, restarted in stops),
        )


def service_deadline(urgency: int, opened_on: dt.date) -> Deadline:
    return Deadline(opened_on, SERVICE_WORKING_DAYS.get(CaseUrgency(urgency), 20))


def queue_rank(urgency: int) -> int:
    return 4 - int(urgency)


def due_soon_until(today: dt.date) -> dt.date:
    return add_working_days(today, DUE_SOON_WORKING_DAYS)
