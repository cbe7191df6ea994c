"""Pages for a sign-in address change someone else asked for: the owner confirms it with
the code sent to the new address (signed in), or the old address stops it (no sign-in).
Thin: portal/accounts/services/email_change.py decides."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.access import public, requires
from portal.accounts import forms
from portal.accounts.code_pages import GET_POST, code_error
from portal.accounts.code_wording import minutes as _minutes
from portal.accounts.services import email_change
from portal.accounts.services.codes import IssueOutcome
from portal.accounts.sessions import signed_in_user


@requires("signed_in")
@GET_POST
def email_change_confirm(request: HttpRequest) -> HttpResponseBase:
    form = forms.CodeForm(request.POST or None)
    form.fields["code"].help_text = "The code is in the email we sent to your new address."
    if request.method == "POST" and form.is_valid():
        try:
            done = email_change.confirm(
                user=signed_in_user(request), raw_code=form.cleaned_data["code"], request=request
            )
        except email_change.EmailChangeError as error:
            form.add_error("code", str(error))
        else:
            if done.check.accepted:
                messages.success(request, f"You now sign in with {done.new_email}")
                return redirect("accounts:home")
            new_code_url = reverse("accounts:email_change_confirm")
            form.add_error("code", code_error(done.check, new_code_url))
    change = email_change.waiting_change(request.user)
    return render(request, "accounts/email_change_confirm.html", {"change": change, "form": form})


@requires("signed_in")
@require_POST
def email_change_new_code(request: HttpRequest) -> HttpResponseBase:
    try:
        issued = email_change.send_new_code(user=signed_in_user(request), request=request)
    except email_change.EmailChangeError as error:
        messages.error(request, str(error))
    else:
        if issued.outcome is IssueOutcome.ISSUED:
            messages.success(request, "We have sent a new code to your new address")
        else:
            messages.error(
                request, f"Wait {_minutes(issued.retry_after)} before asking for another code"
            )
    return redirect("accounts:email_change_confirm")


@public
@GET_POST
def email_change_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Where the old address's link lands. GET shows what would be stopped (mail scanners
    follow links); the button stops it."""
    change = email_change.change_for_stop_token(token)
    if change is not None and request.method == "POST":
        change = email_change.stop(token=token, request=request)
    status = 404 if change is None else 200
    return render(request, "accounts/email_change_stop.html", {"change": change}, status=status)
