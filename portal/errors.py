"""What a service refuses, as a catalogue: one exception type for every domain.

A `ServiceError` carries a stable `code` (a member of its domain's `ErrorCode` enum, the
same text the API will return), a `message` written for people (views show it as it is),
and the `field` it concerns when there is one (forms put the message against that field).

    class NotificationErrorCode(ErrorCode):
        ALREADY_SENT = "notifications.already_sent"

    raise NotificationError(NotificationErrorCode.ALREADY_SENT, "This notification was sent")
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Base of every domain's error codes. Codes are part of the API: never reuse or rename
    one; add a new one instead."""


class ServiceError(Exception):
    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r})"


def all_error_codes() -> list[ErrorCode]:
    return [code for catalogue in ErrorCode.__subclasses__() for code in catalogue]
