"""Getting back into an account: a lost second factor (an emailed code, then a request the
regulator decides) and a forgotten password (an emailed code, then a new password)."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.access import public
from portal.accounts import forms, sessions
from portal.accounts.code_pages import (
    GET_POST,
    CodeJourney,
    check_email_page,
    code_page,
    journey_done,
    journey_new_code_page,
    proven_email,
    start_page,
)
from portal.accounts.code_wording import minutes
from portal.accounts.models import User
from portal.accounts.services import accounts as services
from portal.accounts.services.codes import CodeCheck

RESET_EMAIL = "reset_email"
RESET_PROVEN = "reset_proven"
FACTOR_RESET_PROVEN = "factor_reset_proven"


# --- Lost second factor --------------------------------------------------------------------


def _signing_in(view: Callable[[HttpRequest, User], HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for someone part-way through signing in (password proved, second factor lost);
    anyone else starts signing in again."""

    @wraps(view)
    def page(request: HttpRequest) -> HttpResponse:
        user = sessions.pending_user(request)
        if user is None:
            return redirect("accounts:sign_in")
        return view(request, user)

    return page


@public
@GET_POST
@_signing_in
def lost_second_factor(request: HttpRequest, user: User) -> HttpResponse:
    error = ""
    if request.method == "POST":
        result = services.request_factor_reset_code(user=user, request=request)
        if result.outcome in (
            services.CodeRequestOutcome.SENT,
            services.CodeRequestOutcome.TOO_SOON,
        ):
            return redirect("accounts:lost_second_factor_code")
        error = f"You have requested too many codes. Try again in {minutes(result.retry_after)}"
    return render(
        request,
        "accounts/lost_second_factor.html",
        {"email": user.email, "problem": error, "problem_target": "send-code-button"},
    )


@public
@GET_POST
@_signing_in
def lost_second_factor_code(request: HttpRequest, user: User) -> HttpResponse:

    def proven() -> HttpResponse:
        request.session[FACTOR_RESET_PROVEN] = user.pk
        return redirect("accounts:lost_second_factor_request")

    def verify(*, email: str, raw_code: str, request: HttpRequest) -> CodeCheck:
        return services.verify_factor_reset_code(user=user, raw_code=raw_code, request=request)

    return code_page(
        request,
        email=user.email,
        verify=verify,
        on_success=proven,
        new_code_url=reverse("accounts:lost_second_factor"),
        back_url=reverse("accounts:lost_second_factor"),
    )


@public
@GET_POST
@_signing_in
def lost_second_factor_request(request: HttpRequest, user: User) -> HttpResponse:
    if request.session.get(FACTOR_RESET_PROVEN) != user.pk:
        return redirect("accounts:sign_in")
    form = forms.FactorResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_for_factor_reset(
            user=user, explanation=form.cleaned_data["explanation"], request=request
        )
        request.session.pop(FACTOR_RESET_PROVEN, None)
        sessions.clear_pending(request)
        return redirect("accounts:lost_second_factor_sent")
    return render(request, "accounts/lost_second_factor_request.html", {"form": form})


@public
@require_safe
def lost_second_factor_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/lost_second_factor_sent.html")


# --- Password reset -----------------------------------------------------------------------


PASSWORD_RESET = CodeJourney(
    start="accounts:password_reset",
    check="accounts:password_reset_check_email",
    new_code="accounts:password_reset_new_code",
    after="accounts:password_reset_new_password",
    remembered=RESET_EMAIL,
    proven=RESET_PROVEN,
    send=services.request_password_reset_code,
    verify=services.verify_password_reset_code,
    says_when_not_sent=False,
)


@public
@GET_POST
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.ResetEmailForm(request.POST or None)
    return start_page(request, PASSWORD_RESET, form, "accounts/password_reset_email.html")


@public
@GET_POST
def password_reset_check_email(request: HttpRequest) -> HttpResponse:
    return check_email_page(request, PASSWORD_RESET)


@public
@GET_POST
def password_reset_new_code(request: HttpRequest) -> HttpResponse:
    return journey_new_code_page(request, PASSWORD_RESET)


@public
@GET_POST
def password_reset_new_password(request: HttpRequest) -> HttpResponse:
    email = proven_email(request, PASSWORD_RESET)
    if email is None:
        return redirect(PASSWORD_RESET.start)
    form = forms.NewPasswordForm(request.POST or None, email=email)
    form.fields["password"].label = "Create a new password"
    if request.method == "POST" and form.is_valid():
        services.reset_password(
            email=email, new_password=form.cleaned_data["password"], request=request
        )
        return journey_done(request, PASSWORD_RESET, redirect("accounts:password_reset_done"))
    return render(request, "accounts/password_reset_new_password.html", {"form": form})


@public
@require_safe
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")
