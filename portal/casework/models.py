"""One case per item the regulator must act on.

Each domain's services write its cases in the same transaction as the item itself (a submitted
notification, an application and its linked parts, representations, a second-factor reset
request, an overdue provider update), so the queue can never miss an arrival. The case names
its subject the way audit events do (`subject_type`, `subject_id`), so casework imports none of
the domains it serves; the queue, deadlines and dashboards read only these rows.
"""

from django.conf import settings
from django.db import models

from portal.register.models import Location, Provider
from portal.staff.models import Team


class CaseKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification"
    APPLICATION = "application", "Registration application"
    APPLICATION_PART = "application_part", "Registered manager part of an application"
    REPRESENTATIONS = "representations", "Representations against a proposal"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second-factor reset request"
    OVERDUE_UPDATE = "overdue_update", "Overdue update from a provider"


class CaseStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    # The regulator waits for the provider: the deadline clock is stopped.
    WAITING_FOR_PROVIDER = "waiting_for_provider", "Waiting for the provider"
    CLOSED = "closed", "Closed"


class CaseUrgency(models.IntegerChoices):
    """Higher is more urgent; "get next" takes the most urgent first."""

    ROUTINE = 1, "Routine"
    PRIORITY = 2, "Priority"
    URGENT = 3, "Urgent"


class Case(models.Model):
    kind = models.CharField(max_length=30, choices=CaseKind.choices)
    # The item's own reference, as staff and providers quote it (e.g. a notification's).
    reference = models.CharField(max_length=40)
    # What the case is about, named as audit events name their targets.
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=100)
    # A short label for the queue, e.g. the notification type or application type.
    title = models.CharField(max_length=200)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    urgency = models.PositiveSmallIntegerField(
        choices=CaseUrgency.choices, default=CaseUrgency.ROUTINE
    )
    status = models.CharField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    opened_at = models.DateTimeField()
    # The statutory or service deadline, on the working-day calendar, with the clock's stops.
    due_on = models.DateField(null=True, blank=True)
    clock_limit_days = models.PositiveIntegerField(null=True, blank=True)
    clock_stopped_on = models.DateField(null=True, blank=True)
    first_action_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"], name="casework_one_case_per_subject"
            )
        ]
        indexes = [
            # "get next": the oldest, most urgent unassigned open case in a team.
            models.Index(
                fields=["team", "status", "assignee", "-urgency", "opened_at", "id"],
                name="casework_get_next",
            ),
            models.Index(fields=["assignee", "status", "due_on", "id"], name="casework_mine"),
            models.Index(fields=["status", "due_on", "id"], name="casework_due"),
            models.Index(fields=["reference"], name="casework_reference"),
            models.Index(fields=["provider", "opened_at"], name="casework_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
