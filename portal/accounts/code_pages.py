"""The pages every emailed-code journey shares (sign-up, password reset, a lost second
factor, an email change): entering the code, asking for a new one, and being told to wait."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal.accounts import code_wording, forms
from portal.accounts.browser_cookies import forget_email, remember_email, remembered_email
from portal.accounts.code_wording import minutes
from portal.accounts.services.accounts import CodeRequest, CodeRequestOutcome
from portal.accounts.services.codes import CheckOutcome, CodeCheck

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def code_error(check: CodeCheck, new_code_url: str) -> str:
    return {
        CheckOutcome.WRONG: (
            f"The code is incorrect. You have {check.tries_left} "
            f"{'try' if check.tries_left == 1 else 'tries'} left"
        ),
        CheckOutcome.REPLACED: "You asked for a newer code. Enter the code from the most recent email",
        CheckOutcome.EXPIRED: "The code has expired. Request a new code",
        CheckOutcome.USED: "The code has already been used. Request a new code",
        CheckOutcome.TOO_MANY_TRIES: "You have entered the wrong code too many times. Request a new code",
        CheckOutcome.NONE_SENT: "The code is incorrect. Request a new code",
        CheckOutcome.BAD_FORMAT: "The code must be 6 numbers",
        CheckOutcome.WAIT: "There have been too many wrong codes for this email address. "
        f"Try again in {minutes(check.retry_after)}",
    }[check.outcome]


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "accounts/too_many_requests.html",
        {"minutes": settings.ACCOUNT_RATE_WINDOW_SECONDS // 60},
        status=429,
    )
    response["Retry-After"] = str(settings.ACCOUNT_RATE_WINDOW_SECONDS)
    return response


def code_page(
    request: HttpRequest,
    *,
    email: str,
    verify: Any,
    on_success: Any,
    new_code_url: str,
    back_url: str,
) -> HttpResponse:
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = verify(email=email, raw_code=form.cleaned_data["code"], request=request)
        if check.accepted:
            return on_success()
        form.add_error("code", code_error(check, new_code_url))
    return render(
        request,
        "accounts/check_email.html",
        {"form": form, "email": email, "new_code_url": new_code_url, "back_url": back_url},
    )


def new_code_page(
    request: HttpRequest, *, email: str, send: Any, check_url: str, change_url: str
) -> HttpResponse:
    error = ""
    if request.method == "POST":
        result = send(email=email, request=request)
        if result.outcome is CodeRequestOutcome.IP_LIMITED:
            return too_many_requests(request)
        if result.outcome is CodeRequestOutcome.SENT:
            messages.success(request, f"We have sent a new email to {email}")
            return redirect(check_url)
        error = code_wording.when_to_ask_again(result)
    return render(
        request,
        "accounts/new_code.html",
        {
            "email": email,
            "problem": error,
            "problem_target": "new-code-button",
            "change_url": change_url,
            "check_url": check_url,
        },
        status=429 if error else 200,
    )


@dataclass(frozen=True)
class CodeJourney:
    """A journey that proves an address with an emailed code (sign-up, password reset): the
    pages it has (URL names), where it keeps the address, and what it does with the code."""

    start: str  # asks for the address
    check: str  # takes the code
    new_code: str  # sends another code
    after: str  # where a proven address goes next
    remembered: str  # the cookie that keeps the address between pages
    proven: str  # the session key that holds the address once proved
    send: Callable[..., CodeRequest]
    verify: Callable[..., CodeCheck]
    # Starting again within the resend limits says no new email was sent, and why.
    says_when_not_sent: bool = True


def start_page(
    request: HttpRequest, journey: CodeJourney, form: forms.forms.Form, template: str
) -> HttpResponse:
    """Ask for the address and send a code (or say why not), then go to the code page."""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        result = journey.send(email=email, request=request)
        if result.outcome is CodeRequestOutcome.IP_LIMITED:
            return too_many_requests(request)
        if journey.says_when_not_sent and result.outcome is not CodeRequestOutcome.SENT:
            messages.info(request, code_wording.no_new_email(email, result))
        return remember_email(redirect(journey.check), journey.remembered, email)
    return render(request, template, {"form": form})


def check_email_page(request: HttpRequest, journey: CodeJourney) -> HttpResponse:
    """Take the code sent to the remembered address; once accepted the address is proved."""
    email = remembered_email(request, journey.remembered)
    if not email:
        return redirect(journey.start)

    def proven() -> HttpResponse:
        request.session.cycle_key()
        request.session[journey.proven] = email
        return redirect(journey.after)

    return code_page(
        request,
        email=email,
        verify=journey.verify,
        on_success=proven,
        new_code_url=reverse(journey.new_code),
        back_url=reverse(journey.start),
    )


def journey_new_code_page(request: HttpRequest, journey: CodeJourney) -> HttpResponse:
    email = remembered_email(request, journey.remembered)
    if not email:
        return redirect(journey.start)
    return new_code_page(
        request,
        email=email,
        send=journey.send,
        check_url=reverse(journey.check),
        change_url=reverse(journey.start),
    )


def proven_email(request: HttpRequest, journey: CodeJourney) -> str | None:
    """The address the journey proved with its code, for the page that comes after."""
    email = request.session.get(journey.proven)
    return str(email) if email else None


def journey_done(
    request: HttpRequest, journey: CodeJourney, response: HttpResponse
) -> HttpResponse:
    """The journey is over: the proven address and the remembered one are forgotten."""
    request.session.pop(journey.proven, None)
    return forget_email(response, journey.remembered)
