"""The authentication backend and middleware: Django's, except that reading the signed-in user
also reads their staff standing (portal/staff/access.py), so staff permissions cost no query
of their own, and that a request's user read with its session (session_store.py) costs no
query either."""

from contextvars import ContextVar
from typing import Any

from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.accounts.models import User
from portal.staff.access import remember_standing, user_with_standing
from portal.staff.session_store import SessionStore

# The session whose user Django's get_user is reading, while it does (see the middleware).
_session_being_read: ContextVar[SessionBase | None] = ContextVar("session_being_read", default=None)


def _user_read_with_session(user_id: Any) -> User | None:
    session = _session_being_read.get()
    if not isinstance(session, SessionStore):
        return None
    return session.take_signed_in_user(user_id)


class StaffAwareModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = _user_read_with_session(user_id) or user_with_standing(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_standing(user)
        return user


def _request_user(request: HttpRequest) -> Any:
    # As django.contrib.auth.middleware.get_user, with the request's session offered to the
    # backend: Django's get_user still checks the backend, the account and the password hash.
    if not hasattr(request, "_cached_user"):
        offer = _session_being_read.set(request.session)
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            _session_being_read.reset(offer)
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _request_user(request))  # type: ignore[assignment]
