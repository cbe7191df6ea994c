"""Writes for using an invitation, and for withdrawing invitations their inviter can no
longer give. Same rules as `services` (keyword-only, atomic, audited, emailed through
the outbox), which this module builds on.

An invitation never gives more than its inviter could give at the moment it is used:
- it is checked again at acceptance, through the access function, with the provider and the
  invitation locked (team changes lock the provider too, so they cannot slip in between);
  an inviter who lost the right by then (role ended, "manage team" taken away, suspended,
  removed) leaves an invitation that is withdrawn, not used;
- it never merges into access the invitee already has: a member (active or suspended) who
  accepts is told they already have access and whom to ask, the invitation is closed as
  "not used" and the inviter is told. Only a manager changing their access widens it.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.access import Account
from portal.emails.addresses import normalise_email
from portal.emails.services import queue_email
from portal.organisations.access import Scope, forget_access
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.errors import (
    DelegationError,
    InvitationClosed,
    OrganisationError,
    SignedInAsSomeoneElse,
)
from portal.organisations.models import Invitation, InvitationStatus, Membership, MembershipStatus
from portal.organisations.permissions import describe_permissions
from portal.organisations.services import steps
from portal.organisations.services.invitations import (
    invitation_for_token,
    locked_invitation,
    pending_invitations_for_email,
)
from portal.organisations.services.rules import ensure_may_grant, scope_of
from portal.register.models import Location, Provider

INVITER_CANNOT_GIVE = "The person who sent it can no longer give this access"


@dataclass(frozen=True)
class _Closed:
    code: OrganisationError
    message: str


def _name(user: Account | None) -> str:
    return (user.full_name or user.email) if user is not None else "A colleague"


_UNUSABLE = {
    InvitationStatus.ACCEPTED: (
        OrganisationError.INVITATION_USED,
        "This invitation has already been used",
    ),
    InvitationStatus.DECLINED: (
        OrganisationError.INVITATION_NOT_USED,
        "This invitation was not used because you already had access. Ask someone who "
        "manages the team to change your access",
    ),
    InvitationStatus.CANCELLED: (
        OrganisationError.INVITATION_CANCELLED,
        "This invitation has been cancelled",
    ),
    InvitationStatus.EXPIRED: (
        OrganisationError.INVITATION_EXPIRED,
        "This invitation has expired. Ask the person who invited you to send it again",
    ),
}


def _refuse_unusable(invitation: Invitation) -> None:
    status = invitation.status
    if status == InvitationStatus.PENDING and invitation.has_expired:
        status = InvitationStatus.EXPIRED
    if status in _UNUSABLE:
        code, message = _UNUSABLE[InvitationStatus(status)]
        raise DelegationError(code, message)


def _registered_part(scope: Scope) -> Scope:
    """The part of an invitation's scope still registered (whole provider stays whole)."""
    if scope.whole_provider:
        return scope
    still_registered = frozenset(
        Location.objects.filter(
            pk__any_of=scope.location_ids, registration_status="Registered"
        ).values_list("pk", flat=True)
    )
    return Scope(whole_provider=False, location_ids=still_registered)


def inviter_could_give(invitation: Invitation, scope: Scope | None = None) -> bool:
    """Whether the inviter, as the access function sees them now, could give this
    invitation (over `scope`, or the invitation's own)."""
    if invitation.invited_by_id is None:  # their account is gone
        return False
    inviter = (  # fresh: no cached access
        get_user_model().objects.filter(pk=invitation.invited_by_id).first()
    )
    if inviter is None:
        return False
    try:
        ensure_may_grant(
            actor=inviter,
            provider=invitation.provider,
            scope=scope or scope_of(invitation),
            permissions=frozenset(invitation.permissions),
        )
    except DelegationError:
        return False
    finally:
        forget_access(inviter)
    return True


def _settle(
    invitation: Invitation,
    *,
    action: str,
    verb: OrganisationsVerb,
    actor: Account | None,
    request: HttpRequest | None,
    reason: str = "",
    accepted_by: Account | None = None,
) -> None:
    """Move a locked invitation to its final status (a portal.workflow transition) and audit
    it (with why, if it was closed without being used)."""
    before = steps.snapshot(invitation)

    def audit() -> dict[str, Any]:
        data = {"email": invitation.email, "before": before, "after": steps.snapshot(invitation)}
        return {**data, "reason": reason} if reason else data

    steps.move(
        invitation,
        action,
        actor=actor,
        reason=reason,
        changes={
            "closed_reason": reason,
            "accepted_by": accepted_by,
            "decided_at": timezone.now(),
        },
        verb=verb,
        data=audit,
        request=request,
    )


def withdraw_invitation(
    invitation: Invitation, *, actor: Account | None = None, request: HttpRequest | None = None
) -> None:
    """Cancel a locked, pending invitation whose inviter can no longer give it, and tell the
    invitee. Callers hold the provider's lock, then the invitation's."""
    _settle(
        invitation,
        action="cancel",
        verb=OrganisationsVerb.INVITATION_CANCELLED,
        reason=INVITER_CANNOT_GIVE,
        actor=actor,
        request=request,
    )
    queue_email(
        to=invitation.email,
        template="organisations_invitation_withdrawn",
        context={
            "provider_name": invitation.provider.name,
            "inviter": _name(invitation.invited_by),
            "join_link": steps.link(reverse("organisations:join")),
        },
    )


@transaction.atomic(savepoint=False)  # part of the change that took the authority away
def withdraw_invitations_beyond_authority(
    *,
    inviter: Account,
    provider: Provider | None = None,
    actor: Account | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Withdraw the pending invitations `inviter` sent (at `provider`, or anywhere) that
    they could no longer give. Run when their role, membership or access changes."""
    pending: QuerySet[Invitation] = Invitation.objects.filter(
        invited_by_id=inviter.id, status=InvitationStatus.PENDING
    )
    if provider is not None:
        pending = pending.filter(provider=provider)
    withdrawn = 0
    for invitation_id, provider_id in pending.order_by("provider_id", "pk").values_list(
        "pk", "provider_id"
    ):
        steps.lock_provider(Provider(pk=provider_id))  # the order acceptance locks in
        invitation = locked_invitation(Invitation(pk=invitation_id))
        if invitation.status != InvitationStatus.PENDING or inviter_could_give(invitation):
            continue
        withdraw_invitation(invitation, actor=actor, request=request)
        withdrawn += 1
    return withdrawn


steps.after_access_shrank(withdraw_invitations_beyond_authority)


def _decline(
    invitation: Invitation, user: Account, current: Membership, request: HttpRequest | None
) -> _Closed:
    """The invitee already has access here: close the invitation unused, tell the inviter,
    and say whom to ask. Their access stays exactly as it was."""
    provider = invitation.provider
    inviter = invitation.invited_by
    _settle(
        invitation,
        action="decline",
        verb=OrganisationsVerb.INVITATION_DECLINED,
        reason=f"They already had access to {provider.name} (an invitation never adds to it)",
        actor=user,
        request=request,
    )
    if inviter is not None:
        steps.email_user(
            inviter,
            "organisations_invitation_not_used",
            {
                "provider_name": provider.name,
                "member": _name(user),
                "member_link": steps.link(
                    reverse(
                        "organisations:member",
                        kwargs={"provider_id": provider.pk, "membership_id": current.pk},
                    )
                ),
            },
        )
    if current.status == MembershipStatus.SUSPENDED:
        return _Closed(
            OrganisationError.ACCESS_SUSPENDED,
            f"Your access to {provider.name} is suspended, so this invitation was not used. "
            "Ask someone who manages its team to reinstate it",
        )
    return _Closed(
        OrganisationError.ALREADY_MEMBER,
        f"You already have access to {provider.name}, so this invitation was not used and "
        f"your access has not changed. To change what you can do, ask {_name(inviter)} or "
        f"someone else who manages the team at {provider.name}",
    )


@transaction.atomic
def _use(
    invitation: Invitation, user: Account, request: HttpRequest | None
) -> Membership | _Closed:
    """Accept `invitation` for `user`, or close it when it must not be used."""
    provider = steps.lock_provider(invitation.provider)
    invitation = locked_invitation(invitation)
    _refuse_unusable(invitation)
    scope = _registered_part(scope_of(invitation))
    if not provider.is_registered or scope.is_empty:
        raise DelegationError(
            OrganisationError.INVITATION_LOCATIONS_DEREGISTERED,
            f"{provider.name} is no longer registered for the locations in this invitation",
        )
    if not inviter_could_give(invitation, scope):
        withdraw_invitation(invitation, actor=user, request=request)
        return _Closed(
            OrganisationError.INVITATION_WITHDRAWN,
            f"{_name(invitation.invited_by)} can no longer give this access, so this "
            f"invitation has been withdrawn. If you still need access, ask someone who "
            f"manages the team at {provider.name}, or ask to join",
        )
    current = (
        Membership.objects.select_for_update()
        .filter(user_id=user.id, provider=provider)
        .exclude(status=MembershipStatus.REMOVED)
        .first()
    )
    if current is not None:
        return _decline(invitation, user, current, request)
    return _grant(invitation, user, scope, request)


def _grant(
    invitation: Invitation, user: Account, scope: Scope, request: HttpRequest | None
) -> Membership:
    provider = invitation.provider
    inviter = invitation.invited_by
    membership = steps.create_membership(
        user=user,
        provider=provider,
        scope=scope,
        permissions=invitation.permissions,
        granted_by=inviter,
    )
    _settle(
        invitation,
        action="accept",
        verb=OrganisationsVerb.INVITATION_ACCEPTED,
        actor=user,
        request=request,
        accepted_by=user,
    )
    steps.record_grant(
        membership,
        to=user,
        actor=user,
        via=f"invitation {invitation.pk}",
        request=request,
    )
    steps.access_changed(user)
    context = {
        "provider_name": provider.name,
        "member": _name(user),
        "what": describe_permissions(membership.permissions),
        "where": steps.scope_words(provider, scope),
        "team_link": steps.link(reverse("organisations:team", kwargs={"provider_id": provider.pk})),
        "start_link": steps.link(reverse("organisations:providers")),
    }
    steps.email_user(user, "organisations_access_granted", context)
    if inviter is not None:
        steps.email_user(inviter, "organisations_invitation_accepted", context)
    return membership


def accept_invitation(
    *, user: Account, token: str, request: HttpRequest | None = None
) -> Membership:
    """A signed-in user accepts the invitation the link points at. The account's email must
    be the invited address: the link is bound to it. Raises InvitationClosed, after saving
    why, when the invitation must not be used."""
    found = invitation_for_token(token)
    if found is None:
        raise DelegationError(
            OrganisationError.INVITATION_LINK_INVALID,
            "This invitation link is not valid. Check you copied all of it",
        )
    if normalise_email(user.email) != found.email:
        raise SignedInAsSomeoneElse(
            OrganisationError.INVITATION_FOR_ANOTHER_ADDRESS,
            f"This invitation was sent to a different email address from the one you signed in with ({user.email})",
        )
    outcome = _use(found, user, request)
    if isinstance(outcome, _Closed):
        raise InvitationClosed(outcome.code, outcome.message)
    return outcome


@transaction.atomic
def accept_invitations_for_new_account(
    *, user: Account, request: HttpRequest | None = None
) -> list[Membership]:
    """Accept every pending invitation to the new account's address. The accounts journey
    calls this once the account exists: its emailed code has proved the address, which is
    what the invitation is bound to. Each goes through the same checks as a link; those that
    cannot be used are skipped (and closed, if they must never be)."""
    memberships: list[Membership] = []
    for pending in pending_invitations_for_email(user.email):
        try:
            outcome = _use(pending, user, request)
        except DelegationError:
            continue
        if isinstance(outcome, Membership):
            memberships.append(outcome)
    return memberships
