"""Registration applications, their linked parts, declarations, thread, appointments and
notices.

One `Application` row lives from the first answer to the decision taking effect: its answers
are a draft (portal.forms) while the applicant may change them (draft, returned), and its
`stage` follows the lifecycle (lifecycle.py). Parts are the named registered managers' and
partners' own pieces, each a draft of its own completed and signed by that person.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.applications.lifecycle import LIFECYCLE
from portal.applications.stages import (
    EDITABLE_STAGES,
    STAFF_STAGE_NAMES,
    Outcome,
    ProposalKind,
    Stage,
)
from portal.forms.models import Draft
from portal.forms.threads import ThreadMessage
from portal.workflow.clock import Stop, WorkingDayClock
from portal.workflow.models import LifecycleModel, StatusField

# Decision target: 10 weeks of working days after validation (the clock stops while we wait
# for the applicant); validation target: 5 working days after the application is sent.
DECISION_TARGET_WORKING_DAYS = 50
VALIDATION_TARGET_WORKING_DAYS = 5


def answers_hash(answers: dict[str, Any]) -> str:
    """A fingerprint of exactly what was signed (keys sorted, so order does not matter)."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Application(Draft, LifecycleModel):
    reference = models.CharField(max_length=20, unique=True)
    type_slug = models.CharField(max_length=40)
    version = models.PositiveSmallIntegerField()
    # Empty for a new provider until the register gives it an ID when the decision takes effect.
    provider = models.ForeignKey(
        "register.Provider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    location = models.ForeignKey(
        "register.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # How lists name it: the provider's (or proposed provider's) name.
    title = models.CharField(max_length=255, blank=True)
    stage = StatusField(max_length=30, choices=Stage.choices, default=Stage.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validation_due_on = models.DateField(null=True, blank=True)
    validated_on = models.DateField(null=True, blank=True)
    # [[stopped_on, restarted_on or null], ...] of the decision clock.
    clock_stops = models.JSONField(default=list, blank=True)
    # The expected decision date as it stands (None while the clock is stopped), kept on the
    # row so lists can show and sort by it without working it out per row.
    decision_due_on = models.DateField(null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal_kind = models.CharField(max_length=20, choices=ProposalKind.choices, blank=True)
    proposal_served_on = models.DateField(null=True, blank=True)
    representations_due_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    # Conditions the decision (or proposal) imposes, one per line.
    conditions = models.TextField(blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_ends_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=20, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    # What the register did (new provider and location IDs, managers cancelled).
    effect_result = models.JSONField(default=dict, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    lifecycle = LIFECYCLE

    class Meta:
        indexes = [
            # The assessor list: by stage, oldest first; and across all stages.
            models.Index(fields=["stage", "submitted_at", "id"], name="app_stage_queue"),
            models.Index(fields=["type_slug", "stage", "submitted_at"], name="app_type_queue"),
            models.Index(fields=["submitted_at", "id"], name="app_queue_all"),
            # "Mine": one assessor's applications, oldest first (with a stage, filtered).
            models.Index(fields=["assessor", "submitted_at", "id"], name="app_assessor_list"),
            models.Index(fields=["decision_due_on", "id"], name="app_due"),
            # "Your applications": the applicant's own, and a provider's.
            models.Index(fields=["created_by", "-updated_at"], name="app_by_applicant"),
            models.Index(fields=["provider", "stage", "-updated_at"], name="app_by_provider"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=Stage.EFFECTIVE) | Q(effective_on__isnull=False),
                name="app_effective_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.stage in EDITABLE_STAGES

    @property
    def staff_stage_label(self) -> str:
        """The stage as staff pages name it (get_stage_display() speaks to the applicant)."""
        return STAFF_STAGE_NAMES[self.stage]

    @property
    def appealable(self) -> bool:
        """A refusal, or conditions the applicant did not apply for, can go to the tribunal."""
        return bool(self.proposal_kind) and self.outcome in (
            Outcome.REFUSED,
            Outcome.GRANTED_WITH_CONDITIONS,
        )

    def decision_clock(self) -> WorkingDayClock | None:
        if self.validated_on is None:
            return None
        stops = tuple(
            Stop(
                dt.date.fromisoformat(stopped),
                dt.date.fromisoformat(restarted) if restarted else None,
            )
            for stopped, restarted in self.clock_stops
        )
        return WorkingDayClock(self.validated_on, DECISION_TARGET_WORKING_DAYS, stops)


class ApplicationPart(Draft):
    """A named registered manager's or partner's own part, completed and signed by them.

    Draft.status: open while they (or, sent back, they again) may change it; submitted once
    signed; discarded when the application no longer names them."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=30)
    slot = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    # The address invited: only an account with this verified address may take the part.
    email = models.EmailField(max_length=320)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    sent_back_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["application", "kind", "slot"], name="app_part_slot"),
            models.Index(fields=["email", "status"], name="app_part_invitee"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} part {self.slot} of {self.application_id}"


class Declaration(models.Model):
    """Who signed what, when: the definition version and a hash of the exact answers."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    part = models.ForeignKey(
        ApplicationPart, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signer_label = models.CharField(max_length=320)
    # The capacity they signed in: "applicant", "nominated individual", "registered manager".
    capacity = models.CharField(max_length=60)
    signed_at = models.DateTimeField()
    definition_slug = models.CharField(max_length=40)
    definition_version = models.PositiveSmallIntegerField()
    answers_sha256 = models.CharField(max_length=64)
    statement = models.TextField()
    # Set when the application is returned and reopened: the signer must sign again.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"Declaration by {self.signer_label} on {self.application_id}"


class MessageKind(models.TextChoices):
    RETURN_REASONS = "return_reasons", "Returned with reasons"
    INFORMATION_REQUEST = "information_request", "Request for information"
    INFORMATION_RESPONSE = "information_response", "Information from the applicant"
    REPRESENTATIONS = "representations", "Representations"
    NO_REPRESENTATIONS = "no_representations", "No representations"
    WITHDRAWAL = "withdrawal", "Withdrawal"


class ApplicationMessage(ThreadMessage):
    """The thread: reasons for a return, requests for information and their answers,
    representations."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    # For a request: the day the answer is wanted by.
    respond_by = models.DateField(null=True, blank=True)

    class Meta(ThreadMessage.Meta):
        indexes = [models.Index(fields=["application", "kind", "answered"], name="app_msg_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.application_id}"


class AppointmentKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    SITE_VISIT = "site_visit", "Site visit"


class Appointment(models.Model):
    """An interview or a site visit the assessor arranged (the applicant sees it)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="appointments"
    )
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    on = models.DateField()
    with_whom = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class NoticeKind(models.TextChoices):
    PROPOSAL = "proposal", "Notice of proposal"
    DECISION = "decision", "Notice of decision"
    MANAGER_CANCELLED = "manager_cancelled", "Notice of decision: manager's registration cancelled"


class Notice(models.Model):
    """A notice served: its words as served (to show as a page) and its PDF."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    served_at = models.DateTimeField()
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    addressed_to = models.CharField(max_length=255)
    # What the notice says, frozen when served: the page and the PDF are rendered from it.
    content = models.JSONField()
    pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["served_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.application_id}"
