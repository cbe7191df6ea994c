"""The API key pages (under a provider) and the API at /api/v1/ (django-ninja), each URL
declared for the walker in tests/test_url_access.py."""

from typing import Any

from django.urls import URLPattern, URLResolver, include, path

from portal.access import ACCESS_ATTRIBUTE, PUBLIC
from portal.api import views
from portal.api.api import api

# Schema and documentation are deliberately public (they describe, and hold no data); every
# operation is for API keys ("api.key", checks.py).
_PUBLIC_NINJA_VIEWS = {"openapi-json"}


def _declared(patterns: list[Any]) -> list[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            access = PUBLIC if pattern.name in _PUBLIC_NINJA_VIEWS else "api.key"
            setattr(pattern.callback, ACCESS_ATTRIBUTE, access)
    return patterns


_ninja_patterns, _app_name, _namespace = api.urls
_keys = "providers/<str:provider_id>/api-keys/"

page_patterns = (
    [
        path(_keys, views.api_keys, name="api_keys"),
        path(_keys + "new/", views.api_key_new, name="api_key_new"),
        path(_keys + "<uuid:key_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
        path("api/v1/docs", views.documentation, name="documentation"),
    ],
    "api_pages",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(page_patterns)),
    path("api/v1/", include((_declared(_ninja_patterns), _app_name), namespace=_namespace)),
]
