"""The catalogue of audit verbs: each domain lists its verbs as an `AuditVerb` enum, each with
the data keys every event of that kind must carry, and `record()` refuses a verb that is not
catalogued or an event that lacks one of its keys.

    class AccountsVerb(AuditVerb):
        SIGNED_IN = "accounts.signed_in", "method"
"""

from enum import StrEnum
from typing import Self


class AuditVerb(StrEnum):
    """Base of every domain's catalogue. The value is the verb stored on the event."""

    required: frozenset[str]

    def __new__(cls, value: str, *required: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.required = frozenset(required)
        return member


class UnknownAuditVerb(LookupError):
    pass


def catalogued(verb: str) -> AuditVerb:
    """The catalogue entry for `verb` (an enum member, or its value)."""
    if isinstance(verb, AuditVerb):
        return verb
    for catalogue in AuditVerb.__subclasses__():
        if verb in catalogue._value2member_map_:
            return catalogue(verb)
    raise UnknownAuditVerb(f"{verb!r} is in no audit verb catalogue")


def all_verbs() -> list[AuditVerb]:
    return [verb for catalogue in AuditVerb.__subclasses__() for verb in catalogue]
