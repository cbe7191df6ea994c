"""The id of the request (or task) being served, so every log line and audit event carries it."""

import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id(offered: str | None = None) -> str:
    """Keep a well-formed id from the load balancer, otherwise make one."""
    if offered and _ACCEPTABLE.match(offered):
        return offered
    return uuid.uuid4().hex


def set_request_id(value: str) -> None:
    _request_id.set(value)


def current_request_id() -> str:
    return _request_id.get()
