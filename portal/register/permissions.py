"""Who may see what of the register."""

from typing import Any

from django.http import HttpRequest

from portal.access import register_permission

VIEW_OWN_REGISTRATION = "register.view_own_registration"


def view_own_registration(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    """A signed-in user who is a registered person (delegated users have no person)."""
    user = request.user
    return bool(user.is_authenticated and getattr(user, "person_id", None))


def register() -> None:
    register_permission(VIEW_OWN_REGISTRATION, view_own_registration)
