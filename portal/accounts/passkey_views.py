"""Passkey pages: sign in with one, and add, list or remove them from your account.

Each page is an ordinary form. The page's script (static portal/passkeys.js) asks the browser
for the passkey when the form is sent and puts the browser's answer, or the name of the error
it met, into hidden fields; the server checks everything and shows any error in the usual
GOV.UK way. Without the script the form still arrives and the page explains what is needed.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.access import public, requires
from portal.accounts import forms, selectors, sessions
from portal.accounts.code_pages import GET_POST
from portal.accounts.code_wording import minutes as _minutes
from portal.accounts.models import User
from portal.accounts.services import passkeys as service
from portal.accounts.services.passkeys import PasskeyProblem, PasskeyRejected
from portal.accounts.sessions import signed_in_user
from portal.accounts.views import NEXT_URL, _safe_next, after_confirming, password_confirmed

_NO_ANSWER = (
    "Your browser did not send a passkey. Passkeys need JavaScript turned on and a browser "
    "that supports them"
)

_BROWSER_ERRORS_ADDING = {
    "NotAllowedError": "The passkey was not created. You may have cancelled, or it took too "
    "long. Try again",
    "InvalidStateError": "This device or security key already has a passkey for your account. "
    "Use a different one, or keep using the one you have",
    "SecurityError": "Passkeys cannot be used at this web address. Contact us if this carries on",
    "NotSupportedError": "Your browser or device does not support passkeys. Try a different "
    "browser or device",
}
_BROWSER_ERRORS_SIGNING_IN = {
    "NotAllowedError": "You did not use your passkey, or it took too long. Try again, or use "
    "your authenticator app instead",
    "SecurityError": "Passkeys cannot be used at this web address. Use your authenticator app "
    "instead",
    "NotSupportedError": "Your browser or device does not support passkeys. Use your "
    "authenticator app instead",
}

_PROBLEMS_ADDING = {
    PasskeyProblem.EXPIRED: "The time to create your passkey ran out. Try again",
    PasskeyProblem.NOT_VERIFIED: "We could not check the passkey your browser sent. Try again",
    PasskeyProblem.ALREADY_ADDED: "That passkey is already added to an account",
    PasskeyProblem.TOO_MANY: "You already have the most passkeys an account can have. "
    "Remove one before you add another",
}
_PROBLEMS_SIGNING_IN = {
    PasskeyProblem.EXPIRED: "The time to use your passkey ran out. Try again",
    PasskeyProblem.NOT_VERIFIED: "We could not check your passkey. Try again, or use your "
    "authenticator app instead",
    PasskeyProblem.UNKNOWN_PASSKEY: "That passkey is not one you added to this account. Use "
    "another passkey, or your authenticator app",
    PasskeyProblem.CLONE_SUSPECTED: "We could not accept that passkey because it may have been "
    "copied. Use your authenticator app, then remove the passkey from your account",
}


def _browser_error(form: forms.PasskeyAnswerForm, wording: dict[str, str]) -> str | None:
    """The error to show when the browser sent no answer (None when it sent one)."""
    name = form.cleaned_data["browser_error"]
    if name:
        return wording.get(name, "Something went wrong with your passkey. Try again")
    if not form.cleaned_data["credential"]:
        return _NO_ANSWER
    return None


def _passkey_problem(
    form: forms.PasskeyAnswerForm, *, user: User, rp: service.RelyingParty, request: HttpRequest
) -> str | None:
    """Check the browser's answer as the second factor; the error to show, or None."""
    try:
        service.check_passkey(
            user=user, response_json=form.cleaned_data["credential"], rp=rp, request=request
        )
    except PasskeyRejected as rejected:
        if rejected.problem is PasskeyProblem.BLOCKED:
            return (
                "There have been too many attempts to sign in to this account from your "
                f"network. Try again in {_minutes(rejected.retry_after)}"
            )
        return _PROBLEMS_SIGNING_IN[rejected.problem]
    return None


def _asking_for_a_passkey(
    request: HttpRequest,
    template: str,
    form: forms.PasskeyAnswerForm,
    *,
    user: User,
    rp: service.RelyingParty,
) -> HttpResponse:
    """A page whose script asks the browser for one of this account's passkeys."""
    return render(
        request,
        template,
        {"form": form, "options": service.authentication_options(user=user, rp=rp)},
    )


# --- Sign-in step ------------------------------------------------------------------------------


@public
@GET_POST
def sign_in_passkey(request: HttpRequest) -> HttpResponse:
    user = sessions.pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue")
        return redirect("accounts:sign_in")
    if not service.has_passkeys(user):
        return redirect("accounts:sign_in_authenticator")
    rp = service.relying_party(request)
    form = forms.PasskeyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _browser_error(form, _BROWSER_ERRORS_SIGNING_IN) or _passkey_problem(
            form, user=user, rp=rp, request=request
        )
        if error is None:
            next_url = request.session.pop(NEXT_URL, None)
            sessions.complete_sign_in(request, user)
            return redirect(_safe_next(request, next_url) or reverse("home:index"))
        form.add_error(None, error)
    return _asking_for_a_passkey(request, "accounts/sign_in_passkey.html", form, user=user, rp=rp)


@requires("signed_in")
@GET_POST
def reauthenticate_with_passkey(request: HttpRequest) -> HttpResponse:
    """ "Confirm it is you" with the password and a passkey instead of a code."""
    user = signed_in_user(request)
    next_url = after_confirming(request)
    if not service.has_passkeys(user):
        return redirect(f"{reverse('accounts:reauthenticate')}?next={next_url}")
    rp = service.relying_party(request)
    form = forms.ReauthenticateWithPasskeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _browser_error(form, _BROWSER_ERRORS_SIGNING_IN)
        if error is None and password_confirmed(request, user, form):
            error = _passkey_problem(form, user=user, rp=rp, request=request)
            if error is None:
                sessions.mark_reauthenticated(request)
                return redirect(next_url)
        if error is not None:
            form.add_error(None, error)
    return _asking_for_a_passkey(
        request, "accounts/reauthenticate_passkey.html", form, user=user, rp=rp
    )


# --- Your passkeys -------------------------------------------------------------------------------


@requires("signed_in")
@require_safe
def passkey_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "accounts/passkeys.html", {"passkeys": selectors.passkeys_of(user)})


@requires("signed_in")
@GET_POST
@sessions.reauthenticated
def add_passkey(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rp = service.relying_party(request)
    form = forms.AddPasskeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _browser_error(form, _BROWSER_ERRORS_ADDING)
        if error is None:
            try:
                passkey = service.add_passkey(
                    user=user,
                    name=form.cleaned_data["name"],
                    response_json=form.cleaned_data["credential"],
                    rp=rp,
                    request=request,
                )
            except PasskeyRejected as rejected:
                error = _PROBLEMS_ADDING.get(
                    rejected.problem, _PROBLEMS_ADDING[PasskeyProblem.NOT_VERIFIED]
                )
            else:
                messages.success(request, f"Passkey ‘{passkey.name}’ added")
                return redirect("accounts:passkeys")
        form.add_error(None, error)
    return render(
        request,
        "accounts/passkey_add.html",
        {"form": form, "options": service.registration_options(user=user, rp=rp)},
    )


@requires("signed_in")
@GET_POST
@sessions.reauthenticated
def remove_passkey(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = signed_in_user(request)
    passkey = selectors.passkey_of(user, passkey_id)
    if passkey is None:
        raise Http404("No such passkey")
    if request.method == "POST":
        service.remove_passkey(user=user, passkey_id=passkey.id, request=request)
        messages.success(request, f"Passkey ‘{passkey.name}’ removed")
        return redirect("accounts:passkeys")
    return render(request, "accounts/passkey_remove.html", {"passkey": passkey})
