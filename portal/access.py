"""Who is asking, and how each view declares who may reach it.

A `Principal` is whoever a request acts as: a signed-in user today (an API key, later). The
portal's one access function (`portal.organisations.access`) and the staff permissions
(`portal.staff_permissions`) take a principal.

Every URL the portal serves must be declared either public or protected by a named
permission; tests/test_url_access.py walks the URLconf and fails for any view that is not,
and for a view whose URL names a provider, location or notification but whose permission
does not check that object.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])

ACCESS_ATTRIBUTE = "portal_access"
PUBLIC = "public"

# URL arguments that name something only some principals may see.
SCOPED_URL_ARGUMENTS = frozenset({"provider_id", "location_id", "reference"})


class Principal(Protocol):
    """Whoever a request acts as. Users are the only kind today (an anonymous visitor is a
    principal that is not authenticated); a user who is a registered person also has a
    `person_id`, which the access function reads for their register roles."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_staff(self) -> bool: ...

    def get_username(self) -> str:
        """How the principal is named in the audit log (a user's email address)."""
        ...


class Account(Principal, Protocol):
    """A signed-in user's account as the layers below `portal.accounts` see it: delegation,
    the register and the kernel name users through this protocol, so they never import the
    accounts package that builds on them (`portal.accounts.models.User` satisfies it)."""

    @property
    def id(self) -> int: ...

    @property
    def email(self) -> str: ...

    @property
    def full_name(self) -> str: ...

    @property
    def person_id(self) -> int | None: ...

    @property
    def last_login(self) -> datetime | None: ...


def public(view: ViewFunc) -> ViewFunc:
    """Anyone, signed in or not, may use this view."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


PermissionCheck = Callable[[HttpRequest, dict[str, Any]], bool]


@dataclass(frozen=True)
class RegisteredPermission:
    check: PermissionCheck
    # URL arguments the check looks at (answering 404 for an object outside the principal's
    # scope), so a route naming a provider, location or reference cannot be protected by a
    # permission that never looks at it.
    reads: frozenset[str] = frozenset()
    # Regulator staff permissions cover every provider, location and notification.
    covers_everything: bool = False


_PERMISSIONS: dict[str, RegisteredPermission] = {}


def register_permission(
    name: str,
    check: PermissionCheck,
    *,
    reads: frozenset[str] = frozenset(),
    covers_everything: bool = False,
) -> None:
    """Domains register the checks behind their permission names at start-up."""
    _PERMISSIONS[name] = RegisteredPermission(check, reads, covers_everything)


def signed_in(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return bool(request.user.is_authenticated)


register_permission("signed_in", signed_in)


def requires(permission: str) -> Callable[[ViewFunc], ViewFunc]:
    """Only users who hold `permission` may use this view; others are asked to sign in or refused."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _PERMISSIONS[permission].check(request, kwargs):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, permission)
        return guarded  # type: ignore[return-value]

    return decorate


def declared_access(view: Callable[..., Any]) -> str | None:
    return getattr(view, ACCESS_ATTRIBUTE, None)


def known_permissions() -> set[str]:
    return set(_PERMISSIONS)


def unchecked_url_arguments(permission: str, arguments: set[str]) -> set[str]:
    """Which of a route's scoped arguments (provider, location, reference) `permission`
    does not check."""
    registered = _PERMISSIONS[permission]
    if registered.covers_everything:
        return set()
    return (arguments & SCOPED_URL_ARGUMENTS) - registered.reads


def signed_in_user(request: HttpRequest) -> Account:
    """The user a signed-in view acts for (its declared access has already required one)."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied("sign in first")
    return user
