"""How each view declares who may reach it.

Every URL the portal serves must be declared either public or protected by a named
permission; tests/test_url_access.py walks the URLconf and fails for any view that is not.
The permission names are checked by the access function of the domain that owns them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])

ACCESS_ATTRIBUTE = "portal_access"
PUBLIC = "public"


def public(view: ViewFunc) -> ViewFunc:
    """Anyone, signed in or not, may use this view."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


PermissionCheck = Callable[[HttpRequest, dict[str, Any]], bool]
_PERMISSION_CHECKS: dict[str, PermissionCheck] = {}


def register_permission(name: str, check: PermissionCheck) -> None:
    """Domains register the checks behind their permission names at start-up."""
    _PERMISSION_CHECKS[name] = check


def signed_in(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return bool(request.user.is_authenticated)


def regulator_staff(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


register_permission("signed_in", signed_in)
register_permission("regulator_staff", regulator_staff)


def requires(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Only users who hold `permission` may use this view; others are asked to sign in or refused."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check = _PERMISSION_CHECKS[permission]
            if not check(request, kwargs):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, permission)
        return guarded  # type: ignore[return-value]

    return decorate


def declared_access(view: Callable[..., Any]) -> str | None:
    return getattr(view, ACCESS_ATTRIBUTE, None)


def known_permissions() -> set[str]:
    return set(_PERMISSION_CHECKS)
