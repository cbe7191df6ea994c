"""Styled error pages. Each logs one line (with the request id) and never shows a traceback."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("portal.errors")


def _error_page(request: HttpRequest, template: str, status: int, reason: str) -> HttpResponse:
    logger.warning(
        "%s %s answered %s: %s", request.method, request.path, status, reason or "no reason"
    )
    try:
        return render(request, template, status=status)
    except Exception:  # the error page itself must never fail
        logger.exception("Rendering the %s page failed", status)
        return HttpResponse(
            f"<!DOCTYPE html><title>Error {status}</title><h1>Error {status}</h1>",
            status=status,
        )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/400.html", 400, repr(exception))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/403.html", 403, repr(exception))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "errors/404.html", 404, "no such page")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        "errors/500.html",
        500,
        "unhandled exception (traceback on the django.request line)",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, "errors/csrf.html", 403, f"CSRF check failed: {reason}")
