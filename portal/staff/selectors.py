"""Reads for staff administration (every caller already holds MANAGE_STAFF)."""

from django.db.models import QuerySet

from portal.staff.models import InvitationStatus, StaffInvitation, StaffMember, Team


def staff_members() -> QuerySet[StaffMember]:
    """Current members first, then those whose access ended; by name within each."""
    return (
        StaffMember.objects.select_related("user")
        .prefetch_related("teams")
        .order_by("ended_at", "user__full_name", "user__email")
    )


def pending_invitations() -> QuerySet[StaffInvitation]:
    return (
        StaffInvitation.objects.filter(status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .prefetch_related("teams")
        .order_by("email")
    )


def teams_with_members() -> QuerySet[Team]:
    return Team.objects.prefetch_related("members__user").order_by("name")
