"""Writes for delegation. Every function is keyword-only and atomic, checks who may act
(through the access function), writes an audit event with before/after in the same
transaction, and emails the person affected through the outbox.

Rules enforced here, whatever the caller:
- only people who can manage the team grant access: nominated individuals, responsible
  individuals and main partners for the whole provider, registered managers for their
  locations, delegates with "manage team" within their own scope;
- nobody grants, or changes someone to, more than they hold themselves, and nobody
  changes or removes someone who holds more than they do (or themselves);
- a provider never loses its last person who can manage its whole team.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.audit.services import record
from portal.emails.addresses import normalise_email
from portal.emails.services import queue_email, queue_emails
from portal.organisations.access import (
    WHOLE_PROVIDER_ROLES,
    Scope,
    compute_access,
    forget_access,
    scope_for,
)
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import (
    DELEGABLE_PERMISSIONS,
    Permission,
    describe_permissions,
)
from portal.organisations.redundancy import refresh_redundancy
from portal.organisations.selectors import team_manager_users
from portal.register.models import Location, Provider, RoleAssignment
from portal.register.selectors import people_holding_email
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.services import lock, mark_locked, transition

MESSAGE_MAX_LENGTH = 1000


class DelegationError(Exception):
    """A request the rules refuse. The message is written for the person who made it;
    `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class SignedInAsSomeoneElse(DelegationError):
    """The invitation is for a different address from the signed-in account's."""


# Helpers -----------------------------------------------------------------------------


def token_hmac(token: str) -> str:
    return hmac.new(settings.CODE_HMAC_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hmac(token)


def _invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=settings.ORGANISATIONS_INVITATION_VALID_HOURS)


def _link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def scope_of(holder: Membership | Invitation) -> Scope:
    if holder.whole_provider:
        return Scope(whole_provider=True)
    return Scope(
        whole_provider=False, location_ids=frozenset(loc.pk for loc in holder.locations.all())
    )


def snapshot(holder: Membership | Invitation) -> dict[str, Any]:
    """What an audit event records as before/after."""
    return {
        "status": holder.status,
        "whole_provider": holder.whole_provider,
        "locations": sorted(loc.pk for loc in holder.locations.all()),
        "permissions": sorted(holder.permissions),
    }


def _scope_words(provider: Provider, scope: Scope) -> str:
    if scope.whole_provider:
        return f"all locations of {provider.name}"
    names = Location.objects.filter(pk__in=scope.location_ids).order_by("name")
    return ", ".join(location.name for location in names)


def _locations(scope: Scope) -> list[Location]:
    if scope.whole_provider:
        return []
    return list(Location.objects.filter(pk__in=scope.location_ids))


def _clean_permissions(permissions: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(str(p) for p in permissions)
    if not chosen:
        raise DelegationError("Select what they can do", field="permissions")
    unknown = chosen - DELEGABLE_PERMISSIONS
    if unknown:
        raise DelegationError(
            "Only registered people can sign declarations"
            if Permission.SIGN_DECLARATIONS in unknown
            else "Select what they can do from the list",
            field="permissions",
        )
    return chosen


def _clean_scope(provider: Provider, whole_provider: bool, location_ids: Iterable[str]) -> Scope:
    if whole_provider:
        return Scope(whole_provider=True)
    ids = frozenset(str(i) for i in location_ids)
    if not ids:
        raise DelegationError("Select at least one location", field="locations")
    found = set(
        Location.objects.filter(pk__in=ids, provider=provider)
        .exclude(registration_status="Deregistered")
        .values_list("pk", flat=True)
    )
    if found != ids:
        raise DelegationError("Select locations from the list", field="locations")
    return Scope(whole_provider=False, location_ids=ids)


def ensure_may_grant(
    *, actor: Any, provider: Provider, scope: Scope, permissions: frozenset[str]
) -> None:
    """Refuse unless the actor may manage the team over `scope` and holds every one of
    `permissions` over the whole of `scope` (never more than they hold themselves)."""
    if not provider.is_registered:
        raise DelegationError(f"{provider.name} is no longer registered, so access cannot be given")
    if not scope_for(actor, Permission.MANAGE_TEAM, provider).covers(scope):
        raise DelegationError(
            "You can only give access to the locations whose team you manage", field="locations"
        )
    for permission in sorted(permissions):
        if not scope_for(actor, permission, provider).covers(scope):
            raise DelegationError(
                "You cannot give someone access you do not have yourself", field="permissions"
            )


def _ensure_may_grant_as_it_stands(*, actor: Any, holder: Membership | Invitation) -> None:
    """Refuse unless the actor could have granted this membership or invitation as it stands."""
    ensure_may_grant(
        actor=actor,
        provider=holder.provider,
        scope=scope_of(holder),
        permissions=frozenset(holder.permissions),
    )


def ensure_may_manage(*, actor: Any, membership: Membership) -> None:
    """Refuse unless the actor could have granted this membership as it stands."""
    if membership.user_id == actor.pk:
        raise DelegationError("You cannot change your own access. Ask someone else in your team")
    _ensure_may_grant_as_it_stands(actor=actor, holder=membership)


def _whole_team_managers(provider: Provider, *, ignoring: Membership | None = None) -> set[str]:
    """Who can manage the provider's whole team: live registered people in whole-provider
    roles (with or without an account, since they can always sign up) and active
    whole-provider memberships with "manage team"."""
    managers = {
        f"person:{person_id}"
        for person_id in RoleAssignment.objects.live()
        .filter(provider=provider, role__in=WHOLE_PROVIDER_ROLES)
        .values_list("person_id", flat=True)
    }
    members = Membership.objects.filter(
        provider=provider, status=MembershipStatus.ACTIVE, whole_provider=True
    )
    if ignoring is not None:
        members = members.exclude(pk=ignoring.pk)
    for membership in members:
        if Permission.MANAGE_TEAM in membership.permissions:
            managers.add(f"user:{membership.user_id}")
    return managers


def _ensure_team_stays_managed(
    *, provider: Provider, membership: Membership, still_manages_whole_team: bool
) -> None:
    before = _whole_team_managers(provider)
    after = _whole_team_managers(provider, ignoring=membership)
    if still_manages_whole_team:
        after.add(f"user:{membership.user_id}")
    if before and not after:
        raise DelegationError(
            f"{membership.user.email} is the only person who can manage the team for "
            f"{provider.name}. Give someone else “Manage team” for all locations first"
        )


def _lock_provider(provider: Provider) -> Provider:
    """Serialise team changes per provider, so two concurrent removals cannot both pass
    the last-manager guard."""
    return Provider.objects.select_for_update().get(pk=provider.pk)


def _email_user(user: Any, template: str, context: dict[str, Any]) -> None:
    queue_email(to=user.email, template=template, context=context)


def _ensure_email_is_one_persons(email: str) -> None:
    people = people_holding_email(email)
    if len({entry.person.pk for entry in people}) > 1:
        raise DelegationError(
            "We hold this email address for more than one registered person. Each person "
            "needs an address of their own: ask them for a personal address",
            field="email",
        )


# Invitations -------------------------------------------------------------------------


@transaction.atomic
def invite(
    *,
    actor: Any,
    provider: Provider,
    email: str,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the token that was emailed."""
    provider = _lock_provider(provider)
    address = normalise_email(email)
    if not address:
        raise DelegationError("Enter their email address", field="email")
    if len(address) > 320:
        raise DelegationError("Email address must be 320 characters or fewer", field="email")
    try:
        validate_email(address)
    except ValidationError as error:
        raise DelegationError(
            "Enter an email address in the correct format, like name@example.com", field="email"
        ) from error
    chosen = _clean_permissions(permissions)
    scope = _clean_scope(provider, whole_provider, location_ids)
    ensure_may_grant(actor=actor, provider=provider, scope=scope, permissions=chosen)
    _ensure_email_is_one_persons(address)
    if address == actor.email:
        raise DelegationError("You cannot invite yourself", field="email")
    existing_user = get_user_model().objects.filter(email=address).first()
    if existing_user is not None:
        if (
            Membership.objects.filter(user=existing_user, provider=provider)
            .exclude(status=MembershipStatus.REMOVED)
            .exists()
        ):
            raise DelegationError(
                f"{address} already has access to {provider.name}. Change their access on the team page",
                field="email",
            )
        if provider.pk in compute_access(existing_user):
            raise DelegationError(
                f"{address} already has access to {provider.name} through their registered role",
                field="email",
            )
    if Invitation.objects.filter(
        email=address, provider=provider, status=InvitationStatus.PENDING
    ).exists():
        raise DelegationError(
            f"You have already invited {address}. You can resend the invitation from the team page",
            field="email",
        )
    token, digest = _new_token()
    invitation = Invitation.objects.create(
        email=address,
        provider=provider,
        whole_provider=scope.whole_provider,
        permissions=sorted(chosen),
        invited_by=actor,
        token_hmac=digest,
        expires_at=_invitation_expiry(),
    )
    if not scope.whole_provider:
        invitation.locations.set(_locations(scope))
    record(
        verb=OrganisationsVerb.INVITATION_SENT,
        actor=actor,
        target=invitation,
        data={
            "email": address,
            "provider": provider.pk,
            "before": None,
            "after": snapshot(invitation),
        },
        request=request,
    )
    _send_invitation_email(invitation, token, has_account=existing_user is not None)
    return invitation, token


def _send_invitation_email(invitation: Invitation, token: str, *, has_account: bool) -> None:
    inviter = invitation.invited_by
    queue_email(
        to=invitation.email,
        template="organisations_invitation",
        context={
            "provider_name": invitation.provider.name,
            "inviter": (inviter.full_name or inviter.email) if inviter else "Your colleague",
            "what": describe_permissions(invitation.permissions),
            "where": _scope_words(invitation.provider, scope_of(invitation)),
            "link": _link(reverse("organisations:invitation", kwargs={"token": token})),
            "expires_at": invitation.expires_at,
            "has_account": has_account,
        },
    )


def _locked_invitation(invitation: Invitation) -> Invitation:
    return lock(Invitation.objects.select_for_update().select_related("provider"), pk=invitation.pk)


def _move(row: Membership | Invitation | JoinRequest, action: str, **kwargs: Any) -> None:
    """A lifecycle move (portal.workflow): status-change row and audit event included."""
    try:
        transition(row, action, **kwargs)
    except TransitionRefused as refused:
        raise DelegationError(refused.reason) from refused


def _refuse_if_not_now(row: Membership | JoinRequest, action: str) -> None:
    refusal = type(row).lifecycle.refusal(row, action)
    if refusal:
        raise DelegationError(refusal)


_INVITATION_VERBS = {
    "resend": OrganisationsVerb.INVITATION_RESENT,
    "cancel": OrganisationsVerb.INVITATION_CANCELLED,
    "expire": OrganisationsVerb.INVITATION_EXPIRED,
    "accept": OrganisationsVerb.INVITATION_ACCEPTED,
}


def _invitation_moves(action: str, invitation: Invitation, *, actor: Any, **kwargs: Any) -> None:
    """Move an invitation, auditing it with its before and after."""
    before = snapshot(invitation)
    _move(
        invitation,
        action,
        actor=actor,
        verb=_INVITATION_VERBS[action],
        data=lambda: {"email": invitation.email, "before": before, "after": snapshot(invitation)},
        **kwargs,
    )


@transaction.atomic
def resend_invitation(
    *, actor: Any, invitation: Invitation, request: HttpRequest | None = None
) -> tuple[Invitation, str]:
    """Send a new link (the old one stops working) valid for another 2 days."""
    invitation = _locked_invitation(invitation)
    _ensure_may_grant_as_it_stands(actor=actor, holder=invitation)
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        raise DelegationError(f"This invitation has been {invitation.status} and cannot be resent")
    wait = dt.timedelta(seconds=settings.ORGANISATIONS_RESEND_WAIT_SECONDS)
    if invitation.sent_at > timezone.now() - wait:
        raise DelegationError(
            "You sent this invitation less than a minute ago. Wait a minute before sending it again"
        )
    token, new_hmac = _new_token()
    changes = {
        # Whoever sends it again vouches for it: acceptance checks their authority from now on.
        "invited_by": actor,
        "token_hmac": new_hmac,
        "sent_at": timezone.now(),
        "expires_at": _invitation_expiry(),
        "times_sent": invitation.times_sent + 1,
    }
    try:
        _invitation_moves("resend", invitation, actor=actor, changes=changes, request=request)
    except IntegrityError as error:  # another pending invitation to the same address
        raise DelegationError(f"{invitation.email} already has a newer invitation") from error
    _send_invitation_email(
        invitation,
        token,
        has_account=get_user_model().objects.filter(email=invitation.email).exists(),
    )
    return invitation, token


@transaction.atomic
def cancel_invitation(
    *, actor: Any, invitation: Invitation, request: HttpRequest | None = None
) -> Invitation:
    invitation = _locked_invitation(invitation)
    _ensure_may_grant_as_it_stands(actor=actor, holder=invitation)
    changes = {"decided_at": timezone.now()}
    _invitation_moves("cancel", invitation, actor=actor, changes=changes, request=request)
    queue_email(
        to=invitation.email,
        template="organisations_invitation_cancelled",
        context={"provider_name": invitation.provider.name},
    )
    return invitation


@transaction.atomic
def expire_invitations() -> int:
    """Mark pending invitations past their time as expired (run by the worker's sweep)."""
    count = 0
    due = Invitation.objects.select_for_update(skip_locked=True).filter(
        status=InvitationStatus.PENDING, expires_at__lte=timezone.now()
    )
    for invitation in due:
        mark_locked(invitation)
        _invitation_moves("expire", invitation, actor=None)
        count += 1
    return count


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link points at, if any (reading only: GET never uses a link up)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("provider", "invited_by")
        .filter(token_hmac=token_hmac(token))
        .first()
    )


def _create_membership(
    *, user: Any, provider: Provider, scope: Scope, permissions: Iterable[str], granted_by: Any
) -> Membership:
    membership = Membership.objects.create(
        user=user,
        provider=provider,
        whole_provider=scope.whole_provider,
        permissions=sorted(permissions),
        granted_by=granted_by,
    )
    if not scope.whole_provider:
        membership.locations.set(_locations(scope))
    return membership


def _record_grant(
    membership: Membership,
    *,
    to: Any,
    actor: Any,
    via: str,
    before: dict[str, Any] | None,
    request: HttpRequest | None,
) -> None:
    """Audit access given to `to` (new, or added to what they had), and how it came."""
    record(
        verb=OrganisationsVerb.MEMBERSHIP_GRANTED,
        actor=actor,
        target=membership,
        data={
            "user": to.email,
            "provider": membership.provider_id,
            "via": via,
            "before": before,
            "after": snapshot(membership),
        },
        request=request,
    )


def _access_changed(user: Any) -> None:
    """After a grant or change: recheck which of the user's memberships their registered roles
    make redundant, and forget their cached access."""
    refresh_redundancy(user)
    forget_access(user)


# What must follow when a member's access at a provider shrinks: invitation_services
# registers the withdrawal of the invitations they could no longer give (it builds on this
# module, so this module does not import it; organisations' AppConfig.ready loads it).
_AFTER_ACCESS_SHRANK: list[Callable[..., object]] = []


def after_access_shrank(react: Callable[..., object]) -> None:
    if react not in _AFTER_ACCESS_SHRANK:
        _AFTER_ACCESS_SHRANK.append(react)


def _inviter_lost_authority(
    member: Any, provider: Provider, *, actor: Any, request: HttpRequest | None
) -> None:
    """After a member's access here shrank: withdraw the invitations they sent that they
    could no longer give."""
    for react in _AFTER_ACCESS_SHRANK:
        react(inviter=member, provider=provider, actor=actor, request=request)


def _could_still_grant(granter: Any, membership: Membership) -> bool:
    try:
        _ensure_may_grant_as_it_stands(actor=granter, holder=membership)
    except DelegationError:
        return False
    return True


def pending_invitations_for_email(email: str) -> list[Invitation]:
    """Invitations still waiting for this address (for the accounts sign-up journey: an
    invited address may create an account even when the register does not hold it)."""
    return list(
        Invitation.objects.select_related("provider")
        .filter(
            email=normalise_email(email),
            status=InvitationStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .order_by("created_at")
    )


# Requests to join ---------------------------------------------------------------------


@transaction.atomic
def request_to_join(
    *, user: Any, provider: Provider, message: str, request: HttpRequest | None = None
) -> JoinRequest:
    provider = _lock_provider(provider)
    message = message.strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise DelegationError(
            f"Your message must be {MESSAGE_MAX_LENGTH} characters or fewer", field="message"
        )
    if not provider.is_registered:
        raise DelegationError(f"{provider.name} is no longer registered", field="provider_id")
    if provider.pk in compute_access(user):
        raise DelegationError(f"You already have access to {provider.name}", field="provider_id")
    if Membership.objects.filter(
        user=user, provider=provider, status=MembershipStatus.SUSPENDED
    ).exists():
        raise DelegationError(
            f"Your access to {provider.name} is suspended. Ask someone who manages its team to reinstate it",
            field="provider_id",
        )
    if JoinRequest.objects.filter(
        user=user, provider=provider, status=JoinRequestStatus.PENDING
    ).exists():
        raise DelegationError(
            f"You have already asked to join {provider.name}. We will email you when they decide",
            field="provider_id",
        )
    join_request = JoinRequest.objects.create(user=user, provider=provider, message=message)
    record(
        verb=OrganisationsVerb.JOIN_REQUESTED,
        actor=user,
        target=join_request,
        data={"provider": provider.pk, "before": None, "after": {"status": join_request.status}},
        request=request,
    )
    context = {
        "provider_name": provider.name,
        "requester": user.full_name or user.email,
        "requester_email": user.email,
        "message": message,
        "link": _link(
            reverse(
                "organisations:join_request",
                kwargs={"provider_id": provider.pk, "request_id": join_request.pk},
            )
        ),
    }
    _email_user(user, "organisations_join_request_sent", context)
    # Every manager is told, in statements that do not grow with their number.
    queue_emails(
        to=[manager.email for manager in team_manager_users(provider) if manager.pk != user.pk],
        template="organisations_join_request_received",
        context=context,
    )
    return join_request


def _locked_join_request(join_request: JoinRequest) -> JoinRequest:
    return lock(
        JoinRequest.objects.select_for_update().select_related("provider", "user"),
        pk=join_request.pk,
    )


@transaction.atomic
def approve_join_request(
    *,
    actor: Any,
    join_request: JoinRequest,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Membership:
    join_request = _locked_join_request(join_request)
    provider = _lock_provider(join_request.provider)
    chosen = _clean_permissions(permissions)
    scope = _clean_scope(provider, whole_provider, location_ids)
    ensure_may_grant(actor=actor, provider=provider, scope=scope, permissions=chosen)
    _refuse_if_not_now(join_request, "approve")
    requester = join_request.user
    if (
        Membership.objects.filter(user=requester, provider=provider)
        .exclude(status=MembershipStatus.REMOVED)
        .exists()
    ):
        raise DelegationError(f"{requester.email} already has access to {provider.name}")
    membership = _create_membership(
        user=requester, provider=provider, scope=scope, permissions=chosen, granted_by=actor
    )
    _move(
        join_request,
        "approve",
        actor=actor,
        changes={"decided_by": actor, "decided_at": timezone.now()},
        verb=OrganisationsVerb.JOIN_REQUEST_APPROVED,
        data={"before": {"status": "pending"}, "after": {"status": JoinRequestStatus.APPROVED}},
        request=request,
    )
    _record_grant(
        membership,
        to=requester,
        actor=actor,
        via=f"join request {join_request.pk}",
        before=None,
        request=request,
    )
    _access_changed(requester)
    _email_user(
        requester,
        "organisations_join_request_approved",
        {
            "provider_name": provider.name,
            "what": describe_permissions(membership.permissions),
            "where": _scope_words(provider, scope),
            "start_link": _link(reverse("organisations:providers")),
        },
    )
    return membership


@transaction.atomic
def refuse_join_request(
    *,
    actor: Any,
    join_request: JoinRequest,
    reason: str,
    request: HttpRequest | None = None,
) -> JoinRequest:
    join_request = _locked_join_request(join_request)
    reason = reason.strip()
    if not reason:
        raise DelegationError("Enter why you are refusing the request", field="reason")
    if len(reason) > MESSAGE_MAX_LENGTH:
        raise DelegationError(
            f"The reason must be {MESSAGE_MAX_LENGTH} characters or fewer", field="reason"
        )
    if scope_for(actor, Permission.MANAGE_TEAM, join_request.provider).is_empty:
        raise DelegationError("You cannot decide requests to join this provider")
    _move(
        join_request,
        "refuse",
        actor=actor,
        reason=reason,
        changes={"decided_by": actor, "decided_at": timezone.now(), "reason": reason},
        verb=OrganisationsVerb.JOIN_REQUEST_REFUSED,
        data={
            "before": {"status": "pending"},
            "after": {"status": JoinRequestStatus.REFUSED, "reason": reason},
        },
        request=request,
    )
    _email_user(
        join_request.user,
        "organisations_join_request_refused",
        {"provider_name": join_request.provider.name, "reason": reason},
    )
    return join_request


# Changing access ------------------------------------------------------------------------


def _locked_membership(membership: Membership) -> Membership:
    return lock(
        Membership.objects.select_for_update().select_related("provider", "user"), pk=membership.pk
    )


def _membership_email(membership: Membership, template: str) -> None:
    _email_user(
        membership.user,
        template,
        {
            "provider_name": membership.provider.name,
            "what": describe_permissions(membership.permissions),
            "where": _scope_words(membership.provider, scope_of(membership)),
        },
    )


@transaction.atomic
def change_membership(
    *,
    actor: Any,
    membership: Membership,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Membership:
    provider = _lock_provider(membership.provider)
    membership = _locked_membership(membership)
    if membership.status == MembershipStatus.REMOVED:
        raise DelegationError("This person no longer has access")
    ensure_may_manage(actor=actor, membership=membership)
    chosen = _clean_permissions(permissions)
    scope = _clean_scope(provider, whole_provider, location_ids)
    ensure_may_grant(actor=actor, provider=provider, scope=scope, permissions=chosen)
    _ensure_team_stays_managed(
        provider=provider,
        membership=membership,
        still_manages_whole_team=(
            membership.status == MembershipStatus.ACTIVE
            and scope.whole_provider
            and Permission.MANAGE_TEAM in chosen
        ),
    )
    before = snapshot(membership)
    membership.permissions = sorted(chosen)
    membership.whole_provider = scope.whole_provider
    membership.locations.set(_locations(scope))
    membership.changed_at = timezone.now()
    membership.granted_by = actor
    membership.granter_review_since = None
    membership.save()
    after = snapshot(membership)
    if before == after:
        return membership
    record(
        verb=OrganisationsVerb.MEMBERSHIP_CHANGED,
        actor=actor,
        target=membership,
        data={"user": membership.user.email, "before": before, "after": after},
        request=request,
    )
    _access_changed(membership.user)
    _inviter_lost_authority(membership.user, provider, actor=actor, request=request)
    _membership_email(membership, "organisations_access_changed")
    return membership


def _move_membership(
    *,
    actor: Any,
    membership: Membership,
    action: str,
    verb: OrganisationsVerb,
    template: str,
    request: HttpRequest | None,
) -> Membership:
    provider = _lock_provider(membership.provider)
    membership = _locked_membership(membership)
    ensure_may_manage(actor=actor, membership=membership)
    _refuse_if_not_now(membership, action)
    if action != "reinstate":
        _ensure_team_stays_managed(
            provider=provider, membership=membership, still_manages_whole_team=False
        )
    before = snapshot(membership)
    _move(
        membership,
        action,
        actor=actor,
        changes={"changed_at": timezone.now()},
        verb=verb,
        data=lambda: {
            "user": membership.user.email,
            "before": before,
            "after": snapshot(membership),
        },
        request=request,
    )
    forget_access(membership.user)
    if action != "reinstate":
        _inviter_lost_authority(membership.user, provider, actor=actor, request=request)
    _membership_email(membership, template)
    return membership


@transaction.atomic
def suspend_membership(
    *, actor: Any, membership: Membership, request: HttpRequest | None = None
) -> Membership:
    return _move_membership(
        actor=actor,
        membership=membership,
        action="suspend",
        verb=OrganisationsVerb.MEMBERSHIP_SUSPENDED,
        template="organisations_access_suspended",
        request=request,
    )


@transaction.atomic
def reinstate_membership(
    *, actor: Any, membership: Membership, request: HttpRequest | None = None
) -> Membership:
    return _move_membership(
        actor=actor,
        membership=membership,
        action="reinstate",
        verb=OrganisationsVerb.MEMBERSHIP_REINSTATED,
        template="organisations_access_reinstated",
        request=request,
    )


@transaction.atomic
def remove_membership(
    *, actor: Any, membership: Membership, request: HttpRequest | None = None
) -> Membership:
    return _move_membership(
        actor=actor,
        membership=membership,
        action="remove",
        verb=OrganisationsVerb.MEMBERSHIP_REMOVED,
        template="organisations_access_removed",
        request=request,
    )


@transaction.atomic
def keep_after_review(
    *, actor: Any, membership: Membership, request: HttpRequest | None = None
) -> Membership:
    """Someone who could grant this access confirms it should stay; they become its granter."""
    membership = _locked_membership(membership)
    ensure_may_manage(actor=actor, membership=membership)
    if membership.granter_review_since is None:
        return membership
    before = {
        "granted_by": membership.granted_by_id,
        "review_since": str(membership.granter_review_since),
    }
    membership.granter_review_since = None
    membership.granted_by = actor
    membership.changed_at = timezone.now()
    membership.save(update_fields=["granter_review_since", "granted_by", "changed_at"])
    record(
        verb=OrganisationsVerb.MEMBERSHIP_REVIEWED,
        actor=actor,
        target=membership,
        data={
            "user": membership.user.email,
            "before": before,
            "after": {"granted_by": actor.pk, "review_since": None},
        },
        request=request,
    )
    return membership
