"""A member of staff without a confirmed second factor reaches no staff page: they are sent
to set one up (issue 15: a second factor is mandatory for staff)."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from portal.access import declared_access
from portal.accounts import sessions
from portal.accounts.models import User
from portal.accounts.views import SETUP_FLOW
from portal.staff.access import staff_standing

STAFF_PERMISSION_PREFIX = "staff."


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        _args: tuple[Any, ...],
        _kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        access = declared_access(view) or ""
        user = request.user
        if not access.startswith(STAFF_PERMISSION_PREFIX) or not isinstance(user, User):
            return None
        if not staff_standing(user).needs_second_factor:
            return None
        # Back to "password proven, second factor not yet": the set-up page takes it from there
        # and signs them in fully once the authenticator is confirmed.
        logout(request)
        sessions.begin_pending(request, user)
        request.session[SETUP_FLOW] = "sign_in"
        return redirect("accounts:set_up_authenticator")
