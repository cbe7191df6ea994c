"""Delegation: who, besides the registered people, may act for a provider.

A Membership gives one account access to one provider, for the whole provider or for
chosen locations, with fine-grained permissions (portal.organisations.permissions).
Invitations and requests to join are how memberships begin. Each has an explicit
lifecycle: the allowed moves are listed in a transition table and `move_to` refuses others.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class InvalidTransition(Exception):
    """A lifecycle move the transition table does not allow (a bug or a replayed request)."""


class StateMachineMixin(models.Model):
    """A `status` field whose changes must follow `TRANSITIONS`."""

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {}
    status: str

    class Meta:
        abstract = True

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def move_to(self, status: str) -> None:
        if not self.can_move_to(status):
            raise InvalidTransition(
                f"{type(self).__name__} cannot go from {self.status} to {status}"
            )
        self.status = status


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"


class Membership(StateMachineMixin):
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        MembershipStatus.ACTIVE: frozenset({MembershipStatus.SUSPENDED, MembershipStatus.REMOVED}),
        MembershipStatus.SUSPENDED: frozenset({MembershipStatus.ACTIVE, MembershipStatus.REMOVED}),
        MembershipStatus.REMOVED: frozenset(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="memberships"
    )
    # Whole provider, or only the locations listed.
    whole_provider = models.BooleanField(default=False)
    locations = models.ManyToManyField("register.Location", blank=True, related_name="memberships")
    # Fine-grained permission names (portal.organisations.permissions.Permission).
    permissions = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships_granted",
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    # Set when the person who granted this access no longer holds the role that let them:
    # the membership stays (it belongs to the provider) but the team page lists it for review.
    granter_review_since = models.DateTimeField(null=True, blank=True)
    # Set when the member's own register role already gives everything this membership does.
    redundant_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider"],
                condition=~Q(status="removed"),
                name="organisations_one_current_membership",
            )
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


class Invitation(StateMachineMixin):
    # Resending a pending or expired invitation issues a new link (pending -> pending).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        InvitationStatus.PENDING: frozenset(
            {
                InvitationStatus.PENDING,
                InvitationStatus.ACCEPTED,
                InvitationStatus.CANCELLED,
                InvitationStatus.EXPIRED,
                InvitationStatus.DECLINED,
            }
        ),
        InvitationStatus.EXPIRED: frozenset({InvitationStatus.PENDING, InvitationStatus.CANCELLED}),
        InvitationStatus.ACCEPTED: frozenset(),
        InvitationStatus.CANCELLED: frozenset(),
        InvitationStatus.DECLINED: frozenset(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=320)
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="invitations"
    )
    whole_provider = models.BooleanField(default=False)
    locations = models.ManyToManyField("register.Location", blank=True, related_name="invitations")
    permissions = models.JSONField(default=list)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # HMAC-SHA256 of the emailed token under settings.CODE_HMAC_KEY; the token itself is
    # only ever in the email.
    token_hmac = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
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
            models.UniqueConstraint(
                fields=["email", "provider"],
                condition=Q(status="pending"),
                name="organisations_one_pending_invitation",
            )
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


class JoinRequest(StateMachineMixin):
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        JoinRequestStatus.PENDING: frozenset(
            {JoinRequestStatus.APPROVED, JoinRequestStatus.REFUSED}
        ),
        JoinRequestStatus.APPROVED: frozenset(),
        JoinRequestStatus.REFUSED: frozenset(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
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
            models.UniqueConstraint(
                fields=["user", "provider"],
                condition=Q(status="pending"),
                name="organisations_one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asks to join {self.provider_id} ({self.status})"
