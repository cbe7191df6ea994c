"""Your signed-in sessions: see every browser signed in to your account and sign them out."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from portal.access import requires
from portal.accounts import selectors
from portal.accounts.services import signed_in
from portal.accounts.sessions import signed_in_user


@requires("signed_in")
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    found = selectors.signed_in_sessions(user, request.session.session_key)
    return render(
        request,
        "accounts/sessions.html",
        {"current": [s for s in found if s.current], "others": [s for s in found if not s.current]},
    )


@requires("signed_in")
@require_POST
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    if signed_in.end_session(user=user, session_id=session_id, request=request):
        messages.success(request, "That browser has been signed out")
    else:
        messages.info(request, "That browser was already signed out")
    return redirect("accounts:sessions")


@requires("signed_in")
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    ended = signed_in.end_other_sessions(user=user, request=request, reason="asked by the user")
    messages.success(
        request,
        f"{ended} other {'browser has' if ended == 1 else 'browsers have'} been signed out"
        if ended
        else "No other browsers were signed in",
    )
    return redirect("accounts:sessions")
