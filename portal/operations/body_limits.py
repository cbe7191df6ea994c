"""Request bodies are refused by their declared size, before anything reads them.

Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE) count only form fields, and only while the
body is being read: a multipart file of any size is streamed to disk first, and the CSRF check
reads the body on every POST. This middleware answers 413 from the Content-Length alone, and
refuses a body that does not declare its length (nginx, in front in production, declares it
for every body it passes on, having capped chunked ones at its own client_max_body_size).
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger("portal.errors")


def body_limit_for(path: str) -> int:
    """The limit in bytes for a request to `path`: the longest matching prefix in
    REQUEST_BODY_LIMITS_BY_PREFIX, else REQUEST_BODY_LIMIT_BYTES."""
    matches = [
        (len(prefix), limit)
        for prefix, limit in settings.REQUEST_BODY_LIMITS_BY_PREFIX.items()
        if path.startswith(prefix)
    ]
    return max(matches)[1] if matches else settings.REQUEST_BODY_LIMIT_BYTES


def check_body_limits(app_configs: Any = None, **_kwargs: Any) -> list[CheckMessage]:
    """A mistyped limit would fail every request to its prefix, so the site refuses to start."""
    limits = {"REQUEST_BODY_LIMIT_BYTES": settings.REQUEST_BODY_LIMIT_BYTES}
    limits |= {
        f"REQUEST_BODY_LIMITS_BY_PREFIX[{prefix!r}]": limit
        for prefix, limit in settings.REQUEST_BODY_LIMITS_BY_PREFIX.items()
    }
    errors: list[CheckMessage] = [
        Error(f"{name} must be a positive whole number of bytes, not {limit!r}.", id="portal.E413")
        for name, limit in limits.items()
        if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0
    ]
    errors += [
        Error(
            f"REQUEST_BODY_LIMITS_BY_PREFIX: {prefix!r} must be a path starting with '/'.",
            id="portal.E414",
        )
        for prefix in settings.REQUEST_BODY_LIMITS_BY_PREFIX
        if not isinstance(prefix, str) or not prefix.startswith("/")
    ]
    return errors


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH", "")
    if raw in ("", None):
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise BadRequest(f"The Content-Length {raw[:40]!r} is not a number of bytes.")
    return int(raw)


# A refused body no larger than this is read and thrown away before the answer. A server that
# closes a connection with unread data on it sends a reset, and nginx, still passing the body
# on, then answers 502 instead of our 413. nginx caps bodies at 3 MiB, so this covers every
# body it forwards, while a direct 60 MiB upload is still refused without being read.
DRAIN_LIMIT_BYTES = 4 * 1024 * 1024
_DRAIN_CHUNK_BYTES = 64 * 1024


def _discard_body(request: HttpRequest, length: int) -> None:
    if length > DRAIN_LIMIT_BYTES:
        return
    try:
        while request.read(_DRAIN_CHUNK_BYTES):
            pass
    except OSError:
        pass  # the client went away: nothing left to answer


def too_large_page(request: HttpRequest, limit: int, status: int = 413) -> HttpResponse:
    # No "Connection: close" here: WSGI leaves connections to the server, and gunicorn's sync
    # workers close each one after its answer, so the unread body is never parsed as a request.
    for prefix, code in settings.REQUEST_BODY_PROBLEM_CODES.items():
        if request.path_info.startswith(prefix):
            # Software, not people, calls these URLs: an RFC 9457 problem with its code.
            detail = f"The request body must be {filesizeformat(limit)} or smaller."
            if status == 411:
                detail = "Send the body with a Content-Length."
            problem = {"type": "about:blank", "title": detail, "status": status}
            problem |= {"detail": detail, "code": code}
            return JsonResponse(problem, status=status, content_type="application/problem+json")
    return render(
        request,
        "operations/request_too_large.html",
        {"limit": filesizeformat(limit), "length_required": status == 411},
        status=status,
    )


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit_for(request.path_info)
        length = _declared_length(request)
        if length is None and "HTTP_TRANSFER_ENCODING" in request.META:
            # Django would read such a body as empty; say so instead of losing it quietly.
            logger.warning("%s %s answered 411: no Content-Length", request.method, request.path)
            return too_large_page(request, limit, status=411)
        if length is not None and length > limit:
            logger.warning(
                "%s %s answered 413: %d bytes declared, limit %d",
                request.method,
                request.path,
                length,
                limit,
            )
            _discard_body(request, length)
            return too_large_page(request, limit)
        return self.get_response(request)
