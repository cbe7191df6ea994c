"""Signs out sessions idle for 30 minutes or older than 12 hours, on the server; gives the
recognised-browser cookie after a full sign-in."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from portal.accounts import clock, sessions
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.browser_cookies import RECOGNISE_THIS_BROWSER, recognise_browser
from portal.audit.services import record

# Writing the session on every request costs a query; a few seconds' slack costs nothing.
TOUCH_EVERY_SECONDS = 15


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> None:
        session = request.session
        moment = clock.now().timestamp()
        if sessions.STARTED_AT not in session:
            # A session from before these limits existed: start counting now.
            session[sessions.STARTED_AT] = moment
            session[sessions.LAST_SEEN_AT] = moment
            return
        idle_left, absolute_left = sessions.seconds_left(request)
        if idle_left <= 0 or absolute_left <= 0:
            reason = "idle" if idle_left <= 0 else "absolute"
            user = request.user
            record(
                verb=AccountsVerb.SESSION_EXPIRED,
                actor=user,
                data={"reason": reason},
                request=request,
            )
            logout(request)
            idle_minutes = settings.SESSION_IDLE_SECONDS // 60
            hours = settings.SESSION_COOKIE_AGE // 3600
            messages.info(
                request,
                f"You were signed out because you did nothing for {idle_minutes} minutes. "
                "Sign in again to continue."
                if reason == "idle"
                else f"You were signed out because you had been signed in for {hours} hours. "
                "Sign in again to continue.",
            )
            return
        if moment - float(session[sessions.LAST_SEEN_AT]) >= TOUCH_EVERY_SECONDS:
            session[sessions.LAST_SEEN_AT] = moment


class RecognisedBrowserMiddleware:
    """After a full sign-in (sessions.complete_sign_in marks it), give the browser the
    recognised-browser cookie (browser_cookies.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The session is already loaded for a signed-in user, so this costs no query.
        user = request.user
        if user.is_authenticated and request.session.pop(RECOGNISE_THIS_BROWSER, False):
            recognise_browser(response, user)
        return response
