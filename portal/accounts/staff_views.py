"""Regulator staff: find an account and sign it out everywhere (ASVS 7.4.5)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from portal.access import requires
from portal.accounts import forms, selectors
from portal.accounts.models import User, normalise_email
from portal.accounts.services import signed_in
from portal.accounts.views import GET_POST
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
