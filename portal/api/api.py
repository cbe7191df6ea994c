"""The API at /api/v1/: django-ninja, keys as Bearer tokens, RFC 9457 problems for every
refusal, and an OpenAPI 3 schema whose error responses say `application/problem+json`."""

from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from portal.api import notification_routes, register_routes
from portal.api.auth import ApiKeyAuth
from portal.api.errors import ApiError, refused
from portal.api.problems import (
    PROBLEM_CONTENT_TYPE,
    problem_document,
    problem_response,
    response_for,
)
from portal.errors import ServiceError

DESCRIPTION = """Submit and follow statutory notifications from care-record software.

Authenticate with an API key made by a team manager on the provider's "API keys" page:
`Authorization: Bearer <key>`. Every POST needs an `Idempotency-Key` header (a new UUID for
each new request; a retry with the same key gets the first answer back, marked
`Idempotent-Replayed: true`). Refusals are `application/problem+json` (RFC 9457) with a stable
`code`. Times are UTC (ISO 8601). Lists use cursors. Each key may make a limited number of
requests a minute: over it, 429 with `Retry-After`."""


# Any operation may answer these (bad input, no key, too many requests); POSTs these too.
ALWAYS_POSSIBLE = (400, 401, 422, 429)
POST_ALSO = (409, 413)
_PROBLEM = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "A new value (a UUID) for each new request; the same value for its retries.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


class PortalApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Ninja's schema, saying what it cannot: errors are problem documents, and every
        POST takes an Idempotency-Key (read by portal.api.idempotency, not by a parameter,
        so a missing one gets its own code)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if method == "post":
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
                responses = operation.setdefault("responses", {})
                for status in ALWAYS_POSSIBLE + (POST_ALSO if method == "post" else ()):
                    if status not in responses and str(status) not in responses:
                        responses[status] = {
                            "description": HTTPStatus(status).phrase,
                            "content": _PROBLEM,
                        }
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


api = PortalApi(
    title="Provider Portal API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ApiKeyAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("", notification_routes.catalogue_router)
api.add_router("", notification_routes.router)
api.add_router("", register_routes.router)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return response_for(error)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    document = problem_document(refused(ApiError.INVALID_REQUEST), 422)
    document["errors"] = [
        {
            "key": ".".join(
                str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path")
            )
            or "body",
            "message": str(item.get("msg", "Not valid")),
        }
        for item in error.errors
    ]
    return problem_response(document)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return response_for(refused(ApiError.KEY_MISSING))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    code = ApiError.METHOD_NOT_ALLOWED if error.status_code == 405 else ApiError.INVALID_REQUEST
    return response_for(refused(code, error.message), error.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return response_for(refused(ApiError.NOT_FOUND))
