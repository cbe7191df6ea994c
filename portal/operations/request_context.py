"""The id of the request (or task) being served, so every log line and audit event carries it."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

NO_REQUEST = "-"
_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$", re.ASCII)


def new_request_id(offered: str | None = None) -> str:
    """Keep a well-formed id from the load balancer, otherwise make one."""
    if offered and _ACCEPTABLE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def set_request_id(value: str) -> None:
    _request_id.set(value)


@contextmanager
def request_id_bound(value: str) -> Iterator[str]:
    """Everything logged or audited inside carries `value`; the previous id comes back after."""
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


def clear_request_id(**_signal_kwargs: object) -> None:
    """Forget the id once a response is finished (connected to `request_finished`)."""
    _request_id.set(NO_REQUEST)


def current_request_id() -> str:
    return _request_id.get()
