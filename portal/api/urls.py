"""The API key pages (under a provider) and the API at /api/v1/ (django-ninja), each URL
declared for the walker in tests/test_url_access.py."""

from functools import partial
from typing import Any

from django.urls import URLPattern, URLResolver, include, path

from portal.access import ACCESS_ATTRIBUTE
from portal.api import views
from portal.api.api import api

SCHEMA_URL_NAME = "openapi-json"


def _declared(patterns: list[Any]) -> list[Any]:
    """The schema is deliberately public (it describes, and holds no data); every operation
    is for API keys ("api.key", checks.py)."""
    declared = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == SCHEMA_URL_NAME:
            declared.append(path("openapi.json", views.schema, name=SCHEMA_URL_NAME))
            continue
        if isinstance(pattern, URLPattern) and isinstance(pattern.callback, partial):
            continue  # ninja's own landing page: /api/v1/docs is ours
        if isinstance(pattern, URLPattern):
            setattr(pattern.callback, ACCESS_ATTRIBUTE, "api.key")
        declared.append(pattern)
    return declared


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
