"""GovukDateField and GovukTimeField never crash: any input is a value or a ValidationError."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.frontend.govuk_fields import DATE_PARTS, GovukDateField, GovukDateWidget, GovukTimeField

# The machine is shared: allow slow draws rather than fail on timing.
patient = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)

# Text as browsers can send it: digits, month names, unicode digits, whitespace, anything.
part_text = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-99999, max_value=99999).map(str),
    st.sampled_from(["June", "jun", "SEPT", "²", "١٢", " 7 ", "0", "00", "99999999999"]),
)


def _clean(field: forms.Field, data: object) -> tuple[object, ValidationError | None]:
    """What the field makes of `data`: its value, or the ValidationError it raised (any
    other exception propagates and fails the test)."""
    try:
        return field.clean(data), None
    except ValidationError as raised:
        return None, raised


@patient
@given(st.dictionaries(st.sampled_from(DATE_PARTS), part_text))
def test_date_parsing_returns_a_date_or_a_validation_error(parts):
    field = GovukDateField(label="Date of death", past_only=True, required=False)
    value, error = _clean(field, parts)
    if error is None:
        assert value is None or isinstance(value, dt.date)
    else:
        # Every error names the parts to highlight, so the page can point at them.
        assert GovukDateWidget.parts_in_error([error]) or error.code == "required"
        assert all(message.strip() for message in error.messages)


@patient
@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_any_real_date_typed_as_numbers_comes_back_unchanged(date):
    field = GovukDateField(label="Date")
    typed = {"day": str(date.day), "month": str(date.month), "year": f"{date.year:04d}"}
    assert field.clean(typed) == date


@patient
@given(st.one_of(st.text(max_size=40), st.from_regex(r"\A[0-9]{1,3}[:.][0-9]{1,3} ?(am|pm)?\Z")))
def test_time_parsing_returns_a_time_or_a_validation_error(typed):
    field = GovukTimeField(label="Time of death", required=False)
    value, error = _clean(field, typed)
    if error is None:
        assert value is None or isinstance(value, dt.time)
    else:
        assert error.code == "invalid"


@patient
@given(st.times())
def test_any_time_typed_in_24_hours_comes_back_to_the_minute(time):
    field = GovukTimeField(label="Time")
    assert field.clean(f"{time.hour:02d}:{time.minute:02d}") == time.replace(
        second=0, microsecond=0
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2:30pm", dt.time(14, 30)),
        ("2.30 p.m.", dt.time(14, 30)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        ("midday", dt.time(12, 0)),
        ("Midnight", dt.time(0, 0)),
        ("9", dt.time(9, 0)),
        ("23:59", dt.time(23, 59)),
    ],
)
def test_time_forms_people_write(typed, expected):
    assert GovukTimeField(label="Time").clean(typed) == expected


def test_a_required_date_left_empty_asks_for_it_and_highlights_every_part():
    with pytest.raises(ValidationError) as caught:
        GovukDateField(label="Date of birth").clean({"day": "", "month": "", "year": ""})
    assert caught.value.messages == ["Enter date of birth"]
    assert GovukDateWidget.parts_in_error([caught.value]) == list(DATE_PARTS)


def test_earliest_and_future_only_name_the_limit():
    field = GovukDateField(label="Start date", future_only=True, earliest=dt.date(2090, 1, 1))
    with pytest.raises(ValidationError, match="Start date must be in the future"):
        field.clean({"day": "1", "month": "1", "year": "2000"})
    with pytest.raises(ValidationError, match="must be the same as or after 1 January 2090"):
        field.clean({"day": "1", "month": "1", "year": "2089"})
