"""Invitation pages: the invite journey (email, access, locations, check answers), an
invitation's page, sending it again or cancelling it, and where the emailed link lands."""

from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.access import public, requires, signed_in_user
from portal.organisations import invitation_services, selectors, services
from portal.organisations.errors import DelegationError, InvitationClosed, SignedInAsSomeoneElse
from portal.organisations.forms import AccessForm, EmailForm, LocationsForm, chosen_permissions
from portal.organisations.models import Invitation, InvitationStatus
from portal.organisations.permissions import describe_permissions
from portal.organisations.view_helpers import (
    GET_POST,
    act_then_back_to_team,
    page,
    posted,
    scope_names,
)
from portal.register.models import Location, Provider

# Invite journey (email -> access -> locations -> check answers -> sent) -------------------


def _invite_key(provider_id: str) -> str:
    return f"organisations.invite.{provider_id}"


def _invite_answers(request: HttpRequest, provider_id: str) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(_invite_key(provider_id), {})
    return answers


def _save_invite_answers(request: HttpRequest, provider_id: str, **answers: Any) -> None:
    current = dict(_invite_answers(request, provider_id))
    current.update(answers)
    request.session[_invite_key(provider_id)] = current


# A refusal the check page meets that concerns one answer goes back to that answer's
# question, shown against its field, with every answer kept.
_QUESTION_FOR_FIELD = {
    "email": "organisations:invite_email",
    "permissions": "organisations:invite_access",
    "locations": "organisations:invite_locations",
}


def _answered(
    request: HttpRequest, provider_id: str, field: str, answer: Any
) -> tuple[dict[str, Any] | None, str]:
    """The data to bind a question's form to, and the refusal to show on `field`: on a POST
    what was posted; after the check page was refused over this field, the saved answer."""
    if request.method == "POST":
        return request.POST, ""
    refusal = _invite_answers(request, provider_id).get("refusal") or {}
    if refusal.get("field") != field:
        return None, ""
    _save_invite_answers(request, provider_id, refusal=None)
    return {field: answer}, str(refusal.get("message", ""))


def _refused_on(form: forms.Form, field: str, message: str) -> None:
    if message:
        form.is_valid()
        form.errors.pop(field, None)  # the service's reason is the one to show
        form.add_error(field, message)


def _next_invite_step(request: HttpRequest, provider_id: str, default: str) -> HttpResponseBase:
    if request.GET.get("change") == "1":
        default = "organisations:invite_check"
    return redirect(default, provider_id=provider_id)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_email(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    data, refusal = _answered(request, provider_id, "email", answers.get("email", ""))
    form = EmailForm(data, initial={"email": answers.get("email", "")})
    _refused_on(form, "email", refusal)
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(request, provider_id, email=form.cleaned_data["email"])
        return _next_invite_step(request, provider_id, "organisations:invite_access")
    return page(request, "invite_email.html", {"form": form, "provider": provider})


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_access(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    if not answers.get("email"):
        return redirect("organisations:invite_email", provider_id=provider_id)
    data, refusal = _answered(request, provider_id, "permissions", answers.get("levels", []))
    form = AccessForm(
        data,
        actor=signed_in_user(request),
        provider=provider,
        initial={"permissions": answers.get("levels", [])},
    )
    _refused_on(form, "permissions", refusal)
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(request, provider_id, levels=form.cleaned_data["permissions"])
        return _next_invite_step(request, provider_id, "organisations:invite_locations")
    return page(
        request,
        "invite_access.html",
        {"form": form, "provider": provider, "email": answers["email"]},
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_locations(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    if not answers.get("levels"):
        return redirect("organisations:invite_access", provider_id=provider_id)
    initial = (
        LocationsForm.initial_for(
            answers.get("whole_provider", False), answers.get("locations", [])
        )
        if "whole_provider" in answers
        else None
    )
    data, refusal = _answered(
        request, provider_id, "locations", (initial or {}).get("locations", [])
    )
    form = LocationsForm(data, actor=signed_in_user(request), provider=provider, initial=initial)
    _refused_on(form, "locations", refusal)
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(
            request,
            provider_id,
            whole_provider=form.cleaned_data["whole_provider"],
            locations=list(form.cleaned_data["locations"]),
        )
        return redirect("organisations:invite_check", provider_id=provider_id)
    return page(
        request,
        "invite_locations.html",
        {"form": form, "provider": provider, "email": answers["email"]},
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_check(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    if "whole_provider" not in answers or not answers.get("levels") or not answers.get("email"):
        return redirect("organisations:invite_email", provider_id=provider_id)
    form = forms.Form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite(
                actor=signed_in_user(request),
                provider=provider,
                email=answers["email"],
                permissions=chosen_permissions(answers["levels"]),
                whole_provider=answers["whole_provider"],
                location_ids=answers.get("locations", []),
                request=request,
            )
        except DelegationError as error:
            if error.field in _QUESTION_FOR_FIELD:
                _save_invite_answers(
                    request, provider_id, refusal={"field": error.field, "message": error.message}
                )
                return redirect(
                    reverse(_QUESTION_FOR_FIELD[error.field], kwargs={"provider_id": provider_id})
                    + "?change=1"
                )
            form.add_error(None, error.message)
        else:
            request.session.pop(_invite_key(provider_id), None)
            detail = reverse(
                "organisations:invitation_detail",
                kwargs={"provider_id": provider_id, "invitation_id": invitation.pk},
            )
            return redirect(f"{detail}?sent=1")
    locations = list(
        Location.objects.filter(pk__in=answers.get("locations", []), provider=provider)
    )
    return page(
        request,
        "invite_check.html",
        {
            "form": form,
            "provider": provider,
            "email": answers["email"],
            "what": describe_permissions(chosen_permissions(answers["levels"])),
            "where": scope_names(answers["whole_provider"], locations, provider),
        },
    )


# Invitations ---------------------------------------------------------------------------


@requires("organisations.view_team")
@require_safe
def invitation_detail(request: HttpRequest, provider_id: str, invitation_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    invitation = selectors.invitation_or_404(request.user, provider, invitation_id)
    return page(
        request,
        "invitation_detail.html",
        {
            "provider": provider,
            "invitation": invitation,
            "where": scope_names(
                invitation.whole_provider, list(invitation.locations.all()), provider
            ),
            "may_manage": services.could_still_grant(signed_in_user(request), invitation),
            "form": forms.Form(),
        },
    )


def _managed_invitation(
    request: HttpRequest, provider_id: str, invitation_id: UUID
) -> tuple[Provider, Invitation]:
    """The invitation, if the signed-in manager could give it as it stands."""
    provider = selectors.provider_or_404(request.user, provider_id)
    invitation = selectors.invitation_or_404(request.user, provider, invitation_id)
    if not services.could_still_grant(signed_in_user(request), invitation):
        raise PermissionDenied("cannot manage this invitation")
    return provider, invitation


@requires("organisations.manage_team")
@require_POST
def invitation_resend(request: HttpRequest, provider_id: str, invitation_id: UUID) -> HttpResponse:
    _provider, invitation = _managed_invitation(request, provider_id, invitation_id)
    try:
        services.resend_invitation(
            actor=signed_in_user(request), invitation=invitation, request=request
        )
    except DelegationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}")
    return redirect("organisations:team", provider_id=provider_id)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invitation_cancel(
    request: HttpRequest, provider_id: str, invitation_id: UUID
) -> HttpResponseBase:
    provider, invitation = _managed_invitation(request, provider_id, invitation_id)
    form = forms.Form(posted(request))
    acted = act_then_back_to_team(
        request,
        form,
        services.cancel_invitation,
        f"Invitation to {invitation.email} cancelled",
        provider_id,
        invitation=invitation,
    )
    if acted:
        return acted
    return page(
        request,
        "invitation_cancel.html",
        {"form": form, "provider": provider, "invitation": invitation},
    )


@public
@require_http_methods(GET_POST)
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where the emailed link lands. GET never uses the invitation up (mail scanners follow
    links); a signed-in user accepts with a button (POST)."""
    found = services.invitation_for_token(token)
    if found is None:
        return page(request, "invitation_invalid.html", {}, status=404)
    context: dict[str, Any] = {
        "invitation": found,
        "what": describe_permissions(found.permissions),
        "where": scope_names(found.whole_provider, list(found.locations.all()), found.provider),
        "sign_in_url": f"{resolve_url(settings.LOGIN_URL)}?next={request.path}",
        "sign_up_url": resolve_url(settings.ORGANISATIONS_SIGN_UP_URL),
        "form": forms.Form(posted(request)),
    }
    usable = found.status == InvitationStatus.PENDING and not found.has_expired
    if not usable:
        return page(request, "invitation_unusable.html", context, status=410)
    user = request.user
    if not user.is_authenticated:
        return page(request, "invitation_signed_out.html", context)
    if user.email != found.email:
        return page(request, "invitation_wrong_account.html", context, status=403)
    if request.method == "POST" and context["form"].is_valid():
        try:
            membership = invitation_services.accept_invitation(
                user=user, token=token, request=request
            )
        except SignedInAsSomeoneElse:
            return page(request, "invitation_wrong_account.html", context, status=403)
        except InvitationClosed as closed:
            found.refresh_from_db()
            context["closed_message"] = closed.message
            return page(request, "invitation_unusable.html", context, status=409)
        except DelegationError as error:
            context["form"].add_error(None, error.message)
        else:
            request.session[selectors.CURRENT_PROVIDER_SESSION_KEY] = membership.provider_id
            messages.success(request, f"You now have access to {membership.provider.name}")
            return redirect("organisations:providers")
    return page(request, "invitation_accept.html", context)
