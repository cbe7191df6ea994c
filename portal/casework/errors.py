"""Why casework services refuse a request: stable codes for the API (portal.errors)."""

from portal.errors import ErrorCode, Refusals


class CaseworkError(ErrorCode):
    NOT_FOUND = "casework.not_found"
    STAFF_ONLY = "casework.staff_only"
    ASSIGN_NOT_PERMITTED = "casework.assign_not_permitted"
    ALREADY_TAKEN = "casework.already_taken"
    CASE_CLOSED = "casework.case_closed"
    NOT_YOURS = "casework.not_yours"
    COLLEAGUE_NOT_STAFF = "casework.colleague_not_staff"
    NOTE_EMPTY = "casework.note_empty"
    NOTE_TOO_LONG = "casework.note_too_long"
    NOTHING_CHOSEN = "casework.nothing_chosen"
    TOO_MANY_CHOSEN = "casework.too_many_chosen"
    CLOCK = "casework.clock"
    CANNOT_DECIDE = "casework.cannot_decide"
    WRONG_STATUS = "casework.wrong_status"
    COLLEAGUE_CANNOT_DECIDE = "casework.colleague_cannot_decide"


NOTE_MAX_LENGTH = 5000
BULK_MAX = 200

_REFUSALS: dict[CaseworkError, tuple[str, str | None]] = {
    CaseworkError.NOT_FOUND: ("This case does not exist.", None),
    CaseworkError.STAFF_ONLY: ("Only regulator staff who work on cases can do that.", None),
    CaseworkError.ASSIGN_NOT_PERMITTED: (
        "Only team leaders can give cases that are not theirs to someone else.",
        None,
    ),
    CaseworkError.ALREADY_TAKEN: ("Someone else took this case first.", None),
    CaseworkError.CASE_CLOSED: ("This case is closed.", None),
    CaseworkError.NOT_YOURS: ("This case is not assigned to you.", None),
    CaseworkError.COLLEAGUE_NOT_STAFF: (
        "Select a colleague who works on cases from the list",
        "colleague",
    ),
    CaseworkError.NOTE_EMPTY: ("Enter a note", "body"),
    CaseworkError.NOTE_TOO_LONG: (
        f"Note must be {NOTE_MAX_LENGTH:,} characters or fewer",
        "body",
    ),
    CaseworkError.NOTHING_CHOSEN: ("Select at least one case", "cases"),
    CaseworkError.TOO_MANY_CHOSEN: (f"Select {BULK_MAX} cases or fewer at a time", "cases"),
    CaseworkError.CLOCK: ("The deadline clock cannot do that.", None),
    CaseworkError.WRONG_STATUS: ("This case cannot do that now.", None),
    CaseworkError.CANNOT_DECIDE: ("You cannot decide this kind of case.", None),
    CaseworkError.COLLEAGUE_CANNOT_DECIDE: (
        "Select a colleague who can decide this kind of case",
        "colleague",
    ),
}

refused = Refusals(_REFUSALS)
