"""Sign-up, sign-in, recovery and account pages. Thin: the services decide, views show."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from portal.access import public, requires
from portal.accounts import forms, selectors, sessions
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.code_pages import (
    GET_POST,
    CodeJourney,
    check_email_page,
    journey_done,
    journey_new_code_page,
    proven_email,
    start_page,
    too_many_requests,
)
from portal.accounts.code_wording import minutes as _minutes
from portal.accounts.models import User
from portal.accounts.qr import manual_key, qr_svg
from portal.accounts.services import accounts as services
from portal.accounts.services import passkeys, signed_in
from portal.accounts.sessions import signed_in_user
from portal.audit.services import record
from portal.organisations import access
from portal.staff_permissions import staff_permissions_of

SIGN_UP_EMAIL = "sign_up_email"
SIGN_UP_PROVEN = "sign_up_proven"
SETUP_DEVICE = "totp_setup_device"
SETUP_FLOW = "totp_setup_flow"  # "sign_up", "sign_in" or "change"
CODES_TO_SHOW = "recovery_codes_to_show"
AFTER_CODES = "after_recovery_codes"
NEXT_URL = "sign_in_next"
# Where each authenticator set-up ends: signing in lands on the home page.
AFTER_SET_UP = {
    "sign_up": "accounts:sign_up_done",
    "sign_in": "home:index",
    "change": "accounts:home",
}


def _too_many_attempts(result: services.SignInAttempt | services.FactorCheck) -> str:
    # Blocked for this network (its own failures), or slowed for everyone but the owner's
    # recognised browsers (failures from many networks).
    where = "" if result.everywhere else " from your network"
    return (
        f"There have been too many attempts to sign in to this account{where}. "
        f"Try again in {_minutes(result.retry_after)}"
    )


# --- Sign-up -----------------------------------------------------------------------------


SIGN_UP = CodeJourney(
    start="accounts:sign_up",
    check="accounts:sign_up_check_email",
    new_code="accounts:sign_up_new_code",
    after="accounts:sign_up_password",
    remembered=SIGN_UP_EMAIL,
    proven=SIGN_UP_PROVEN,
    send=services.request_sign_up_code,
    verify=services.verify_sign_up_code,
)


@public
@GET_POST
def sign_up(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST or None)
    return start_page(request, SIGN_UP, form, "accounts/sign_up_email.html")


@public
@GET_POST
def sign_up_check_email(request: HttpRequest) -> HttpResponse:
    return check_email_page(request, SIGN_UP)


@public
@GET_POST
def sign_up_new_code(request: HttpRequest) -> HttpResponse:
    return journey_new_code_page(request, SIGN_UP)


@public
@GET_POST
def sign_up_password(request: HttpRequest) -> HttpResponse:
    email = proven_email(request, SIGN_UP)
    if email is None:
        return redirect(SIGN_UP.start)
    eligibility = selectors.sign_up_eligibility(email)
    if not eligibility.may_sign_up:
        return render(
            request,
            "accounts/sign_up_refused.html",
            {"case": eligibility.case.value, "email": email},
        )
    # The register names its people; someone invited (or an applicant) gives their name here.
    named = forms.NewPasswordForm if eligibility.person else forms.NamedNewPasswordForm
    form = named(request.POST or None, email=email)
    applicant = eligibility.as_applicant
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(
                email=email,
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data.get("full_name", ""),
                request=request,
            )
        except services.AccountNotCreated as refused:
            return render(
                request,
                "accounts/sign_up_refused.html",
                {"case": refused.case.value, "email": email},
            )
        response = journey_done(request, SIGN_UP, redirect("accounts:set_up_authenticator"))
        sessions.begin_pending(request, user)
        request.session[SETUP_FLOW] = "sign_up"
        return response
    return render(
        request,
        "accounts/sign_up_password.html",
        {"form": form, "email": email, "applicant": applicant},
    )


def _access_of(user: User) -> dict[str, Any]:
    """What the account gives access to: registered roles, and providers delegated to it."""
    return {
        "grants": access.registered_roles_by_provider(user),
        "delegated": access.delegated_providers(user),
    }


@requires("signed_in")
@require_safe
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_up_done.html", _access_of(signed_in_user(request)))


# --- Authenticator set-up (sign-up, first sign-in after a reset, or a change) ---------------


def _setup_user(request: HttpRequest) -> User | None:
    flow = request.session.get(SETUP_FLOW)
    if flow == "change":
        if request.user.is_authenticated and sessions.recently_authenticated(request):
            return request.user
        return None
    user = sessions.pending_user(request)
    # With only a password, someone may set up a first authenticator, never replace one.
    if user is not None and services.confirmed_totp(user) is not None:
        return None
    return user


@public
@GET_POST
def set_up_authenticator(request: HttpRequest) -> HttpResponse:
    user = _setup_user(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect("accounts:reauthenticate")
        return redirect("accounts:sign_in")
    flow = request.session.get(SETUP_FLOW, "sign_in")
    device_id = request.session.get(SETUP_DEVICE)
    device = None
    if device_id is not None:
        device = services.TOTPDevice.objects.filter(
            id=device_id, user=user, confirmed=False
        ).first()
    if device is None:
        device = services.start_totp_setup(user=user)
        request.session[SETUP_DEVICE] = device.id
    form = forms.TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp(
            user=user, device_id=device.id, code=form.cleaned_data["code"], request=request
        ):
            request.session.pop(SETUP_DEVICE, None)
            request.session.pop(SETUP_FLOW, None)
            if flow != "change":
                sessions.complete_sign_in(request, user)
            else:
                sessions.mark_reauthenticated(request)
                # Whoever set up the old app may be signed in elsewhere: not any more.
                signed_in.end_other_sessions(
                    user=user, request=request, reason="authenticator app changed"
                )
            if services.recovery_codes_left(user) == 0:
                request.session[CODES_TO_SHOW] = services.new_recovery_codes(
                    user=user, request=request, notify=flow == "change"
                )
                request.session[AFTER_CODES] = reverse(AFTER_SET_UP[flow])
                return redirect("accounts:recovery_codes")
            messages.success(request, "Your authenticator app is set up")
            return redirect(AFTER_SET_UP[flow])
        form.add_error(
            "code",
            "The code is incorrect. Check the time on your phone is right and enter the newest code",
        )
    return render(
        request,
        "accounts/set_up_authenticator.html",
        {
            "form": form,
            "flow": flow,
            "qr": qr_svg(device.config_url, label="QR code for your authenticator app"),
            "manual_key": manual_key(device.key),
            "issuer": settings.OTP_TOTP_ISSUER,
            "account_name": user.email,
        },
    )


@requires("signed_in")
@require_safe
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(CODES_TO_SHOW, None)
    after = request.session.pop(AFTER_CODES, reverse("accounts:home"))
    if not codes:
        return redirect("accounts:home")
    shown = [f"{code[:5]} {code[5:]}" for code in codes]
    return render(request, "accounts/recovery_codes.html", {"codes": shown, "after": after})


# --- Sign-in -----------------------------------------------------------------------------


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """`candidate` if it is a path on this site to go on to, else None. Only a path: given
    anything else, `redirect()` would look it up as a view's name (a 500), and a control
    character cannot go in a Location header."""
    if (
        candidate
        and candidate.startswith("/")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return None


@public
@GET_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:index")
    next_url = _safe_next(request, request.GET.get("next"))
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = services.check_password_step(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            request=request,
        )
        if attempt.outcome is services.SignInOutcome.IP_LIMITED:
            return too_many_requests(request)
        if attempt.outcome is services.SignInOutcome.PASSWORD_OK and attempt.user is not None:
            sessions.begin_pending(request, attempt.user)
            if next_url:
                request.session[NEXT_URL] = next_url
            if services.confirmed_totp(attempt.user) is None:
                request.session[SETUP_FLOW] = "sign_in"
                return redirect("accounts:set_up_authenticator")
            if passkeys.has_passkeys(attempt.user):
                return redirect("accounts:sign_in_passkey")
            return redirect("accounts:sign_in_authenticator")
        if attempt.outcome is services.SignInOutcome.BLOCKED:
            form.add_error(None, _too_many_attempts(attempt) + ", or reset your password")
        else:
            form.add_error(None, "Enter a correct email address and password")
    return render(request, "accounts/sign_in.html", {"form": form})


def _second_factor_page(request: HttpRequest, method: str) -> HttpResponse:
    user = sessions.pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue")
        return redirect("accounts:sign_in")
    form: Any = (forms.TotpCodeForm if method == "totp" else forms.RecoveryCodeForm)(
        request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        check = services.check_second_factor(
            user=user, method=method, code=form.cleaned_data["code"], request=request
        )
        if check.outcome is services.FactorOutcome.ACCEPTED:
            next_url = request.session.pop(NEXT_URL, None)
            sessions.complete_sign_in(request, user)
            if method == "recovery":
                left = services.recovery_codes_left(user)
                messages.info(
                    request,
                    f"You have {left} recovery {'code' if left == 1 else 'codes'} left. "
                    "You can get new ones on this page.",
                )
            return redirect(_safe_next(request, next_url) or reverse("home:index"))
        if check.outcome is services.FactorOutcome.BLOCKED:
            form.add_error("code", _too_many_attempts(check))
        elif method == "totp":
            form.add_error("code", "The code is incorrect. Enter the newest code from your app")
        else:
            form.add_error("code", "The recovery code is incorrect or has already been used")
    template = "sign_in_totp" if method == "totp" else "sign_in_recovery"
    return render(
        request,
        f"accounts/{template}.html",
        {"form": form, "has_passkeys": passkeys.has_passkeys(user)},
    )


@public
@GET_POST
def sign_in_authenticator(request: HttpRequest) -> HttpResponse:
    return _second_factor_page(request, "totp")


@public
@GET_POST
def sign_in_recovery_code(request: HttpRequest) -> HttpResponse:
    return _second_factor_page(request, "recovery")


@public
@GET_POST
def sign_out(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect("accounts:signed_out")
    if request.method == "POST":
        record(verb=AccountsVerb.SIGNED_OUT, actor=request.user, request=request)
        logout(request)
        response = redirect("accounts:signed_out")
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
    return render(request, "accounts/sign_out.html")


@public
@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


# --- Your account -------------------------------------------------------------------------


@requires("signed_in")
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "accounts/home.html",
        {
            **_access_of(user),
            "codes_left": services.recovery_codes_left(user),
            "passkey_count": selectors.passkey_count(user),
            "person": user.person,
            "staff_permissions": staff_permissions_of(user),
        },
    )


@requires("signed_in")
@GET_POST
def change_password(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import update_session_auth_hash

    user = signed_in_user(request)
    form = forms.ChangePasswordForm(request.POST or None, email=user.email)
    if request.method == "POST" and form.is_valid():
        changed = services.change_password(
            user=user,
            current_password=form.cleaned_data["current_password"],
            new_password=form.cleaned_data["new_password"],
            request=request,
        )
        if changed:
            # Other sessions end (their password hash no longer matches); this one goes on.
            update_session_auth_hash(request, user)
            signed_in.end_other_sessions(user=user, request=request, reason="password changed")
            messages.success(
                request, "Your password has been changed. Any other browsers have been signed out"
            )
            return redirect("accounts:home")
        form.add_error("current_password", "Your current password is incorrect")
    return render(request, "accounts/change_password.html", {"form": form})


# "Confirm it is you" (with a code here, or with a passkey in passkey_views.py).


def after_confirming(request: HttpRequest) -> str:
    """Where confirming goes back to: the page that asked, or the account's page."""
    return _safe_next(request, request.GET.get("next")) or reverse("accounts:home")


def password_confirmed(request: HttpRequest, user: User, form: forms.forms.Form) -> bool:
    """Confirming checks the password first; when it is refused the form says why."""
    attempt = services.check_password_step(
        email=user.email, password=form.cleaned_data["password"], request=request
    )
    if attempt.outcome is services.SignInOutcome.PASSWORD_OK:
        return True
    if attempt.outcome is services.SignInOutcome.BLOCKED:
        form.add_error(None, "There have been too many attempts. Try again later")
    else:
        form.add_error("password", "Your password is incorrect")
    return False


@requires("signed_in")
@GET_POST
def reauthenticate(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    next_url = after_confirming(request)
    form = forms.ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and password_confirmed(request, user, form):
        code = str(form.cleaned_data["code"])
        method = "totp" if services.looks_like_code(services.normalise_code(code)) else "recovery"
        check = services.check_second_factor(user=user, method=method, code=code, request=request)
        if check.outcome is services.FactorOutcome.ACCEPTED:
            sessions.mark_reauthenticated(request)
            return redirect(next_url)
        form.add_error("code", "The code is incorrect")
    return render(
        request,
        "accounts/reauthenticate.html",
        {"form": form, "next": next_url, "has_passkeys": passkeys.has_passkeys(user)},
    )


@requires("signed_in")
@require_safe
@sessions.reauthenticated
def change_authenticator(request: HttpRequest) -> HttpResponse:
    request.session[SETUP_FLOW] = "change"
    request.session.pop(SETUP_DEVICE, None)
    return redirect("accounts:set_up_authenticator")


@requires("signed_in")
@GET_POST
@sessions.reauthenticated
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        request.session[CODES_TO_SHOW] = services.new_recovery_codes(user=user, request=request)
        request.session[AFTER_CODES] = reverse("accounts:home")
        return redirect("accounts:recovery_codes")
    return render(
        request,
        "accounts/new_recovery_codes.html",
        {"codes_left": services.recovery_codes_left(user)},
    )


@requires("signed_in")
@require_POST
def extend_session(request: HttpRequest) -> HttpResponse:
    sessions.touch(request)
    idle_left, absolute_left = sessions.seconds_left(request)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"idle_left": idle_left, "absolute_left": absolute_left})
    return redirect(_safe_next(request, request.POST.get("next")) or reverse("accounts:home"))
