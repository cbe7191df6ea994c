"""Session life: new key at each step up, idle and absolute limits kept server-side."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from portal.accounts import clock
from portal.accounts.browser_cookies import RECOGNISE_THIS_BROWSER
from portal.accounts.models import User

STARTED_AT = "auth_started_at"
LAST_SEEN_AT = "auth_last_seen_at"
PENDING_USER = "auth_pending_user"  # password proven, second factor not yet
PENDING_AT = "auth_pending_at"
REAUTH_AT = "auth_reauthenticated_at"
# A password-only (pending) session is good for this long to give the second factor.
PENDING_SECONDS = 10 * 60


def begin_pending(request: HttpRequest, user: User) -> None:
    """The password was right: remember who, on a fresh session key (no fixation)."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_AT] = clock.now().timestamp()


def pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT)
    if user_id is None or started is None:
        return None
    if clock.now().timestamp() - float(started) > PENDING_SECONDS:
        clear_pending(request)
        return None
    return User.objects.filter(id=user_id, is_active=True).first()


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_USER, None)
    request.session.pop(PENDING_AT, None)


def complete_sign_in(request: HttpRequest, user: User) -> None:
    """Both factors proven: Django's login gives yet another session key (and, through the
    user_logged_in receiver, starts the session clocks)."""
    clear_pending(request)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    # From now on this browser is the owner's (see browser_cookies.py).
    request.session[RECOGNISE_THIS_BROWSER] = True


def mark_signed_in_now(request: HttpRequest) -> None:
    moment = clock.now().timestamp()
    request.session[STARTED_AT] = moment
    request.session[LAST_SEEN_AT] = moment
    request.session[REAUTH_AT] = moment


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session.cycle_key()
    request.session[REAUTH_AT] = clock.now().timestamp()


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_AT)
    if at is None:
        return False
    return clock.now().timestamp() - float(at) <= settings.ACCOUNT_REAUTH_SECONDS


def reauthenticate_first(request: HttpRequest) -> HttpResponse | None:
    """A sensitive page asks for the password again unless the person signed in or confirmed
    it recently (ASVS 7.5.3): the way to do that and come back here, or None to go on."""
    if recently_authenticated(request):
        return None
    return redirect(f"{reverse('accounts:reauthenticate')}?next={request.path}")


def reauthenticated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A sensitive page that asks for the password again first (reauthenticate_first)."""

    @wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        detour = reauthenticate_first(request)
        return detour if detour is not None else view(request, *args, **kwargs)

    return page


def seconds_left(request: HttpRequest) -> tuple[int, int]:
    """(until the idle limit, until the absolute limit) for a signed-in session."""
    moment = clock.now().timestamp()
    last = float(request.session.get(LAST_SEEN_AT, moment))
    started = float(request.session.get(STARTED_AT, moment))
    idle = settings.SESSION_IDLE_SECONDS - (moment - last)
    absolute = settings.SESSION_COOKIE_AGE - (moment - started)
    return max(0, int(idle)), max(0, int(absolute))


def touch(request: HttpRequest) -> None:
    request.session[LAST_SEEN_AT] = clock.now().timestamp()


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that a view's declared access has already let in (a signed-in
    user): typed as a User, so services can take one."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to use this page")
    return user
