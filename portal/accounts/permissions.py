"""Permission names the accounts package owns (see portal/access.py)."""

from typing import Any

from django.http import HttpRequest

from portal.access import register_permission
from portal.accounts.selectors import has_any_access


def provider_access(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    """Signed in and holding at least one live grant (a registered role or a delegation)."""
    user = request.user
    return bool(user.is_authenticated and has_any_access(user))


register_permission("accounts.any_access", provider_access)
