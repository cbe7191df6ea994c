"""Invitation pages: the invite journey (email, access, locations, check answers), an
invitation's page, sending it again or cancelling it, and where the emailed link lands."""

from collections.abc import Callable
from dataclasses import dataclass
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
    holder_page,
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


@dataclass(frozen=True)
class _Question:
    """One question of the invite journey, asked on its own page."""

    field: str  # the form's field, and the service's field its refusals name
    template: str
    ahead: str  # the next question (or, when changing an answer, the check page)
    needs: tuple[str, str] | None  # an earlier answer it needs, and the question asking it
    initial: Callable[[dict[str, Any]], dict[str, Any] | None]  # from the saved answers
    form: Callable[..., forms.Form]  # (data, initial=, actor=, provider=) -> the form
    keep: Callable[[dict[str, Any]], dict[str, Any]]  # the answers to save, from cleaned data


def _ask(request: HttpRequest, provider_id: str, question: _Question) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    if question.needs and not answers.get(question.needs[0]):
        return redirect(question.needs[1], provider_id=provider_id)
    initial = question.initial(answers)
    # On a POST, what was posted; after the check page was refused over this question's
    # answer, that answer, with the refusal on its field (shown once).
    data: Any = posted(request)
    refusal = answers.get("refusal") or {}
    if data is None and refusal.get("field") == question.field:
        _save_invite_answers(request, provider_id, refusal=None)
        data = {question.field: (initial or {}).get(question.field)}
    form = question.form(data, initial=initial, actor=signed_in_user(request), provider=provider)
    if data is not None and data is not request.POST:
        form.is_valid()
        form.errors.pop(question.field, None)  # the service's reason is the one to show
        form.add_error(question.field, str(refusal.get("message", "")))
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(request, provider_id, **question.keep(form.cleaned_data))
        ahead = "organisations:invite_check" if request.GET.get("change") == "1" else question.ahead
        return redirect(ahead, provider_id=provider_id)
    context = {"form": form, "provider": provider, "email": answers.get("email", "")}
    return page(request, question.template, context)


_EMAIL = _Question(
    field="email",
    template="invite_email.html",
    ahead="organisations:invite_access",
    needs=None,
    initial=lambda answers: {"email": answers.get("email", "")},
    form=lambda data, initial, actor, provider: EmailForm(data, initial=initial),
    keep=lambda cleaned: {"email": cleaned["email"]},
)
_ACCESS = _Question(
    field="permissions",
    template="invite_access.html",
    ahead="organisations:invite_locations",
    needs=("email", "organisations:invite_email"),
    initial=lambda answers: {"permissions": answers.get("levels", [])},
    form=AccessForm,
    keep=lambda cleaned: {"levels": cleaned["permissions"]},
)
_LOCATIONS = _Question(
    field="locations",
    template="invite_locations.html",
    ahead="organisations:invite_check",
    needs=("levels", "organisations:invite_access"),
    initial=lambda answers: (
        LocationsForm.initial_for(answers["whole_provider"], answers.get("locations", []))
        if "whole_provider" in answers
        else None
    ),
    form=LocationsForm,
    keep=lambda cleaned: {
        "whole_provider": cleaned["whole_provider"],
        "locations": list(cleaned["locations"]),
    },
)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_email(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    return _ask(request, provider_id, _EMAIL)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_access(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    return _ask(request, provider_id, _ACCESS)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_locations(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    return _ask(request, provider_id, _LOCATIONS)


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
    may_manage = services.could_still_grant(signed_in_user(request), invitation)
    return holder_page(
        request, "invitation_detail.html", provider, invitation, may_manage=may_manage
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
