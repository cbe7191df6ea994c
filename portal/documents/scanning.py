"""Scanning a document with ClamAV's daemon, from the worker; and the scanner's health.

One scan holds the document's row lock (SKIP LOCKED: a second task for the same document
goes away), streams the stored file to clamd, and writes the verdict in the same
transaction. An infected file is copied into quarantine before the row points there; the
original is deleted after commit. Scanner unreachable: the document stays pending and the
sweeper queues it again later (portal.documents.sweeps).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.audit.services import record
from portal.documents import storage
from portal.documents.audit_verbs import DocumentVerb
from portal.documents.clamd import ClamdClient, ClamdUnavailable, ScanResult, Verdict
from portal.documents.models import Document, ScanState
from portal.emails.services import queue_email
from portal.operations.health import HealthCheck

logger = logging.getLogger(__name__)


def client() -> ClamdClient:
    return ClamdClient(settings.CLAMD_ADDRESS, timeout=settings.CLAMD_TIMEOUT_SECONDS)


def scan(document_id: str) -> str:
    """Scan one pending document; idempotent (anything not pending is left alone)."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("uploaded_by")
            .filter(pk=document_id, scan_state=ScanState.PENDING, deleted_at__isnull=True)
            .first()
        )
        if document is None:
            return "nothing to scan"
        scanner = client()
        try:
            stored = storage.open_stored(document.storage_key)
        except FileNotFoundError:
            logger.error("Document %s has no file in storage", document.pk)
            result = ScanResult(Verdict.ERROR, "The stored file is missing")
            version = ""
            document.scan_attempts = settings.DOCUMENTS_SCAN_MAX_ERRORS  # no point retrying
        else:
            try:
                with stored:
                    version = scanner.version()
                    result = scanner.scan_stream(storage.chunks_of(stored))
            except ClamdUnavailable as error:
                logger.warning("Scanner unavailable for document %s: %s", document.pk, error)
                record_scanner_unavailable(document=document)
                return "scanner unavailable"
        if result.verdict == Verdict.INFECTED:
            storage.move_to_quarantine(document.storage_key)
        record_scan_result(document=document, result=result, scanner_version=version)
        return str(document.scan_state)


# ---------------------------------------------------------------------------------------
# Scan results: the only writers of a document's scan state


def record_scan_result(*, document: Document, result: ScanResult, scanner_version: str) -> Document:
    """Write a scanner's verdict on a locked, pending document (the caller's transaction).

    Clean: usable. Infected: the caller has copied the file into quarantine; the row now
    points there, the uploader is emailed, and the original is deleted after commit. An
    error answer: tried again, and after DOCUMENTS_SCAN_MAX_ERRORS it is "failed".
    """
    now = timezone.now()
    document.scan_attempts += 1
    document.scanner_version = scanner_version[:200]
    if (
        result.verdict == Verdict.ERROR
        and document.scan_attempts < settings.DOCUMENTS_SCAN_MAX_ERRORS
    ):
        document.next_scan_at = now + retry_delay(document.scan_attempts)
        document.scan_detail = result.detail[:255]
        document.save(
            update_fields=["scan_attempts", "scanner_version", "next_scan_at", "scan_detail"]
        )
        return document
    document.scanned_at = now
    document.scan_detail = result.detail[:255]
    document.next_scan_at = None
    if result.verdict == Verdict.CLEAN:
        document.scan_state = ScanState.CLEAN
        record(
            verb=DocumentVerb.SCANNED_CLEAN,
            target=document,
            data={"scanner_version": document.scanner_version},
        )
    elif result.verdict == Verdict.INFECTED:
        document.scan_state = ScanState.INFECTED
        document.quarantined = True
        record(
            verb=DocumentVerb.SCANNED_INFECTED,
            target=document,
            data={"scanner_version": document.scanner_version, "virus": result.detail},
        )
        queue_email(
            to=document.uploaded_by.email,
            template="documents_virus_found",
            context={"name": document.original_name, "uploaded_at": document.created_at},
        )
        _delete_original_after_commit(document.storage_key)
    else:
        document.scan_state = ScanState.FAILED
        record(
            verb=DocumentVerb.SCAN_FAILED,
            target=document,
            data={"scanner_version": document.scanner_version, "reason": result.detail},
        )
    document.save()
    return document


def record_scanner_unavailable(*, document: Document) -> Document:
    """The scanner could not be reached: the document stays pending and the sweeper tries
    again later, waiting twice as long after each failure (up to 30 minutes)."""
    document.scan_attempts += 1
    document.next_scan_at = timezone.now() + retry_delay(document.scan_attempts)
    document.save(update_fields=["scan_attempts", "next_scan_at"])
    return document


def retry_delay(attempts: int) -> dt.timedelta:
    base = settings.DOCUMENTS_SCAN_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 1800))


def _delete_original_after_commit(key: str) -> None:
    def delete() -> None:
        try:
            storage.delete(key, quarantined=False)
        except Exception:  # an orphan now: the sweeper deletes it
            logger.exception("Could not delete the original of quarantined file %s", key)

    transaction.on_commit(delete)


def health() -> HealthCheck:
    """For /healthz: whether clamd answers, and its engine and signature versions."""
    try:
        # A short wait: load balancers call /healthz often and must not hang on it.
        version = ClamdClient(settings.CLAMD_ADDRESS, timeout=2).version()
    except ClamdUnavailable as error:
        return HealthCheck(ok=False, status="unreachable", detail=str(error)[:200])
    return HealthCheck(ok=True, status="ok", detail=version)
