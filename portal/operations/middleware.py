"""Request id on every request and response; no caching of pages meant for one person."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from portal.operations.request_context import new_request_id, set_request_id


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get(self.header))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Cleared when the response is closed (see apps.py), after Django's own request
        # logging, so Django's "Not Found" and access lines carry the id too.
        set_request_id(request_id)
        response = self.get_response(request)
        response[self.header] = request_id
        return response


class PrivatePageCacheMiddleware:
    """Signed-in pages, and anything that set a cookie, must never be stored by a cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.cookies:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
