"""Dates and times as GOV.UK style writes them: 4 June 2026, 2:15pm."""

import datetime as dt

from django.utils import timezone


def govuk_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def govuk_time(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


def waiting_since(value: dt.datetime, today: dt.date | None = None) -> str:
    """How long something has waited, in whole days by the calendar: "Today", "1 day"."""
    days = ((today or timezone.localdate()) - timezone.localdate(value)).days
    if days <= 0:
        return "Today"
    return f"{days} day{'' if days == 1 else 's'}"


def govuk_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


class ManyDates:
    """`govuk_date` and `govuk_datetime` for thousands of values (an export): the time zone is
    looked up once, and each calendar day and each minute of the day is written once, since
    a long list repeats them. The same text as the functions above."""

    def __init__(self) -> None:
        self._zone = timezone.get_current_timezone()
        self._days: dict[dt.date, str] = {}
        self._minutes: dict[tuple[int, int], str] = {}

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = govuk_date(value)
        return text

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(self._zone) if value.tzinfo is not None else value
        minute = (local.hour, local.minute)
        time = self._minutes.get(minute)
        if time is None:
            time = self._minutes[minute] = govuk_time(local.time())
        return f"{self.date(local.date())} at {time}"
