"""Reading status changes: a row's timeline."""

from django.db import models
from django.db.models import QuerySet

from portal.workflow.models import StatusChange


def timeline(row: models.Model) -> QuerySet[StatusChange]:
    """Every status change of `row`, oldest first, with who made it."""
    return StatusChange.objects.filter(
        subject_type=row._meta.label_lower, subject_id=str(row.pk)
    ).select_related("actor")
