"""Time-based work the worker's sweeper runs for applications (settings.SWEEP_HOOKS)."""

import logging

from django.utils import timezone

from portal.applications.models import Application
from portal.applications.services.decisions import representations_lapsed
from portal.applications.stages import Stage

logger = logging.getLogger(__name__)


def close_lapsed_representations() -> int:
    """Every notice of proposal whose 28 days for representations have passed moves on to
    the regulator's decision, each in its own transaction under the row lock (a retry, or
    two workers at once, moves each once)."""
    due = Application.objects.filter(
        stage=Stage.PROPOSAL_SERVED, representations_due_on__lt=timezone.localdate()
    ).order_by("representations_due_on", "pk")
    moved = sum(
        representations_lapsed(application_id=pk)
        for pk in list(due.values_list("pk", flat=True)[:500])
    )
    if moved:
        logger.info("Moved %s application(s) whose time for representations passed", moved)
    return moved
