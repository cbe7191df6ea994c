"""Drafts, submitted notifications, their follow-up thread, and the reference sequence.

A draft holds answers as the user types them (saved page by page, on the server, so a
timed-out session, a closed browser or a second tab loses nothing). Submitting turns a
draft into exactly one Notification: the draft row is locked and keeps a link to what it
became, so a double click, the back button or a retry finds the same notification.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from portal.forms.models import Draft
from portal.forms.threads import ThreadMessage
from portal.frontend.formats import govuk_date
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.references import reference_for
from portal.workflow.lifecycle import Lifecycle, move
from portal.workflow.models import LifecycleModel, StatusField


class NotificationDraft(Draft):
    type_slug = models.CharField(max_length=60)
    version = models.PositiveSmallIntegerField()
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.PROTECT, related_name="notification_drafts"
    )
    location = models.ForeignKey(
        "register.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notification_drafts",
    )

    class Meta:
        indexes = [
            models.Index(fields=["provider", "status", "-updated_at"]),
            models.Index(fields=["location", "status", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return f"Draft {self.type_slug} for {self.location_id or self.provider_id}"


class NotificationStatus(models.TextChoices):
    SUBMITTED = "submitted", "New"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    REVIEWED = "reviewed", "Reviewed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CLOSED = "closed", "Closed"


# get_status_display() goes through the field's choices each call; lists show fifty statuses.
STATUS_NAMES: dict[str, str] = {value: str(label) for value, label in NotificationStatus.choices}

OPEN_STATUSES = (
    NotificationStatus.SUBMITTED,
    NotificationStatus.INFORMATION_REQUESTED,
    NotificationStatus.REVIEWED,
)


def _staff_decides_this_type(notification: "Notification", actor: Any) -> str | None:
    definition = CATALOGUE.get(notification.type_slug, notification.version)
    if definition is None or not definition.staff_decision:
        return "This kind of notification is not accepted or rejected."
    return None


def _no_question_left_unanswered(notification: "Notification", actor: Any) -> str | None:
    unanswered = NotificationMessage.objects.filter(
        notification=notification, kind=MessageKind.QUESTION, answered=False
    )
    return "There are still questions to answer." if unanswered.exists() else None


# The lifecycle: which staff or provider action may move a notification from which status.
LIFECYCLE = Lifecycle(
    audit_prefix="notifications",
    wrong_status="This notification is {status_name}, so you cannot do that now.",
    transitions=(
        move(
            "mark_reviewed",
            {NotificationStatus.SUBMITTED, NotificationStatus.INFORMATION_REQUESTED},
            NotificationStatus.REVIEWED,
        ),
        move("ask_question", OPEN_STATUSES, NotificationStatus.INFORMATION_REQUESTED),
        move("close", OPEN_STATUSES, NotificationStatus.CLOSED),
        move("accept", OPEN_STATUSES, NotificationStatus.ACCEPTED, _staff_decides_this_type),
        move("reject", OPEN_STATUSES, NotificationStatus.REJECTED, _staff_decides_this_type),
        # New information from the provider puts it back in front of the regulator.
        move(
            "provider_update",
            {
                NotificationStatus.SUBMITTED,
                NotificationStatus.REVIEWED,
                NotificationStatus.CLOSED,
                NotificationStatus.INFORMATION_REQUESTED,
            },
            NotificationStatus.SUBMITTED,
        ),
        # How a new email address that an accepted change asked the person to confirm ended
        # (portal/notifications/email_change_outcomes.py): a timeline row, status unchanged.
        *(
            move(action, {NotificationStatus.ACCEPTED}, NotificationStatus.ACCEPTED)
            for action in (
                "email_change_confirmed",
                "email_change_stopped",
                "email_change_expired",
                "email_change_replaced",
            )
        ),
        # The last open question answered: back to the regulator as new.
        move(
            "questions_answered",
            {NotificationStatus.INFORMATION_REQUESTED},
            NotificationStatus.SUBMITTED,
            _no_question_left_unanswered,
        ),
    ),
)


class Notification(LifecycleModel):
    type_slug = models.CharField(max_length=60)
    version = models.PositiveSmallIntegerField()
    provider = models.ForeignKey(
        "register.Provider", on_delete=models.PROTECT, related_name="notifications"
    )
    location = models.ForeignKey(
        "register.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    answers = models.JSONField()
    status = StatusField(
        max_length=30, choices=NotificationStatus.choices, default=NotificationStatus.SUBMITTED
    )
    urgency = models.PositiveSmallIntegerField(default=2)
    # The draft it was made from: one notification per draft, whatever is replayed.
    draft = models.OneToOneField(
        NotificationDraft, null=True, on_delete=models.SET_NULL, related_name="notification"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(db_index=True)
    # The statutory deadline for this notification, where it has a date, and whether it was met.
    due_on = models.DateField(null=True, blank=True)
    late = models.BooleanField(default=False)
    # Something the provider still owes (e.g. "Tell us when the patient returns").
    next_due_on = models.DateField(null=True, blank=True)
    next_due_label = models.CharField(max_length=200, blank=True)
    last_activity_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            # Each list's ORDER BY is an index, so a page is read straight off it (no sort of
            # every row the provider has ever sent).
            models.Index(
                fields=["provider", "-submitted_at", "-id"], name="notif_provider_history"
            ),
            # The provider rides along so a count of a location's notifications in the
            # user's scope (provider or location) reads only the index, not each row.
            models.Index(
                fields=["location", "-submitted_at", "-id"],
                include=["provider"],
                name="notif_location_history",
            ),
            # The staff queue reads each urgency level in (submitted_at, id) order, one range
            # per level, under whichever filters it has (selectors.staff_queue_page).
            models.Index(
                fields=["status", "-urgency", "submitted_at", "id"], name="notif_staff_inbox"
            ),
            models.Index(fields=["urgency", "submitted_at", "id"], name="notif_queue_all"),
            models.Index(
                fields=["type_slug", "urgency", "submitted_at", "id"], name="notif_queue_type"
            ),
            models.Index(
                fields=["status", "type_slug", "urgency", "submitted_at", "id"],
                name="notif_queue_status_type",
            ),
            models.Index(
                fields=["urgency", "submitted_at", "id"],
                condition=Q(late=True),
                name="notif_queue_late",
            ),
            # A provider's queue by status (searching a provider ID keeps the status filter).
            models.Index(
                fields=["provider", "status", "urgency", "submitted_at", "id"],
                name="notif_queue_provider_status",
            ),
            # The due date rides along so a count of what is overdue reads only the index.
            models.Index(
                fields=["urgency", "submitted_at", "id", "next_due_on"],
                condition=Q(next_due_on__isnull=False),
                name="notif_queue_owed",
            ),
            models.Index(
                fields=["provider", "next_due_on", "id"],
                condition=Q(next_due_label__gt=""),
                name="notif_owed_by_provider",
            ),
            models.Index(
                fields=["location", "next_due_on", "id"],
                condition=Q(next_due_label__gt=""),
                name="notif_owed_by_location",
            ),
        ]

    lifecycle = LIFECYCLE

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """NOT-0000-0427: derived from the id (see references.py), so it never changes."""
        return reference_for(self.pk) if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def change_pending_until(self) -> dt.date | None:
        """The date an accepted change takes effect, while it is still waiting for it. Known
        only when the notification was read with select_related("scheduled_change") (as its
        own pages read it), so a list of many never costs a query per row."""
        if self.status != NotificationStatus.ACCEPTED:
            return None
        if not Notification.scheduled_change.is_cached(self):
            return None
        try:
            scheduled = self.scheduled_change
        except ObjectDoesNotExist:
            return None
        return None if scheduled.applied_at else scheduled.takes_effect_on

    @property
    def status_label(self) -> str:
        """The status as staff should read it: back with them because the provider answered
        or sent an update says so, rather than "New". Needs `latest_reply`, annotated by
        `selectors.with_latest_reply`; without it, the plain status."""
        reply = getattr(self, "latest_reply", None)
        if self.status == NotificationStatus.SUBMITTED and reply in REPLY_LABELS:
            return REPLY_LABELS[reply]
        pending_until = self.change_pending_until
        if pending_until:
            return f"Accepted: takes effect on {govuk_date(pending_until)}"
        return STATUS_NAMES.get(self.status, self.status)


class MessageKind(models.TextChoices):
    UPDATE = "update", "Update from the provider"
    QUESTION = "question", "Question from the regulator"
    ANSWER = "answer", "Answer from the provider"
    STATUS = "status", "Status change"


# A notification back with the regulator, by the kind of the provider's latest message.
REPLY_LABELS = {MessageKind.ANSWER: "Answer received", MessageKind.UPDATE: "Update received"}


class NotificationMessage(ThreadMessage):
    """One entry in a notification's thread: updates, questions, answers and decisions."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    # For a structured update (e.g. "return"), the follow-up kind and its validated answers.
    follow_up_key = models.CharField(max_length=40, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta(ThreadMessage.Meta):
        indexes = [
            # The staff home's "answered since our decision": which notifications were ever
            # answered, and when, without reading every message of every thread.
            models.Index(
                fields=["notification", "created_at"],
                condition=Q(kind=MessageKind.ANSWER),
                name="notif_message_answers",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.notification_id}"


class ScheduledChange(models.Model):
    """A change of registered details that staff accepted but that takes effect on a later
    date (its "date the change takes effect" answer). The worker's sweep applies it on that
    day (`scheduled_changes.apply_due_changes`); until then both sides see it pending."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="scheduled_change"
    )
    takes_effect_on = models.DateField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep reads only what is still waiting, soonest first.
            models.Index(
                fields=["takes_effect_on"],
                condition=Q(applied_at__isnull=True),
                name="notif_change_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Change {self.notification_id} on {self.takes_effect_on}"
