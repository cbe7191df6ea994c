"""Working days in England and Wales: Monday to Friday, not a bank holiday.

Statutory deadlines (notifications, applications, casework) count working days. Bank
holidays come from the `holidays` package's England list, which is also Wales's (Scotland
and Northern Ireland differ and are not regulated here).
"""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day `days` working days after `start` (`start` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
