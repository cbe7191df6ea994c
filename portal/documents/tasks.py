"""Background work for documents (django-tasks), on the scanning queue of its own."""

from django.conf import settings
from django_tasks import task


@task(queue_name=settings.TASK_QUEUE_SCANNING)
def scan_document(document_id: str) -> str:
    from portal.documents.scanning import scan

    return scan(document_id)
