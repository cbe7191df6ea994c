"""Who may manage a provider's webhooks: whoever may manage its whole team (the one access
function decides). A provider the user has no access to at all answers 404."""

from typing import Any

from django.http import Http404, HttpRequest

from portal.access import register_permission
from portal.organisations.access import has_any_access, scope_for
from portal.organisations.permissions import Permission

MANAGE_WEBHOOKS = "webhooks.manage"


def may_manage(principal: Any, provider_id: str) -> bool:
    # Events cover every location, so a manager of some locations only may not subscribe.
    return scope_for(principal, Permission.MANAGE_TEAM, provider_id).whole_provider


def _check(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    provider_id = kwargs["provider_id"]
    if not has_any_access(request.user, provider_id):
        raise Http404("No such provider")
    return may_manage(request.user, provider_id)


def register() -> None:
    register_permission(MANAGE_WEBHOOKS, _check, reads=frozenset({"provider_id"}))
