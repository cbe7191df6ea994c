"""Checks every incoming value must pass before it is staged. Each failure names the field."""

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from portal.emails.addresses import AddressError, canonical_email
from portal.register.models import PUBLIC_PERSON_REF_PREFIX

# `1-` and 9 to 11 digits (1-101614751, 1-10024040008), or an NHS ODS code: 3 to 6 capital
# letters and digits with at least one letter (RX3, 5J5 for trusts; RM317, 5J501 for sites).
_REGULATOR_ID = re.compile(r"1-\d{9,11}|(?=[A-Z0-9]*[A-Z])[A-Z0-9]{3,6}")
# The regulator's own person reference in the contact feed: P and 6 to 10 digits.
PERSON_REF = re.compile(r"P\d{6,10}")
_US_DATE_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}:\d{2} [AP]M)?")


class RecordError(ValueError):
    """The record cannot be applied; the message says why, naming the field."""


@lru_cache(maxsize=200_000)
def _valid_regulator_id(cleaned: str) -> bool:
    return len(cleaned) <= 20 and bool(_REGULATOR_ID.fullmatch(cleaned))


def regulator_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{field} is missing")
    cleaned = value.strip()
    if not _valid_regulator_id(cleaned):
        raise RecordError(f"{field} {_show(cleaned)} is not in the regulator's ID format")
    return cleaned


def optional_regulator_id(value: Any, field: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return regulator_id(value, field)


def person_ref(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecordError("person_ref is missing")
    cleaned = value.strip()
    if cleaned.startswith(PUBLIC_PERSON_REF_PREFIX) or not PERSON_REF.fullmatch(cleaned):
        raise RecordError(f"person_ref {_show(cleaned)} is not P followed by 6 to 10 digits")
    return cleaned


def text(value: Any, field: str, max_length: int = 255, required: bool = False) -> str:
    if (
        type(value) is str
        and len(value) <= max_length
        and value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
        and (value or not required)
    ):
        return value  # already clean: the common case, checked cheaply
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"{field} must be text")
    cleaned = " ".join(str(value).split())
    if required and not cleaned:
        raise RecordError(f"{field} is missing")
    if len(cleaned) > max_length:
        raise RecordError(f"{field} is longer than {max_length} characters")
    if "\x00" in cleaned:
        raise RecordError(f"{field} contains a NUL character")
    return cleaned


def iso_date(value: Any, field: str) -> dt.date | None:
    """YYYY-MM-DD, or empty. Also M/D/YYYY [h:mm:ss AM] as in the care-directory export."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be a date like 2024-03-31")
    parsed = _parse_date(value.strip())
    if isinstance(parsed, str):
        raise RecordError(f"{field} {parsed}")
    return parsed


@lru_cache(maxsize=50_000)
def _parse_date(cleaned: str) -> dt.date | str:
    """The date, or what is wrong with it (the same few thousand dates recur in a register)."""
    try:
        return _date(cleaned)
    except RecordError as error:
        return str(error)


def _date(cleaned: str) -> dt.date:
    try:
        if match := _US_DATE_TIME.fullmatch(cleaned):
            month, day, year = (int(part) for part in match.groups())
            parsed = dt.date(year, month, day)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            parsed = dt.date.fromisoformat(cleaned)
        else:
            raise RecordError(f"{_show(cleaned)} is not a date like 2024-03-31")
    except ValueError as error:
        if isinstance(error, RecordError):
            raise
        raise RecordError(f"{_show(cleaned)} is not a real date") from None
    if not dt.date(1900, 1, 1) <= parsed <= dt.date(2100, 12, 31):
        raise RecordError(f"{cleaned} is not a plausible date")
    return parsed


def yes_no(value: Any, field: str) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, str) and value.strip().upper() in ("Y", "N"):
        return value.strip().upper() == "Y"
    raise RecordError(f"{field} must be Y or N")


def whole_number(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"{field} must be a whole number")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 0 or value > 100_000:
        raise RecordError(f"{field} must be a whole number from 0 to 100000")
    return value


def email(value: Any) -> str:
    cleaned = text(value, "email", max_length=320)
    if not cleaned:
        return ""
    canonical, problem = _canonical_email(cleaned)
    if problem:
        raise RecordError(f"email {_show(cleaned)} {problem}")
    return canonical


@lru_cache(maxsize=200_000)
def _canonical_email(cleaned: str) -> tuple[str, str]:
    """(the address as accounts will look it up, what is wrong with it)."""
    try:
        return canonical_email(cleaned), ""
    except AddressError as error:
        if error.code == "mixed_scripts":
            return "", "mixes letters of different alphabets that can look alike"
        return "", "is not an email address"


def dates_in_order(start: dt.date | None, end: dt.date | None, what: str) -> None:
    if start and end and end < start:
        raise RecordError(f"{what} ends ({end}) before it starts ({start})")


def _show(value: str) -> str:
    """Quote a bad value for a message, cut short so a huge value cannot flood the report."""
    return repr(value if len(value) <= 40 else value[:40] + "…")
