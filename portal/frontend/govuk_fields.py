"""Form fields whose GOV.UK pattern has no Django equivalent: memorable dates and times,
and radios with one "Select …" error.

Error messages follow the GOV.UK Design System's wording ("Date of death must include a
month", "must be a real date", "must be today or in the past") and say which parts of a
date were wrong, so the adapter can highlight just those inputs.
"""

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]{1,9}")
_MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B").lower(),
        dt.date(2000, number, 1).strftime("%b").lower(),
    )
}


class GovukDateWidget(forms.Widget):
    """Three inputs, name-day, name-month and name-year, read back as a dict of strings."""

    template_name = ""  # rendered only through the GOV.UK adapter

    def __init__(self, autocomplete_birthday: bool = False, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.autocomplete_birthday = autocomplete_birthday

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> dict[str, str] | None:
        raw = {part: data.get(f"{name}-{part}") for part in DATE_PARTS}
        if all(value is None for value in raw.values()):
            return None
        return {part: str(value or "").strip() for part, value in raw.items()}

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: Mapping[str, Any], name: str
    ) -> bool:
        return all(f"{name}-{part}" not in data for part in DATE_PARTS)

    def part_values(self, value: Any) -> dict[str, str]:
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return {part: str(value.get(part, "")) for part in DATE_PARTS}
        return {}

    def autocomplete_for(self, part: str) -> str | None:
        if not self.autocomplete_birthday:
            return None
        return {"day": "bday-day", "month": "bday-month", "year": "bday-year"}[part]

    @staticmethod
    def parts_in_error(errors: Sequence[ValidationError]) -> list[str]:
        for error in errors:
            params = error.params or {}
            parts = params.get("parts") if isinstance(params, dict) else None
            if parts:
                return [part for part in DATE_PARTS if part in parts]
        return list(DATE_PARTS) if errors else []


def radios(label: str, error: str, **extra: Any) -> forms.ChoiceField:
    """One answer from radios whose choices the form sets. GOV.UK asks the same "Select …"
    whether nothing was chosen or something that was not offered."""
    return forms.ChoiceField(
        label=label,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **extra,
    )


def offer(
    field: forms.Field, choices: Sequence[tuple[Any, str]], hints: Mapping[Any, str] | None = None
) -> None:
    """Give a choice field the choices a form works out when it is built, each with the hint
    shown under it (`hints` by value; the GOV.UK adapter reads them)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(choices)
    field.choice_hints = dict(hints or {})  # type: ignore[attr-defined]


def _part_error(message: str, code: str, parts: Sequence[str]) -> ValidationError:
    return ValidationError(message, code=code, params={"parts": list(parts)})


class GovukDateField(forms.Field):
    """A memorable date (day, month, year) with GOV.UK error messages.

    `name` is how errors refer to the date ("Date of death"); `past_only` rejects dates after
    today; `earliest` rejects dates before it (the message names it).
    """

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        name: str | None = None,
        past_only: bool = False,
        future_only: bool = False,
        earliest: dt.date | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.name = name
        self.past_only = past_only
        self.future_only = future_only
        self.earliest = earliest

    @property
    def subject(self) -> str:
        return self.name or str(self.label or "Date")

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, Mapping):
            if value in (None, ""):
                return None
            raise _part_error(f"{self.subject} must be a real date", "invalid", DATE_PARTS)
        texts = {part: str(value.get(part) or "").strip() for part in DATE_PARTS}
        if not any(texts.values()):
            return None
        subject = self.subject
        missing = [part for part in DATE_PARTS if not texts[part]]
        if missing:
            named = " and ".join(f"a {part}" for part in missing)
            raise _part_error(f"{subject} must include {named}", "incomplete", missing)
        month_number = _MONTH_NAMES.get(texts["month"].lower())
        if month_number is not None:
            texts["month"] = str(month_number)
        # ASCII digits only: str.isdigit() also accepts "²" and other scripts' digits.
        bad = [part for part in DATE_PARTS if not _DIGITS.fullmatch(texts[part])]
        if bad:
            raise _part_error(f"{subject} must be a real date", "invalid", bad)
        if len(texts["year"]) != 4:
            raise _part_error("Year must include 4 numbers", "year_length", ["year"])
        day, month, year = (int(texts[part]) for part in DATE_PARTS)
        if not 1 <= month <= 12:
            raise _part_error(f"{subject} must be a real date", "invalid", ["month"])
        if year < dt.MINYEAR:
            raise _part_error(f"{subject} must be a real date", "invalid", ["year"])
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise _part_error(f"{subject} must be a real date", "invalid", ["day"])
        return dt.date(year, month, day)

    def validate(self, value: dt.date | None) -> None:
        if value is None:
            if self.required:
                raise ValidationError(
                    f"Enter {self.subject[0].lower()}{self.subject[1:]}",
                    code="required",
                    params={"parts": list(DATE_PARTS)},
                )
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise _part_error(f"{self.subject} must be today or in the past", "future", DATE_PARTS)
        if self.future_only and value <= today:
            raise _part_error(f"{self.subject} must be in the future", "past", DATE_PARTS)
        if self.earliest and value < self.earliest:
            raise _part_error(
                f"{self.subject} must be the same as or after "
                f"{self.earliest.day} {self.earliest:%B %Y}",
                "too_early",
                DATE_PARTS,
            )


class GovukTimeWidget(forms.TextInput):
    """A single text input for a time, read as 24-hour or 12-hour ("14:30", "2:30pm")."""


_TIME = re.compile(
    r"\s*(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)?\s*",
    re.IGNORECASE | re.ASCII,
)


class GovukTimeField(forms.Field):
    """A time of day, entered as 14:30, 2:30pm, 2pm, midday or midnight."""

    widget = GovukTimeWidget

    def __init__(self, *, name: str | None = None, **kwargs: Any):
        kwargs.setdefault("help_text", "For example, 14:30 or 2:30pm")
        super().__init__(**kwargs)
        self.name = name

    def to_python(self, value: Any) -> dt.time | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.time):
            return value
        text = str(value).strip().lower()
        if len(text) > 20:
            raise ValidationError(f"{self._subject} must be a real time", code="invalid")
        if text in {"midday", "noon", "12 noon"}:
            return dt.time(12, 0)
        if text == "midnight":
            return dt.time(0, 0)
        match = _TIME.fullmatch(text)
        if not match:
            raise ValidationError(
                f"{self._subject} must be a real time, like 14:30 or 2:30pm", code="invalid"
            )
        hour = int(match["hour"])
        minute = int(match["minute"] or 0)
        meridiem = (match["meridiem"] or "").replace(".", "")
        if meridiem:
            if not 1 <= hour <= 12:
                raise ValidationError(f"{self._subject} must be a real time", code="invalid")
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"{self._subject} must be a real time", code="invalid")
        return dt.time(hour, minute)

    def validate(self, value: dt.time | None) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter {self._subject.lower()}", code="required")

    @property
    def _subject(self) -> str:
        return self.name or str(self.label or "Time")
