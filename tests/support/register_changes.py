"""Process waiting register changes in the test process, as a worker's task would."""

from portal.register.models import RegisterChange
from portal.register.processing import process_change


def process_register_changes() -> list[str]:
    """Run the processing task's body for every unprocessed change, oldest first."""
    waiting = RegisterChange.objects.filter(processed_at__isnull=True).order_by("occurred_at")
    return [process_change(change_id) for change_id in waiting.values_list("id", flat=True)]
