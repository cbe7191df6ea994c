"""Delegation: who, besides the registered people, may act for a provider.

A Membership gives one account access to one provider, for the whole provider or for
chosen locations, with fine-grained permissions (portal.organisations.permissions).
Invitations and requests to join are how memberships begin. Each has an explicit
lifecycle (portal.workflow): actions, the statuses they move between, and a status that only
`portal.workflow.services.transition` changes (writing a status-change row and the audit event).
"""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.workflow.lifecycle import Lifecycle, move
from portal.workflow.models import LifecycleModel, StatusField

Move = tuple[Iterable[str], str]  # the statuses an action moves from, and the one it moves to


def _lifecycle(name: str, wrong_status: str, **moves: Move) -> Lifecycle:
    """A delegation lifecycle: each action, the statuses it moves from, and to."""
    return Lifecycle(
        audit_prefix=f"organisations.{name}",
        wrong_status=wrong_status,
        transitions=tuple(move(action, *sources_to) for action, sources_to in moves.items()),
    )


def _one_while(status: str, fields: list[str], name: str) -> models.UniqueConstraint:
    """At most one row for `fields` in `status` (or, with "~", in any status but it)."""
    condition = ~Q(status=status[1:]) if status.startswith("~") else Q(status=status)
    return models.UniqueConstraint(fields=fields, condition=condition, name=name)


class AccessHolder(LifecycleModel):
    """What a membership and an invitation both hold: access to one provider (their own
    `provider` and `locations` fields, so each keeps its related names), for the whole of it
    or only the locations listed, with fine-grained permissions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Whole provider (including locations added later), or only the locations listed.
    whole_provider = models.BooleanField(default=False)
    # Fine-grained permission names (portal.organisations.permissions.Permission).
    permissions = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"


_CURRENT = {MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED}


class Membership(AccessHolder):
    lifecycle = _lifecycle(
        "membership",
        "This person’s access is already {status_name}",
        suspend=({MembershipStatus.ACTIVE}, MembershipStatus.SUSPENDED),
        reinstate=({MembershipStatus.SUSPENDED}, MembershipStatus.ACTIVE),
        remove=(_CURRENT, MembershipStatus.REMOVED),
        # The provider was deregistered and its read-only period has passed.
        end=(_CURRENT, MembershipStatus.REMOVED),
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="memberships"
    )
    locations = models.ManyToManyField("register.Location", blank=True, related_name="memberships")
    status = StatusField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships_granted",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    # Set when the person who granted this access no longer holds the role that let them:
    # the membership stays (it belongs to the provider) but the team page lists it for review.
    granter_review_since = models.DateTimeField(null=True, blank=True)
    # Set when the member's own register role already gives everything this membership does.
    redundant_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            _one_while("~removed", ["user", "provider"], "organisations_one_current_membership")
        ]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.provider_id} ({self.status})"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
    # The invitee already had access: an invitation never merges into it (see README).
    DECLINED = "declined", "Not used"


_UNUSED = {InvitationStatus.PENDING, InvitationStatus.EXPIRED}


class Invitation(AccessHolder):
    lifecycle = _lifecycle(
        "invitation",
        "This invitation has already been {status}",
        # Resending issues a new link (pending -> pending, or back from expired).
        resend=(_UNUSED, InvitationStatus.PENDING),
        accept=({InvitationStatus.PENDING}, InvitationStatus.ACCEPTED),
        cancel=(_UNUSED, InvitationStatus.CANCELLED),
        expire=({InvitationStatus.PENDING}, InvitationStatus.EXPIRED),
        # The invitee already had access: the invitation is not used.
        decline=({InvitationStatus.PENDING}, InvitationStatus.DECLINED),
    )

    email = models.EmailField(max_length=320)
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="invitations"
    )
    locations = models.ManyToManyField("register.Location", blank=True, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # HMAC-SHA256 of the emailed token under settings.CODE_HMAC_KEY; the token itself is
    # only ever in the email.
    token_hmac = models.CharField(max_length=64, unique=True)
    status = StatusField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    times_sent = models.PositiveSmallIntegerField(default=1)
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why it was cancelled or not used when nobody chose to (shown to the team and audited).
    closed_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            _one_while("pending", ["email", "provider"], "organisations_one_pending_invitation")
        ]
        indexes = [models.Index(fields=["email", "status"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.provider_id} ({self.status})"

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class JoinRequest(LifecycleModel):
    lifecycle = _lifecycle(
        "join_request",
        "This request has already been {status}",
        approve=({JoinRequestStatus.PENDING}, JoinRequestStatus.APPROVED),
        refuse=({JoinRequestStatus.PENDING}, JoinRequestStatus.REFUSED),
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(max_length=1000, blank=True)
    status = StatusField(
        max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            _one_while("pending", ["user", "provider"], "organisations_one_pending_join_request")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asks to join {self.provider_id} ({self.status})"
