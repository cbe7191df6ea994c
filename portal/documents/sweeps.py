"""The documents part of the worker's sweep (settings.SWEEP_HOOKS): scans to try again,
orphans to remove, and the files of discarded drafts to delete after the retention period.

Retrying scans is cheap and runs every sweep; walking storage for orphans lists every key, so
it runs at most once per DOCUMENTS_HOUSEKEEPING_SECONDS in each worker.
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.audit.services import record
from portal.documents import scanning, services, storage
from portal.documents.audit_verbs import DocumentVerb
from portal.documents.models import Document, ScanState
from portal.documents.tasks import scan_document

logger = logging.getLogger(__name__)

_BATCH = 500
_last_housekeeping: float | None = None


def sweep() -> None:
    global _last_housekeeping
    retry_pending_scans()
    every = settings.DOCUMENTS_HOUSEKEEPING_SECONDS
    if _last_housekeeping is None or time.monotonic() - _last_housekeeping >= every:
        _last_housekeeping = time.monotonic()
        delete_retained_files()
        remove_orphans()


def _waiting_scans() -> set[str]:
    """Documents whose scan task is queued or running: a backlog is not a lost task."""
    return {
        str(document_id)
        for document_id in DBTaskResult.objects.filter(
            task_path=scan_document.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("args_kwargs__args__0", flat=True)
    }


def retry_pending_scans() -> int:
    """Queue a scan for every pending document whose next try is due (the scanner was down,
    or its task was lost) and that has no scan task waiting already; move its next try on so
    the next sweep does not look at it again at once."""
    now = timezone.now()
    queued = 0
    with transaction.atomic():
        due = Document.objects.select_for_update(skip_locked=True).filter(
            scan_state=ScanState.PENDING, deleted_at__isnull=True, next_scan_at__lte=now
        )
        waiting: set[str] | None = None
        for document in due[:_BATCH]:
            if waiting is None:
                waiting = _waiting_scans()
            document.next_scan_at = now + scanning.retry_delay(document.scan_attempts + 1)
            document.save(update_fields=["next_scan_at"])
            if str(document.pk) not in waiting:
                services.enqueue_scan(document)
                queued += 1
    if queued:
        logger.info("Queued %s document scan(s) again", queued)
    return queued


def _file_deleted(document: Document, reason: str) -> None:
    document.file_deleted_at = timezone.now()
    document.deleted_at = document.deleted_at or document.file_deleted_at
    document.save(update_fields=["file_deleted_at", "deleted_at"])
    record(verb=DocumentVerb.FILE_DELETED, target=document, data={"reason": reason})


def delete_retained_files() -> int:
    """Files of documents whose owner was discarded more than DOCUMENTS_RETENTION_DAYS ago.
    The row stays (without its file), and so do its audit events."""
    before = timezone.now() - dt.timedelta(days=settings.DOCUMENTS_RETENTION_DAYS)
    deleted = 0
    with transaction.atomic():
        expired = Document.objects.select_for_update(skip_locked=True).filter(
            deleted_at__lt=before, file_deleted_at__isnull=True
        )
        for document in expired[:_BATCH]:
            storage.delete(document.storage_key, quarantined=document.quarantined)
            _file_deleted(document, "retention")
            deleted += 1
    return deleted


def remove_orphans() -> int:
    """Rows whose file is gone, and files that no row claims, older than the grace period
    (an upload in progress stores its file a moment before its row commits)."""
    removed = _rows_without_files()
    for quarantined in (False, True):
        removed += _files_without_rows(storage.storage_for(quarantined=quarantined), quarantined)
    return removed


def _rows_without_files() -> int:
    before = timezone.now() - dt.timedelta(seconds=settings.DOCUMENTS_ORPHAN_GRACE_SECONDS)
    removed = 0
    with transaction.atomic():
        candidates = Document.objects.select_for_update(skip_locked=True).filter(
            file_deleted_at__isnull=True,
            created_at__lt=before,
            scan_state__in=[ScanState.PENDING, ScanState.FAILED],
        )
        for document in candidates[:_BATCH]:
            if not storage.storage_for(quarantined=document.quarantined).exists(
                document.storage_key
            ):
                _file_deleted(document, "file missing")
                removed += 1
    return removed


def _all_keys(files: Storage) -> list[str]:
    keys: list[str] = []
    try:
        folders, _ = files.listdir("")
    except FileNotFoundError:  # nothing stored yet
        return keys
    for folder in folders:
        _, names = files.listdir(folder)
        keys += [f"{folder}/{name}" for name in names]
    return keys


def _files_without_rows(files: Storage, quarantined: bool) -> int:
    keys = _all_keys(files)
    grace = dt.timedelta(seconds=settings.DOCUMENTS_ORPHAN_GRACE_SECONDS)
    removed = 0
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        wanted = set(
            Document.objects.filter(
                storage_key__in=batch, quarantined=quarantined, file_deleted_at__isnull=True
            ).values_list("storage_key", flat=True)
        )
        for key in batch:
            if key in wanted:
                continue
            try:
                if timezone.now() - files.get_modified_time(key) < grace:
                    continue
                files.delete(key)
            except FileNotFoundError:
                continue
            logger.info("Deleted orphaned document file %s", key)
            removed += 1
    return removed
