"""Permission names for the API key pages and the API itself (portal.access).

"api.key" declares every /api/v1/ operation: the caller is an API key (ApiKeyAuth), and each
operation asks the access function about the provider or notification its URL names,
answering 404 outside the key's scope.
"""

from typing import Any

from django.http import HttpRequest

from portal.access import register_permission
from portal.api.models import ApiKeyActor


def _is_api_key(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return isinstance(getattr(request, "auth", None), ApiKeyActor)


register_permission("api.key", _is_api_key, reads=frozenset({"provider_id", "reference"}))
