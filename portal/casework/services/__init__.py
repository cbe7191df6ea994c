"""The only code that writes cases: keyword-only, atomic, a history row and an audit event
with every change, under the case's row lock."""

from portal.casework.services.assignment import get_next, give_to, reassign_in_bulk, release, take
from portal.casework.services.cases import (
    case_of,
    cases_of,
    close_case,
    open_case,
    restart_clock,
    stop_clock,
    update_case,
)
from portal.casework.services.notes import add_internal_note

__all__ = [
    "add_internal_note",
    "case_of",
    "cases_of",
    "close_case",
    "get_next",
    "give_to",
    "open_case",
    "reassign_in_bulk",
    "release",
    "restart_clock",
    "stop_clock",
    "take",
    "update_case",
]
