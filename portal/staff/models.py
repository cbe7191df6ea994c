"""Teams and staff members: who works at the regulator, in which teams, holding which roles.

Services in this package are the only writers. Other domains read teams (a case is routed to the
team for its region and sector) and a member's teams ("get next" takes from my teams).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.staff.roles import Region, Sector, permissions_for_roles, role_labels
from portal.staff_permissions import StaffPermission
from portal.workflow.lifecycle import Lifecycle, move
from portal.workflow.models import LifecycleModel, StatusField


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    region = models.CharField(max_length=40, choices=Region.choices)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "sector"], name="staff_team_one_per_region_sector"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A regulator account's staff record. Its roles decide its staff permissions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_member"
    )
    # Values of StaffRole; a list so one person can be, say, an inspector and a team leader.
    roles = models.JSONField(default=list)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when an administrator ends the member's access; their history stays.
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"staff member {self.user_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    @property
    def role_labels(self) -> list[str]:
        return role_labels(self.roles)

    @property
    def permissions(self) -> frozenset[StaffPermission]:
        return permissions_for_roles(self.roles) if self.is_current else frozenset()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be accepted"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"


class StaffInvitation(LifecycleModel):
    """An administrator's invitation to join the regulator's staff, with the roles and teams
    the new member will hold. The link's token is only ever in the email; we keep its HMAC."""

    lifecycle = Lifecycle(
        audit_prefix="staff.invitation",
        wrong_status="This invitation has already been {status_name}",
        transitions=(
            move("accept", {InvitationStatus.PENDING}, InvitationStatus.ACCEPTED),
            move("cancel", {InvitationStatus.PENDING}, InvitationStatus.CANCELLED),
        ),
    )

    email = models.EmailField(max_length=320)
    full_name = models.CharField(max_length=200)
    roles = models.JSONField(default=list)
    teams = models.ManyToManyField(Team, related_name="invitations", blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hmac = models.CharField(max_length=64, unique=True)
    status = StatusField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    member = models.OneToOneField(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    # Resending makes a new link (the old one stops working): when it last went, how often.
    resent_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(status="pending"),
                name="staff_one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"staff invitation to {self.email} ({self.status})"

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def role_labels(self) -> list[str]:
        return role_labels(self.roles)

    @property
    def last_sent_at(self) -> dt.datetime:
        return self.resent_at or self.created_at
