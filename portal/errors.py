"""What a service refuses, as a catalogue: one exception type for every domain.

A `ServiceError` carries a stable `code` (a member of its domain's `ErrorCode` enum, the
same text the API will return), a `message` written for people (views show it as it is),
and the `field` it concerns when there is one (forms put the message against that field).

    class NotificationErrorCode(ErrorCode):
        ALREADY_SENT = "notifications.already_sent"

    raise NotificationError(NotificationErrorCode.ALREADY_SENT, "This notification was sent")
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar


class ErrorCode(StrEnum):
    """Base of every domain's error codes. Codes are part of the API: never reuse or rename
    one; add a new one instead."""


class FormShowingErrors(Protocol):
    """A Django form, as far as a refusal needs one."""

    @property
    def fields(self) -> Mapping[str, Any]: ...

    def add_error(self, field: str | None, error: Any) -> None: ...


class ServiceError(Exception):
    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    def show_on(self, form: FormShowingErrors) -> None:
        """Put the refusal on `form`: against its field when the form has that field, else
        above the form, so the page's error summary lists it like any other error."""
        form.add_error(self.field if self.field in form.fields else None, self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code.value!r}, {self.message!r})"


Code = TypeVar("Code", bound=ErrorCode)


class Refusals(Generic[Code]):
    """A domain's refusals: each code's message and the field it concerns. Calling it with a
    code gives the ServiceError to raise; a refusal of the moment may bring its own message.

        refused = Refusals({NotificationError.NOT_NOW: ("This cannot be done now.", None)})
        raise refused(NotificationError.NOT_NOW)
    """

    def __init__(self, messages: Mapping[Code, tuple[str, str | None]]) -> None:
        self._messages = messages

    def __call__(self, code: Code, message: str = "") -> ServiceError:
        default, field = self._messages[code]
        return ServiceError(code, message or default, field=field)


def all_error_codes() -> list[ErrorCode]:
    return [code for catalogue in ErrorCode.__subclasses__() for code in catalogue]
