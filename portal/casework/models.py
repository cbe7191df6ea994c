"""One case per item the regulator must act on.

Each domain's services write its cases in the same transaction as the item itself (a submitted
notification, an application and its linked parts, representations, a second-factor reset
request, an overdue provider update), so the queue can never miss an arrival. The case names
its subject the way audit events do (`subject_type`, `subject_id`), so casework imports none of
the domains it serves; the queue, deadlines and dashboards read only these rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from portal.audit.models import ActedBy
from portal.register.models import Location, Provider
from portal.staff.models import Team
from portal.workflow.lifecycle import Lifecycle, move
from portal.workflow.models import LifecycleModel, StatusField


class CaseKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification"
    APPLICATION = "application", "Registration application"
    APPLICATION_PART = "application_part", "Registered manager part of an application"
    REPRESENTATIONS = "representations", "Representations against a proposal"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second-factor reset request"
    OVERDUE_UPDATE = "overdue_update", "Overdue update from a provider"


def kind_names(kinds: "list[str] | tuple[str, ...]") -> str:
    """ "notification, overdue update from a provider": each kind once, in lower case."""
    return ", ".join(CaseKind(kind).label.lower() for kind in dict.fromkeys(kinds))


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


_OPEN = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.WAITING_FOR_PROVIDER)

# Every status move of a case, each written as a StatusChange row with its audit event
# (portal.workflow.services.transition); `case.status = ...` raises DirectStatusChange.
CASE_LIFECYCLE = Lifecycle(
    audit_prefix="casework.case",
    wrong_status="This case is {status_name}.",
    transitions=(
        # Someone takes it, is given it, or acts on its item: work has started.
        move("start", {CaseStatus.NEW}, CaseStatus.IN_PROGRESS),
        # The regulator waits for the provider: the deadline clock stops.
        move(
            "wait_for_provider",
            {CaseStatus.NEW, CaseStatus.IN_PROGRESS},
            CaseStatus.WAITING_FOR_PROVIDER,
        ),
        # The provider answered: the clock runs again, back to where the case was.
        move("resume", {CaseStatus.WAITING_FOR_PROVIDER}, CaseStatus.IN_PROGRESS),
        move("resume_untouched", {CaseStatus.WAITING_FOR_PROVIDER}, CaseStatus.NEW),
        move("close", _OPEN, CaseStatus.CLOSED),
        # New information on a closed item puts it back in front of the regulator.
        move("reopen", {CaseStatus.CLOSED}, CaseStatus.NEW),
    ),
)


def _open_queue(name: str, *scope: str) -> models.Index:
    """Open cases of one scope (or all) in queue order: most urgent, then longest waiting."""
    return models.Index(
        fields=[*scope, "queue_rank", "opened_at", "id"], condition=~Q(status="closed"), name=name
    )


def _open_due(name: str, *scope: str) -> models.Index:
    """Open cases with a deadline, of one scope (or all), soonest first."""
    return models.Index(
        fields=[*scope, "due_on", "id"],
        condition=~Q(status="closed") & Q(due_on__isnull=False),
        name=name,
    )


class Case(LifecycleModel):
    lifecycle = CASE_LIFECYCLE

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
    status = StatusField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.NEW)
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
    # The day the deadline clock started (the limit counts working days after it).
    clock_started_on = models.DateField(null=True, blank=True)
    clock_stopped_on = models.DateField(null=True, blank=True)
    first_action_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The item's type within its kind (a notification type's slug, an application type), for
    # the queue's "type" filter; and the region it was routed by, for the "region" filter.
    type_slug = models.CharField(max_length=60, blank=True)
    region = models.CharField(max_length=40, blank=True)
    # 4 - urgency, kept by the services: one ascending key orders the queue most urgent
    # first, then longest waiting, so a page continues from a row comparison on an index.
    queue_rank = models.PositiveSmallIntegerField(default=3)

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
            # A provider's list for someone who sees some locations only: the provider's
            # cases at locations, newest first. Walked by casework_provider, a delegate at
            # 514 locations read all 20,850 of the provider's cases about it as a whole to
            # find none (9 ms of PostgreSQL a page).
            models.Index(
                fields=["provider", "opened_at", "id"],
                condition=Q(location__isnull=False),
                name="casework_provider_at_places",
            ),
            # The queue views read open cases in (queue_rank, opened_at, id) order, each from
            # an index that starts with its own scope, so any page costs the same.
            _open_queue("casework_queue_all"),
            _open_queue("casework_queue_mine", "assignee"),
            _open_queue("casework_queue_team", "team"),
            models.Index(
                fields=["queue_rank", "opened_at", "id"],
                condition=Q(assignee__isnull=True) & ~Q(status="closed"),
                name="casework_queue_unassigned",
            ),
            # "Get next": unassigned and actionable (not waiting for the provider), per team.
            models.Index(
                fields=["team", "queue_rank", "opened_at", "id"],
                condition=Q(assignee__isnull=True, status__in=["new", "in_progress"]),
                name="casework_next_in_team",
            ),
            _open_due("casework_open_due"),
            # Bulk triage lists new routine notifications oldest first (triage.low_risk_cases):
            # most open cases are those, so without it the page sorted them all.
            models.Index(
                fields=["opened_at", "id"],
                condition=Q(kind="notification", urgency=1, status="new"),
                name="casework_triage",
            ),
            # The deadline lists of my cases and my teams' cases, soonest first.
            _open_due("casework_team_due", "team"),
            _open_due("casework_mine_due", "assignee"),
            # A search by provider: each matching provider's deadline list (and its count).
            _open_due("casework_provider_due", "provider"),
            _open_queue("casework_queue_type", "type_slug"),
            _open_queue("casework_queue_kind", "kind"),
            _open_queue("casework_queue_provider", "provider"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


def has_case(subject_model: type[models.Model], kind: str) -> Exists:
    """For a query of `subject_model` rows: whether the row has a case of `kind` (for the
    sweeps and backfills that open the missing ones)."""
    return Exists(
        Case.objects.filter(
            kind=kind,
            subject_type=subject_model._meta.label_lower,
            subject_id=Cast(OuterRef("pk"), CharField()),
        )
    )


class CaseEvent(ActedBy):
    """One row of a case's history: opened, assigned, a status or deadline change, a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    # What changed, for the history page (e.g. {"status": ["new", "in_progress"]}).
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta(ActedBy.Meta):
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="casework_event_case")]

    def __str__(self) -> str:
        return f"{self.action} on case {self.case_id}"


class CaseNote(models.Model):
    """An internal note on a case. Staff only: no provider page reads this table."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()
    # The form's one-time key: a double submit or a retry finds the note it already wrote.
    submission_key = models.UUIDField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="casework_note_case")]

    def __str__(self) -> str:
        return f"Note {self.pk} on case {self.case_id}"


class ClockStop(models.Model):
    """A time the deadline clock did not run: the regulator was waiting for the provider."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_stops")
    stopped_on = models.DateField()
    restarted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["stopped_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(restarted_on__isnull=True),
                name="casework_one_running_stop",
            )
        ]

    def __str__(self) -> str:
        return f"Clock of case {self.case_id} stopped {self.stopped_on}"


class OverdueDigest(models.Model):
    """The daily digest sent to one team leader: one row per leader per day, so a second
    sweep on the same day sends nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    cases = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="casework_one_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"Overdue digest for {self.recipient_id} on {self.day}"
