"""Regulator staff: find an account and sign it out everywhere (ASVS 7.4.5), and decide
requests to reset a lost second factor."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from portal.access import requires
from portal.accounts import forms, selectors
from portal.accounts.code_pages import GET_POST
from portal.accounts.models import User, normalise_email
from portal.accounts.services import accounts, signed_in
from portal.accounts.sessions import signed_in_user
from portal.staff_permissions import StaffPermission


@requires(StaffPermission.MANAGE_ACCOUNTS.required)
@GET_POST
def account_search(request: HttpRequest) -> HttpResponse:
    form = forms.StaffAccountSearchForm(request.GET or None)
    if form.is_valid():
        found = User.objects.filter(email=normalise_email(form.cleaned_data["email"])).first()
        if found is not None:
            return redirect("accounts:staff_account", user_id=found.id)
        form.add_error("email", "There is no account with that email address")
    return render(request, "accounts/staff_account_search.html", {"form": form})


@requires(StaffPermission.MANAGE_ACCOUNTS.required)
@GET_POST
def account(request: HttpRequest, user_id: int) -> HttpResponse:
    holder = User.objects.filter(id=user_id).select_related("person").first()
    if holder is None:
        raise Http404("No such account")
    form = forms.StaffSignOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = signed_in.end_all_sessions(
            user=holder, request=request, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            f"{holder.email} has been signed out of {ended} "
            f"{'browser' if ended == 1 else 'browsers'}",
        )
        return redirect("accounts:staff_account", user_id=holder.id)
    return render(
        request,
        "accounts/staff_account.html",
        {
            "holder": holder,
            "form": form,
            "sessions": selectors.signed_in_sessions(holder, None),
            "passkey_count": selectors.passkey_count(holder),
        },
    )


# --- Regulator staff: second factor reset requests -------------------------------------------


@requires(StaffPermission.DECIDE_SECOND_FACTOR_RESETS.required)
@require_safe
def staff_factor_resets(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/staff_factor_resets.html",
        {"requests": list(selectors.pending_factor_resets())},
    )


@requires(StaffPermission.DECIDE_SECOND_FACTOR_RESETS.required)
@GET_POST
def staff_factor_reset(request: HttpRequest, reset_id: int) -> HttpResponse:
    reset = selectors.factor_reset_by_id(reset_id)
    if reset is None:
        raise Http404("No such request")
    form = forms.FactorResetDecisionForm(request.POST or None)
    if reset.status == "pending" and request.method == "POST" and form.is_valid():
        try:
            accounts.decide_factor_reset(
                reset_id=reset.id,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                staff=signed_in_user(request),
                request=request,
            )
        except accounts.AlreadyDecided:
            messages.info(request, "Someone else decided this request first")
            return redirect("accounts:staff_factor_resets")
        messages.success(request, f"Decision recorded for {reset.user.email}")
        return redirect("accounts:staff_factor_resets")
    return render(request, "accounts/staff_factor_reset.html", {"reset": reset, "form": form})
