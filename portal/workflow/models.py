"""The status-change log: one row per transition, written with the audit event.

Rows name their subject the way audit events do (`notifications.notification`, "42"), so any
model with a lifecycle can have a timeline without a foreign key per model.
"""

from django.db import models

from portal.audit.models import ActedBy
from portal.workflow.fields import DirectStatusChange, LifecycleModel, StatusField

__all__ = ["DirectStatusChange", "LifecycleModel", "StatusChange", "StatusField"]


class StatusChange(ActedBy):
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=100)
    action = models.CharField(max_length=60)
    # Empty for the row that records how the subject began.
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta(ActedBy.Meta):
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at", "id"])]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id}: {self.from_status} -> {self.to_status}"
