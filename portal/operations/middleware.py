"""Request id on every request and response; no caching of pages meant for one person;
no form input that is not UTF-8."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
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


_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class RejectMalformedInputMiddleware:
    """A query string or form body that is not valid UTF-8 gets a 400, not mojibake.

    Django would decode such bytes leniently (replacement characters, or Latin-1), so a form
    could store text nobody typed. Multipart bodies are left to Django's parser, which
    refuses broken ones itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if query and not _is_utf8_form_encoding(query.encode("latin-1", "replace")):
            raise BadRequest("The query string is not valid UTF-8.")
        is_form_body = request.content_type == "application/x-www-form-urlencoded"
        # Reading the body also enforces DATA_UPLOAD_MAX_MEMORY_SIZE (a 400 when over).
        if (
            is_form_body
            and request.method in _WITH_BODY
            and not _is_utf8_form_encoding(request.body)
        ):
            raise BadRequest("The form body is not valid UTF-8.")
        return self.get_response(request)


def _is_utf8_form_encoding(raw: bytes) -> bool:
    """True when the bytes, once percent-escapes are undone, are UTF-8 text."""
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
