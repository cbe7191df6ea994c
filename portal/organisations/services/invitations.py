"""Writes for sending invitations: inviting someone by email, sending the link again,
cancelling, and expiring those nobody used in time. (Using one: invitation_services.)"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.access import Account
from portal.audit.services import record
from portal.compiled_queries import CompiledObjects
from portal.emails.addresses import AddressError, canonical_email, normalise_email
from portal.emails.services import queue_email
from portal.organisations.access import compute_access
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.errors import DelegationError, OrganisationError
from portal.organisations.models import Invitation, InvitationStatus
from portal.organisations.permissions import describe_permissions
from portal.organisations.services import rules, steps
from portal.register.models import Provider
from portal.workflow.services import lock, mark_locked

EMAIL_MAX_LENGTH = 320


def token_hmac(token: str) -> str:
    return hmac.new(settings.CODE_HMAC_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hmac(token)


def _invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=settings.ORGANISATIONS_INVITATION_VALID_HOURS)


def _clean_email(email: str) -> str:
    """The canonical address, as every other part of the portal keeps it (a look-alike of
    an ordinary address is refused here too, not only by the invite page's form)."""
    if not (email or "").strip():
        raise DelegationError(
            OrganisationError.EMAIL_MISSING, "Enter their email address", field="email"
        )
    if len(email.strip()) > EMAIL_MAX_LENGTH:
        raise DelegationError(
            OrganisationError.EMAIL_TOO_LONG,
            f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer",
            field="email",
        )
    try:
        return canonical_email(email)
    except AddressError as error:
        raise DelegationError(
            OrganisationError.EMAIL_INVALID, error.message, field="email"
        ) from error


def _ensure_not_there_already(*, actor: Account, provider: Provider, address: str) -> bool:
    """Refuse to invite the actor, someone with access already, or someone invited already.
    Returns whether the address has an account."""
    existing = get_user_model().objects.filter(email=address).first()
    rules.refuse_first(
        (
            lambda: address == actor.email,
            OrganisationError.INVITE_YOURSELF,
            "You cannot invite yourself",
        ),
        (
            lambda: existing is not None and rules.has_current_membership(existing, provider),
            OrganisationError.ALREADY_MEMBER,
            f"{address} already has access to {provider.name}. Change their access on the team page",
        ),
        (
            lambda: existing is not None and provider.pk in compute_access(existing),
            OrganisationError.ALREADY_HAS_ROLE_ACCESS,
            f"{address} already has access to {provider.name} through their registered role",
        ),
        (
            Invitation.objects.filter(
                email=address, provider=provider, status=InvitationStatus.PENDING
            ).exists,
            OrganisationError.ALREADY_INVITED,
            f"You have already invited {address}. You can resend the invitation from the team page",
        ),
        field="email",
    )
    return existing is not None


@transaction.atomic
def invite(
    *,
    actor: Account,
    provider: Provider,
    email: str,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the token that was emailed."""
    provider = steps.lock_provider(provider)
    address = _clean_email(email)
    chosen, scope = rules.cleaned_grant(
        actor=actor,
        provider=provider,
        permissions=permissions,
        whole_provider=whole_provider,
        location_ids=location_ids,
    )
    rules.ensure_email_is_one_persons(address)
    has_account = _ensure_not_there_already(actor=actor, provider=provider, address=address)
    token, digest = _new_token()
    invitation = steps.create_with_scope(
        Invitation,
        scope,
        email=address,
        provider=provider,
        permissions=sorted(chosen),
        invited_by=actor,
        token_hmac=digest,
        expires_at=_invitation_expiry(),
    )
    record(
        verb=OrganisationsVerb.INVITATION_SENT,
        actor=actor,
        target=invitation,
        data={
            "email": address,
            "provider": provider.pk,
            "before": None,
            "after": steps.snapshot(invitation),
        },
        request=request,
    )
    _send_invitation_email(invitation, token, has_account=has_account)
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
            "where": steps.scope_words(invitation.provider, rules.scope_of(invitation)),
            "link": steps.link(reverse("organisations:invitation", kwargs={"token": token})),
            "expires_at": invitation.expires_at,
            "has_account": has_account,
        },
    )


def locked_invitation(invitation: Invitation) -> Invitation:
    return lock(Invitation.objects.select_for_update().select_related("provider"), pk=invitation.pk)


_INVITATION_VERBS = {
    "resend": OrganisationsVerb.INVITATION_RESENT,
    "cancel": OrganisationsVerb.INVITATION_CANCELLED,
    "expire": OrganisationsVerb.INVITATION_EXPIRED,
}


def _invitation_moves(
    action: str, invitation: Invitation, *, actor: Account | None, **kwargs: Any
) -> None:
    """Move an invitation, auditing it with its before and after."""
    before = steps.snapshot(invitation)
    steps.move(
        invitation,
        action,
        actor=actor,
        verb=_INVITATION_VERBS[action],
        data=lambda: {
            "email": invitation.email,
            "before": before,
            "after": steps.snapshot(invitation),
        },
        **kwargs,
    )


@transaction.atomic
def resend_invitation(
    *, actor: Account, invitation: Invitation, request: HttpRequest | None = None
) -> tuple[Invitation, str]:
    """Send a new link (the old one stops working) valid for another 2 days."""
    invitation = locked_invitation(invitation)
    rules.ensure_may_grant_as_it_stands(actor=actor, holder=invitation)
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        raise DelegationError(
            OrganisationError.NOT_ALLOWED_NOW,
            f"This invitation has been {invitation.status} and cannot be resent",
        )
    wait = dt.timedelta(seconds=settings.ORGANISATIONS_RESEND_WAIT_SECONDS)
    if invitation.sent_at > timezone.now() - wait:
        raise DelegationError(
            OrganisationError.RESEND_TOO_SOON,
            "You sent this invitation less than a minute ago. Wait a minute before sending it again",
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
        raise DelegationError(
            OrganisationError.NEWER_INVITATION,
            f"{invitation.email} already has a newer invitation",
        ) from error
    _send_invitation_email(
        invitation,
        token,
        has_account=get_user_model().objects.filter(email=invitation.email).exists(),
    )
    return invitation, token


@transaction.atomic
def cancel_invitation(
    *, actor: Account, invitation: Invitation, request: HttpRequest | None = None
) -> Invitation:
    invitation = locked_invitation(invitation)
    rules.ensure_may_grant_as_it_stands(actor=actor, holder=invitation)
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


def _pending_for(email: str, now: dt.datetime) -> QuerySet[Invitation]:
    return (
        Invitation.objects.select_related("provider")
        .filter(email=email, status=InvitationStatus.PENDING, expires_at__gt=now)
        .order_by("created_at")
    )


# Every signed-in home page asks (compiled once: building it cost more CPU than PostgreSQL
# took to answer). The stand-ins are no address and no time an invitation expires at.
_PENDING_FOR = CompiledObjects(
    _pending_for,
    {
        "email": ("-stand-in-1-", "-stand-in-2-"),
        "now": (
            dt.datetime(1901, 2, 3, tzinfo=dt.UTC),
            dt.datetime(1901, 2, 4, tzinfo=dt.UTC),
        ),
    },
    fields={"now": Invitation._meta.get_field("expires_at")},
)


def pending_invitations_for_email(email: str) -> list[Invitation]:
    """Invitations still waiting for this address (for the accounts sign-up journey: an
    invited address may create an account even when the register does not hold it)."""
    return _PENDING_FOR.objects(
        Invitation.objects.db, email=normalise_email(email), now=timezone.now()
    )
