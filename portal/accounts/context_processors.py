"""Session-timeout details for every signed-in page (the service navigation is
portal.home.navigation's)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from portal.accounts import sessions


def account(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"session_timeout": None}
    idle_left, absolute_left = sessions.seconds_left(request)
    return {
        "session_timeout": {
            "idle_seconds": settings.SESSION_IDLE_SECONDS,
            "idle_left": idle_left,
            "absolute_left": absolute_left,
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": settings.SESSION_COOKIE_AGE // 3600,
        }
    }
