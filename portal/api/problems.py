"""Errors as RFC 9457 problem details (`application/problem+json`), each carrying the
service error code (portal.errors) in `code`, and the answer keys at fault in `errors`."""

import json
from typing import Any

from django.http import HttpResponse

from portal.api.errors import ApiError, refused
from portal.errors import ErrorCode, ServiceError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://portal.example/api/v1/problems/"

_STATUS_BY_CODE: dict[str, int] = {
    ApiError.KEY_MISSING: 401,
    ApiError.KEY_INVALID: 401,
    ApiError.KEY_REVOKED: 401,
    ApiError.KEY_EXPIRED: 401,
    ApiError.RATE_LIMITED: 429,
    ApiError.IDEMPOTENCY_KEY_MISSING: 400,
    ApiError.IDEMPOTENCY_KEY_INVALID: 400,
    ApiError.IDEMPOTENCY_KEY_REUSED: 422,
    ApiError.NOT_FOUND: 404,
    ApiError.NOT_PERMITTED: 403,
    ApiError.BODY_TOO_LARGE: 413,
    ApiError.METHOD_NOT_ALLOWED: 405,
}
_FORBIDDEN_SUFFIXES = ("_not_permitted", "not_in_scope", "staff_only", "whole_provider_only")
_CONFLICT_SUFFIXES = ("already_decided", "already_answered", "already_sent", "not_now")


def status_for(code: ErrorCode) -> int:
    """The HTTP status of a service refusal: the API's own codes are listed; a domain's
    follow its name (not permitted 403, a state that forbids it 409, else 422)."""
    if code.value in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[code.value]
    if code.value.endswith(_FORBIDDEN_SUFFIXES):
        return 403
    if code.value.endswith(_CONFLICT_SUFFIXES):
        return 409
    return 422


class RateLimited(ServiceError):
    def __init__(self, retry_after: int) -> None:
        base = refused(ApiError.RATE_LIMITED)
        super().__init__(base.code, base.message)
        self.retry_after = retry_after


class AnswersInvalid(ServiceError):
    """Answers that fail validation, each error against its answer's key."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        base = refused(ApiError.ANSWERS_INVALID)
        super().__init__(base.code, base.message, field=base.field)
        self.errors = errors


def problem_document(error: ServiceError, status: int | None = None) -> dict[str, Any]:
    status = status or status_for(error.code)
    document: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.code.value,
        "title": error.message,
        "status": status,
        "detail": error.message,
        "code": error.code.value,
    }
    errors = getattr(error, "errors", None)
    if errors is not None:
        document["errors"] = errors
    elif error.field:
        document["errors"] = [{"key": error.field, "message": error.message}]
    return document


def problem_response(
    document: dict[str, Any], *, headers: dict[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document), status=document["status"], content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def response_for(error: ServiceError, status: int | None = None) -> HttpResponse:
    headers = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if status_for(error.code) == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem_response(problem_document(error, status), headers=headers)
