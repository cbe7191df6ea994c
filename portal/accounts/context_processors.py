"""Service navigation and session-timeout details for every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from portal.accounts import sessions
from portal.staff_permissions import StaffPermission, has_staff_permission


def account(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    path = request.path
    items: list[dict[str, Any]] = []

    def item(text: str, name: str) -> None:
        href = reverse(name)
        items.append({"text": text, "href": href, "active": path.startswith(href)})

    if user is not None and user.is_authenticated:
        item("Your account", "accounts:home")
        if has_staff_permission(user, StaffPermission.MANAGE_ACCOUNTS):
            item("Accounts", "accounts:staff_account_search")
        if has_staff_permission(user, StaffPermission.DECIDE_SECOND_FACTOR_RESETS):
            item("Second factor requests", "accounts:staff_factor_resets")
        item("Sign out", "accounts:sign_out")
        idle_left, absolute_left = sessions.seconds_left(request)
        return {
            "navigation_items": items,
            "session_timeout": {
                "idle_seconds": settings.SESSION_IDLE_SECONDS,
                "idle_left": idle_left,
                "absolute_left": absolute_left,
                "warning_seconds": settings.SESSION_WARNING_SECONDS,
                "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
                "absolute_hours": settings.SESSION_COOKIE_AGE // 3600,
            },
        }
    item("Create an account", "accounts:sign_up")
    item("Sign in", "accounts:sign_in")
    return {"navigation_items": items, "session_timeout": None}
