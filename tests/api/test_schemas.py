"""`from_row`: a response filled from a row's attributes of the same names."""

import datetime as dt
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from portal.api.schemas import ConditionOut, ManagerOut, from_row


def test_fields_come_from_attributes_of_the_same_name() -> None:
    row = SimpleNamespace(
        text="No new admissions", location_id=None, start_date=dt.date(2026, 1, 5)
    )
    assert from_row(ConditionOut, row) == ConditionOut(
        text="No new admissions", location_id=None, start_date=dt.date(2026, 1, 5)
    )


def test_given_values_stand_for_attributes_the_row_names_otherwise() -> None:
    # Only the field not given is read from the row: it has no `name` or `role`.
    row = SimpleNamespace(full_name="Ada Smith", location_id="1-101")
    manager = from_row(ManagerOut, row, name=row.full_name, role="Registered manager")
    assert manager == ManagerOut(name="Ada Smith", role="Registered manager", location_id="1-101")


def test_values_are_still_checked() -> None:
    row = SimpleNamespace(text="Conditions", location_id=None, start_date="not a date")
    with pytest.raises(ValidationError):
        from_row(ConditionOut, row)
