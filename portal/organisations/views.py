"""Delegation pages. Each view is declared with @requires/@public; provider-scoped views name
an "organisations.<permission>" check (checks.py) that answers 404 for a provider the user
has no access to. Objects (members, invitations, requests) are looked up through selectors
scoped to the viewer, so another provider's, or another location's, answer 404 too."""

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.access import public, requires
from portal.organisations import invitation_services, selectors, services
from portal.organisations.access import providers_for, scope_for
from portal.organisations.forms import (
    AccessForm,
    ChooseProviderForm,
    EmailForm,
    JoinForm,
    LocationsForm,
    RefuseForm,
    chosen_permissions,
)
from portal.organisations.models import InvitationStatus, JoinRequest, Membership
from portal.organisations.permissions import Permission, describe_permissions
from portal.register.models import Location, Provider

GET_POST = ["GET", "HEAD", "POST"]


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _put_error(form: forms.Form, error: services.DelegationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _grant_from_forms(
    request: HttpRequest,
    access_form: AccessForm,
    locations_form: LocationsForm,
    grant: Callable[..., object],
) -> bool:
    """Apply the access and locations a manager chose (changing a member or approving a
    request to join); a refusal from the services lands on the form it concerns."""
    if request.method != "POST" or not (access_form.is_valid() and locations_form.is_valid()):
        return False
    try:
        grant(
            actor=request.user,
            permissions=chosen_permissions(access_form.cleaned_data["permissions"]),
            whole_provider=locations_form.cleaned_data["whole_provider"],
            location_ids=locations_form.cleaned_data["locations"],
            request=request,
        )
    except services.DelegationError as error:
        _put_error(locations_form if error.field == "locations" else access_form, error)
        return False
    return True


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("describe_permissions", describe_permissions)
    return render(request, f"organisations/{template}", context, status=status)


def _scope_names(whole_provider: bool, locations: list[Location], provider: Provider) -> str:
    if whole_provider:
        return f"All locations of {provider.name}"
    return ", ".join(location.name for location in locations)


# Provider switcher -------------------------------------------------------------------


@requires("signed_in")
@require_http_methods(GET_POST)
def providers(request: HttpRequest) -> HttpResponse:
    mine = list(providers_for(request.user))
    form = ChooseProviderForm(_posted(request), providers=mine)
    if request.method == "POST" and form.is_valid():
        request.session[selectors.CURRENT_PROVIDER_SESSION_KEY] = form.cleaned_data["provider"]
        chosen = next(p for p in mine if p.pk == form.cleaned_data["provider"])
        messages.success(request, f"You are now acting for {chosen.name}")
        return redirect("organisations:providers")
    current = selectors.current_provider(request)
    return _page(
        request,
        "providers.html",
        {
            "form": form,
            "providers": mine,
            "summaries": selectors.my_providers(request.user),
            "current": current,
        },
    )


# Team page ---------------------------------------------------------------------------


TEAM_PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


@requires("organisations.view_team")
@require_safe
def team(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    may_manage = not scope_for(request.user, Permission.MANAGE_TEAM, provider).is_empty
    # One page of people at a time; fetching one more than shown says whether there is a
    # next page without a count query.
    number = _page_number(request)
    start = (number - 1) * TEAM_PAGE_SIZE
    # The lists show neither who granted access nor where an invitation is for.
    memberships = list(
        selectors.visible_memberships(request.user, provider)
        .select_related(None)
        .select_related("user")[start : start + TEAM_PAGE_SIZE + 1]
    )
    invitations = list(
        selectors.visible_invitations(request.user, provider)
        .select_related(None)
        .prefetch_related(None)[: TEAM_PAGE_SIZE + 1]
    )
    join_requests = list(
        selectors.visible_join_requests(request.user, provider)[: TEAM_PAGE_SIZE + 1]
    )
    team_url = reverse("organisations:team", kwargs={"provider_id": provider.pk})
    pagination: dict[str, Any] = {}
    if number > 1:
        pagination["previous"] = {
            "href": f"{team_url}?page={number - 1}",
            "labelText": f"Page {number - 1}",
        }
    if len(memberships) > TEAM_PAGE_SIZE:
        pagination["next"] = {
            "href": f"{team_url}?page={number + 1}",
            "labelText": f"Page {number + 1}",
        }
    return _page(
        request,
        "team.html",
        {
            "provider": provider,
            "registered": selectors.registered_people(request.user, provider)
            if number == 1
            else [],
            "memberships": memberships[:TEAM_PAGE_SIZE],
            "invitations": invitations[:TEAM_PAGE_SIZE] if number == 1 else [],
            "more_invitations": len(invitations) > TEAM_PAGE_SIZE,
            "join_requests": join_requests[:TEAM_PAGE_SIZE] if number == 1 else [],
            "more_join_requests": len(join_requests) > TEAM_PAGE_SIZE,
            "page_number": number,
            "pagination": pagination,
            "may_manage": may_manage,
        },
    )


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


def _next_invite_step(request: HttpRequest, provider_id: str, default: str) -> HttpResponseBase:
    if request.GET.get("change") == "1":
        default = "organisations:invite_check"
    return redirect(default, provider_id=provider_id)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_email(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    form = EmailForm(_posted(request), initial={"email": answers.get("email", "")})
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(request, provider_id, email=form.cleaned_data["email"])
        return _next_invite_step(request, provider_id, "organisations:invite_access")
    return _page(request, "invite_email.html", {"form": form, "provider": provider})


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invite_access(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    answers = _invite_answers(request, provider_id)
    if not answers.get("email"):
        return redirect("organisations:invite_email", provider_id=provider_id)
    form = AccessForm(
        _posted(request),
        actor=request.user,
        provider=provider,
        initial={"permissions": answers.get("levels", [])},
    )
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(request, provider_id, levels=form.cleaned_data["permissions"])
        return _next_invite_step(request, provider_id, "organisations:invite_locations")
    return _page(
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
    form = LocationsForm(
        _posted(request),
        actor=request.user,
        provider=provider,
        initial=LocationsForm.initial_for(
            answers.get("whole_provider", False), answers.get("locations", [])
        )
        if "whole_provider" in answers
        else None,
    )
    if request.method == "POST" and form.is_valid():
        _save_invite_answers(
            request,
            provider_id,
            whole_provider=form.cleaned_data["whole_provider"],
            locations=list(form.cleaned_data["locations"]),
        )
        return redirect("organisations:invite_check", provider_id=provider_id)
    return _page(
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
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite(
                actor=request.user,
                provider=provider,
                email=answers["email"],
                permissions=chosen_permissions(answers["levels"]),
                whole_provider=answers["whole_provider"],
                location_ids=answers.get("locations", []),
                request=request,
            )
        except services.DelegationError as error:
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
    return _page(
        request,
        "invite_check.html",
        {
            "form": form,
            "provider": provider,
            "email": answers["email"],
            "what": describe_permissions(chosen_permissions(answers["levels"])),
            "where": _scope_names(answers["whole_provider"], locations, provider),
        },
    )


# Invitations ---------------------------------------------------------------------------


@requires("organisations.view_team")
@require_safe
def invitation_detail(request: HttpRequest, provider_id: str, invitation_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    invitation = selectors.invitation_or_404(request.user, provider, invitation_id)
    return _page(
        request,
        "invitation_detail.html",
        {
            "provider": provider,
            "invitation": invitation,
            "where": _scope_names(
                invitation.whole_provider, list(invitation.locations.all()), provider
            ),
            "may_manage": _may_manage_invitation(request.user, invitation),
            "form": forms.Form(),
        },
    )


def _may_manage_invitation(user: Any, invitation: Any) -> bool:
    try:
        services.ensure_may_grant(
            actor=user,
            provider=invitation.provider,
            scope=services.scope_of(invitation),
            permissions=frozenset(invitation.permissions),
        )
    except services.DelegationError:
        return False
    return True


@requires("organisations.manage_team")
@require_POST
def invitation_resend(request: HttpRequest, provider_id: str, invitation_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    invitation = selectors.invitation_or_404(request.user, provider, invitation_id)
    if not _may_manage_invitation(request.user, invitation):
        raise PermissionDenied("cannot manage this invitation")
    try:
        services.resend_invitation(actor=request.user, invitation=invitation, request=request)
    except services.DelegationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}")
    return redirect("organisations:team", provider_id=provider_id)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def invitation_cancel(
    request: HttpRequest, provider_id: str, invitation_id: UUID
) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    invitation = selectors.invitation_or_404(request.user, provider, invitation_id)
    if not _may_manage_invitation(request.user, invitation):
        raise PermissionDenied("cannot manage this invitation")
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_invitation(actor=request.user, invitation=invitation, request=request)
        except services.DelegationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Invitation to {invitation.email} cancelled")
            return redirect("organisations:team", provider_id=provider_id)
    return _page(
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
        return _page(request, "invitation_invalid.html", {}, status=404)
    context: dict[str, Any] = {
        "invitation": found,
        "what": describe_permissions(found.permissions),
        "where": _scope_names(found.whole_provider, list(found.locations.all()), found.provider),
        "sign_in_url": f"{resolve_url(settings.LOGIN_URL)}?next={request.path}",
        "sign_up_url": resolve_url(settings.ORGANISATIONS_SIGN_UP_URL),
        "form": forms.Form(_posted(request)),
    }
    usable = found.status == InvitationStatus.PENDING and not found.has_expired
    if not usable:
        return _page(request, "invitation_unusable.html", context, status=410)
    user = request.user
    if not user.is_authenticated:
        return _page(request, "invitation_signed_out.html", context)
    if user.email != found.email:
        return _page(request, "invitation_wrong_account.html", context, status=403)
    if request.method == "POST" and context["form"].is_valid():
        try:
            membership = invitation_services.accept_invitation(
                user=user, token=token, request=request
            )
        except services.SignedInAsSomeoneElse:
            return _page(request, "invitation_wrong_account.html", context, status=403)
        except invitation_services.InvitationClosed as closed:
            found.refresh_from_db()
            context["closed_message"] = closed.message
            return _page(request, "invitation_unusable.html", context, status=409)
        except services.DelegationError as error:
            context["form"].add_error(None, error.message)
        else:
            request.session[selectors.CURRENT_PROVIDER_SESSION_KEY] = membership.provider_id
            messages.success(request, f"You now have access to {membership.provider.name}")
            return redirect("organisations:providers")
    return _page(request, "invitation_accept.html", context)


# Members -----------------------------------------------------------------------------------


def _manageable(
    request: HttpRequest, provider_id: str, membership_id: UUID
) -> tuple[Provider, Membership]:
    provider = selectors.provider_or_404(request.user, provider_id)
    membership = selectors.membership_or_404(request.user, provider, membership_id)
    try:
        services.ensure_may_manage(actor=request.user, membership=membership)
    except services.DelegationError as error:
        raise PermissionDenied(error.message) from error
    return provider, membership


def _may_manage_member(user: Any, membership: Membership) -> bool:
    try:
        services.ensure_may_manage(actor=user, membership=membership)
    except services.DelegationError:
        return False
    return True


@requires("organisations.view_team")
@require_safe
def member(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    membership = selectors.membership_or_404(request.user, provider, membership_id)
    return _page(
        request,
        "member.html",
        {
            "provider": provider,
            "membership": membership,
            "where": _scope_names(
                membership.whole_provider, list(membership.locations.all()), provider
            ),
            "may_manage": _may_manage_member(request.user, membership),
            "form": forms.Form(),
        },
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_change(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    provider, membership = _manageable(request, provider_id, membership_id)
    data = _posted(request)
    access_form = AccessForm(
        data,
        actor=request.user,
        provider=provider,
        initial=AccessForm.initial_for(membership.permissions),
    )
    locations_form = LocationsForm(
        data,
        actor=request.user,
        provider=provider,
        initial=LocationsForm.initial_for(
            membership.whole_provider, [loc.pk for loc in membership.locations.all()]
        ),
    )
    if _grant_from_forms(
        request,
        access_form,
        locations_form,
        partial(services.change_membership, membership=membership),
    ):
        messages.success(request, f"Access changed for {membership.user.email}")
        return redirect("organisations:team", provider_id=provider_id)
    return _page(
        request,
        "member_change.html",
        {
            "provider": provider,
            "membership": membership,
            "access_form": access_form,
            "locations_form": locations_form,
            "forms": [access_form, locations_form],
        },
    )


_MEMBER_ACTIONS = {
    "suspend": (services.suspend_membership, "Suspend access for", "Access suspended for"),
    "reinstate": (services.reinstate_membership, "Reinstate access for", "Access reinstated for"),
    "remove": (services.remove_membership, "Remove access for", "Access removed for"),
}


def _member_action(
    request: HttpRequest, provider_id: str, membership_id: UUID, action: str
) -> HttpResponseBase:
    provider, membership = _manageable(request, provider_id, membership_id)
    service, question, done = _MEMBER_ACTIONS[action]
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, membership=membership, request=request)
        except services.DelegationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{done} {membership.user.email}")
            return redirect("organisations:team", provider_id=provider_id)
    return _page(
        request,
        "member_action.html",
        {
            "provider": provider,
            "membership": membership,
            "form": form,
            "action": action,
            "question": f"{question} {membership.user.email}?",
        },
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_suspend(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    return _member_action(request, provider_id, membership_id, "suspend")


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_reinstate(
    request: HttpRequest, provider_id: str, membership_id: UUID
) -> HttpResponseBase:
    return _member_action(request, provider_id, membership_id, "reinstate")


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_remove(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    return _member_action(request, provider_id, membership_id, "remove")


@requires("organisations.manage_team")
@require_POST
def member_keep(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    _provider, membership = _manageable(request, provider_id, membership_id)
    services.keep_after_review(actor=request.user, membership=membership, request=request)
    messages.success(request, f"You have kept access for {membership.user.email}")
    return redirect("organisations:team", provider_id=provider_id)


# Requests to join -----------------------------------------------------------------------


@requires("signed_in")
@require_http_methods(GET_POST)
def join(request: HttpRequest) -> HttpResponseBase:
    form = JoinForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        provider = Provider.objects.get(pk=form.cleaned_data["provider_id"])
        try:
            join_request = services.request_to_join(
                user=request.user,
                provider=provider,
                message=form.cleaned_data["message"],
                request=request,
            )
        except services.DelegationError as error:
            _put_error(form, error)
        else:
            return redirect("organisations:join_sent", request_id=join_request.pk)
    return _page(request, "join.html", {"form": form})


@requires("signed_in")
@require_safe
def join_sent(request: HttpRequest, request_id: UUID) -> HttpResponse:
    join_request = (
        JoinRequest.objects.filter(pk=request_id, user_id=getattr(request.user, "pk", 0))
        .select_related("provider")
        .first()
    )
    if join_request is None:
        raise Http404("No such request")
    return _page(request, "join_sent.html", {"join_request": join_request})


@requires("organisations.manage_team")
@require_safe
def join_request(request: HttpRequest, provider_id: str, request_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    found = selectors.join_request_or_404(request.user, provider, request_id)
    return _page(request, "join_request.html", {"provider": provider, "join_request": found})


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def join_request_approve(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    found = selectors.join_request_or_404(request.user, provider, request_id)
    data = _posted(request)
    access_form = AccessForm(data, actor=request.user, provider=provider)
    locations_form = LocationsForm(data, actor=request.user, provider=provider)
    if _grant_from_forms(
        request,
        access_form,
        locations_form,
        partial(services.approve_join_request, join_request=found),
    ):
        messages.success(request, f"{found.user.email} now has access")
        return redirect("organisations:team", provider_id=provider_id)
    return _page(
        request,
        "join_request_approve.html",
        {
            "provider": provider,
            "join_request": found,
            "access_form": access_form,
            "locations_form": locations_form,
            "forms": [access_form, locations_form],
        },
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def join_request_refuse(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    found = selectors.join_request_or_404(request.user, provider, request_id)
    form = RefuseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_join_request(
                actor=request.user,
                join_request=found,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.DelegationError as error:
            _put_error(form, error)
        else:
            messages.success(request, f"Request from {found.user.email} refused")
            return redirect("organisations:team", provider_id=provider_id)
    return _page(
        request,
        "join_request_refuse.html",
        {"provider": provider, "join_request": found, "form": form},
    )
