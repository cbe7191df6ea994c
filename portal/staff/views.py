"""Staff administration pages (MANAGE_STAFF), and where an invitation's link lands."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.access import public, requires
from portal.accounts import sessions
from portal.accounts.forms import NamedNewPasswordForm
from portal.accounts.sessions import signed_in_user
from portal.accounts.views import SETUP_FLOW
from portal.staff import renewals, selectors, services
from portal.staff.errors import StaffError
from portal.staff.forms import EndAccessForm, InviteForm, MemberForm, TeamForm
from portal.staff.models import StaffMember, Team
from portal.staff_permissions import StaffPermission

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
MANAGE_STAFF = StaffPermission.MANAGE_STAFF.required


@requires(MANAGE_STAFF)
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/staff_list.html",
        {"members": selectors.staff_members(), "invitations": selectors.pending_invitations()},
    )


def _saved(
    request: HttpRequest, form: forms.Form, write: Callable[[], str], to: str = "staff:list"
) -> HttpResponseBase | None:
    """A posted, valid form runs its service: on success, its message and back to `to`; on
    refusal, the reason goes on the form (None: show the page again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message = write()
    except StaffError as refused:
        refused.show_on(form)
        return None
    messages.success(request, message)
    return redirect(to)


def _pressed(request: HttpRequest, write: Callable[[], str], to: str = "") -> HttpResponseBase:
    """A button with no form (cancel, resend, reinstate): its message or its refusal, shown
    on the page it goes back to."""
    try:
        message = write()
    except StaffError as refused:
        messages.error(request, refused.message)
    except ObjectDoesNotExist as missing:
        raise Http404("Not found") from missing
    else:
        messages.success(request, message)
    return redirect(to or "staff:list")


@requires(MANAGE_STAFF)
@GET_POST
def invite(request: HttpRequest) -> HttpResponseBase:
    form = InviteForm(request.POST or None)

    def send() -> str:
        invitation, _token = services.invite_staff(
            actor=signed_in_user(request),
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            roles=form.cleaned_data["roles"],
            team_ids=form.cleaned_data["teams"],
            request=request,
        )
        return f"Invitation sent to {invitation.email}"

    return _saved(request, form, send) or render(request, "staff/invite.html", {"form": form})


@requires(MANAGE_STAFF)
@require_POST
def cancel_invitation(request: HttpRequest, invitation_id: int) -> HttpResponseBase:
    def cancel() -> str:
        invitation = services.cancel_invitation(
            actor=signed_in_user(request), invitation_id=invitation_id, request=request
        )
        return f"Invitation to {invitation.email} cancelled"

    return _pressed(request, cancel)


@requires(MANAGE_STAFF)
@require_POST
def resend_invitation(request: HttpRequest, invitation_id: int) -> HttpResponseBase:
    def resend() -> str:
        invitation, _token = renewals.resend_invitation(
            actor=signed_in_user(request), invitation_id=invitation_id, request=request
        )
        return f"Invitation sent again to {invitation.email}. The link in the earlier email no longer works"

    return _pressed(request, resend)


def _member_or_404(member_id: int) -> StaffMember:
    member = (
        StaffMember.objects.select_related("user")
        .prefetch_related("teams")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise Http404("No such member of staff")
    return member


@requires(MANAGE_STAFF)
@GET_POST
def member(request: HttpRequest, member_id: int) -> HttpResponseBase:
    found = _member_or_404(member_id)
    initial = {"roles": found.roles, "teams": [str(team.pk) for team in found.teams.all()]}
    form = MemberForm(request.POST or None, initial=initial)

    def save() -> str:
        services.change_member(
            actor=signed_in_user(request),
            member_id=found.pk,
            roles=form.cleaned_data["roles"],
            team_ids=form.cleaned_data["teams"],
            request=request,
        )
        return f"Roles and teams of {found.user.email} saved"

    saved = _saved(request, form, save) if found.is_current else None
    return saved or render(request, "staff/member.html", {"member": found, "form": form})


@requires(MANAGE_STAFF)
@GET_POST
def end_access(request: HttpRequest, member_id: int) -> HttpResponseBase:
    found = _member_or_404(member_id)
    if not found.is_current:
        return redirect("staff:member", member_id=found.pk)
    form = EndAccessForm(request.POST or None)

    def end() -> str:
        services.end_access(
            actor=signed_in_user(request),
            member_id=found.pk,
            reason=form.cleaned_data["reason"],
            request=request,
        )
        return f"Access of {found.user.email} ended"

    return _saved(request, form, end) or render(
        request, "staff/end_access.html", {"member": found, "form": form}
    )


@requires(MANAGE_STAFF)
@GET_POST
def reinstate(request: HttpRequest, member_id: int) -> HttpResponseBase:
    found = _member_or_404(member_id)
    here = reverse("staff:member", kwargs={"member_id": found.pk})
    if request.method != "POST":
        if found.is_current:
            return redirect(here)
        return render(request, "staff/reinstate.html", {"member": found})

    def give_back() -> str:
        renewals.reinstate_member(
            actor=signed_in_user(request), member_id=found.pk, request=request
        )
        return f"Access of {found.user.email} given back"

    return _pressed(request, give_back, to=here)


@requires(MANAGE_STAFF)
@GET_POST
def teams(request: HttpRequest) -> HttpResponseBase:
    form = TeamForm(request.POST or None)

    def create() -> str:
        team = services.create_team(actor=signed_in_user(request), **form.cleaned_data)
        return f"Team {team.name} created"

    return _saved(request, form, create, to="staff:teams") or render(
        request, "staff/teams.html", {"teams": selectors.teams_with_members(), "form": form}
    )


@requires(MANAGE_STAFF)
@GET_POST
def team(request: HttpRequest, team_id: int) -> HttpResponseBase:
    found = Team.objects.filter(pk=team_id).first()
    if found is None:
        raise Http404("No such team")
    initial = {"name": found.name, "region": found.region, "sector": found.sector}
    form = TeamForm(request.POST or None, initial=initial)

    def save() -> str:
        services.change_team(actor=signed_in_user(request), team_id=found.pk, **form.cleaned_data)
        return "Team saved"

    return _saved(request, form, save, to="staff:teams") or render(
        request, "staff/team.html", {"team": found, "form": form}
    )


@public
@GET_POST
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where the emailed link lands: the invitee gives their name and a password, then sets
    up an authenticator (the account signs in only once it is confirmed)."""
    try:
        invitation = services.usable_invitation(services.invitation_for_token(token))
    except StaffError as refused:
        return render(request, "staff/invitation_unusable.html", {"refusal": refused}, status=404)
    form = NamedNewPasswordForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except StaffError as refused:
            return render(
                request, "staff/invitation_unusable.html", {"refusal": refused}, status=409
            )
        if request.user.is_authenticated:
            # Someone else's session in this browser must not carry on as the new account.
            logout(request)
        sessions.begin_pending(request, user)
        request.session[SETUP_FLOW] = "sign_in"
        return redirect("accounts:set_up_authenticator")
    return render(request, "staff/accept_invitation.html", {"form": form, "invitation": invitation})
