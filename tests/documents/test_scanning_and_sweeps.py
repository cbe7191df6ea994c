"""The scanner from the worker's side: the real worker on the scanning queue, the scanner
down (pending, retried with back-off by the sweeper, reported by /healthz), scans that fail,
and the sweeper's orphans and retention; on local disk and on the S3 server."""

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.audit.models import AuditEvent
from portal.documents import scanning, services, storage, sweeps
from portal.documents.clamd import ClamdClient, Verdict, parse_reply
from portal.documents.models import Document, ScanState
from tests.documents import samples
from tests.documents.conftest import OWNER_KIND, upload_file
from tests.support.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def upload(people, name="statement.pdf", content=None):
    return upload_file(people, name, content if content is not None else samples.pdf())


def test_the_worker_scans_on_its_own_queue(people, document_storage, workers, clamd_socket):
    clean = upload(people)
    infected = upload(people, "minutes.txt", samples.eicar_in_text())
    queued = DBTaskResult.objects.filter(args_kwargs__args__0=str(clean.pk)).get()
    assert queued.queue_name == "scanning"

    workers(queues="scanning", CLAMD_ADDRESS=clamd_socket, **document_storage.environment)

    def states():
        return {
            document.pk: document.scan_state
            for document in Document.objects.filter(pk__in=[clean.pk, infected.pk])
        }

    wait_until(
        lambda: states() == {clean.pk: ScanState.CLEAN, infected.pk: ScanState.INFECTED},
        timeout=60,
        what="both scans",
    )
    infected.refresh_from_db()
    assert document_storage.keys("quarantine") == {infected.storage_key}
    assert document_storage.keys("documents") == {clean.storage_key}


def test_with_the_scanner_down_files_wait_and_the_sweeper_tries_again(
    people, document_storage, settings, client, tmp_path
):
    working_socket = settings.CLAMD_ADDRESS
    settings.CLAMD_ADDRESS = str(tmp_path / "nobody-listens.sock")
    document = upload(people)

    # The worker runs the upload's task (here called directly, and marked done as it would).
    assert scanning.scan(str(document.pk)) == "scanner unavailable"
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    document.refresh_from_db()
    assert document.scan_state == ScanState.PENDING
    assert document.scan_attempts == 1
    first_wait = document.next_scan_at - timezone.now()
    assert dt.timedelta(seconds=25) < first_wait <= dt.timedelta(seconds=30)
    health = json.loads(client.get("/healthz").content)
    assert health["scanner"] == "unreachable"

    # Not yet due: the sweeper leaves it. Due: queued again, and the next wait is longer.
    assert sweeps.retry_pending_scans() == 0
    Document.objects.filter(pk=document.pk).update(next_scan_at=timezone.now())
    assert sweeps.retry_pending_scans() == 1
    assert DBTaskResult.objects.filter(args_kwargs__args__0=str(document.pk)).count() == 2
    assert scanning.scan(str(document.pk)) == "scanner unavailable"
    document.refresh_from_db()
    assert document.next_scan_at - timezone.now() > dt.timedelta(seconds=55)

    settings.CLAMD_ADDRESS = working_socket
    assert json.loads(client.get("/healthz").content)["scanner"] == "ok"
    assert scanning.scan(str(document.pk)) == ScanState.CLEAN
    assert scanning.scan(str(document.pk)) == "nothing to scan"  # a replayed task does nothing


def test_a_file_that_cannot_be_scanned_fails_and_is_never_served(
    people, document_storage, settings, client
):
    settings.DOCUMENTS_SCAN_MAX_ERRORS = 2
    document = upload(people)
    storage.delete(document.storage_key)  # lost from storage

    scanning.scan(str(document.pk))
    document.refresh_from_db()
    assert document.scan_state == ScanState.FAILED
    assert document.scan_detail == "The stored file is missing"
    assert AuditEvent.objects.filter(verb="documents.scan_failed").count() == 1

    client.force_login(people.uploader)
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 409
    assert "could not be checked for viruses" in response.content.decode()


def test_clamd_replies_are_read_exactly():
    assert parse_reply("stream: OK").verdict == Verdict.CLEAN
    found = parse_reply("stream: Win.Test.EICAR_HDB-1 FOUND")
    assert (found.verdict, found.detail) == (Verdict.INFECTED, "Win.Test.EICAR_HDB-1")
    error = parse_reply("INSTREAM size limit exceeded. ERROR")
    assert (error.verdict, error.detail) == (Verdict.ERROR, "INSTREAM size limit exceeded.")


def test_a_stream_over_clamds_limit_is_an_error_not_a_pass(clamd_socket):
    chunk = b"\0" * (1024 * 1024)
    result = ClamdClient(clamd_socket).scan_stream(chunk for _ in range(101))
    assert result.verdict == Verdict.ERROR


def test_a_removed_document_loses_its_file_at_once(people, document_storage):
    document = upload(people)
    services.remove_document(document=document, actor=people.uploader)
    services.remove_document(document=document, actor=people.uploader)  # replayed: no change

    document.refresh_from_db()
    assert document.deleted_at is not None
    assert document_storage.keys("documents") == set()
    assert AuditEvent.objects.filter(verb="documents.removed").count() == 1


def test_files_of_discarded_owners_are_deleted_after_the_retention_period(
    people, document_storage, settings
):
    settings.DOCUMENTS_RETENTION_DAYS = 30
    document = upload(people)
    assert services.discard_documents(owner_kind=OWNER_KIND, owner_id=people.provider.pk) == 1
    assert services.discard_documents(owner_kind=OWNER_KIND, owner_id=people.provider.pk) == 0
    discarded = AuditEvent.objects.get(verb="documents.discarded")
    assert discarded.data == {"owner_kind": OWNER_KIND, "owner_id": people.provider.pk, "count": 1}

    assert sweeps.delete_retained_files() == 0  # within the period: kept
    assert document_storage.keys("documents") == {document.storage_key}
    Document.objects.filter(pk=document.pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=31)
    )
    assert sweeps.delete_retained_files() == 1

    document.refresh_from_db()
    assert document.file_deleted_at is not None
    assert document_storage.keys("documents") == set()
    # The history stays.
    assert AuditEvent.objects.filter(target_id=str(document.pk)).count() == 2  # upload, deletion
    assert AuditEvent.objects.get(verb="documents.file_deleted").data == {"reason": "retention"}


def test_orphans_are_removed_after_the_grace_period(people, document_storage, settings):
    settings.DOCUMENTS_ORPHAN_GRACE_SECONDS = 3600
    kept = upload(people)
    lost = upload(people, "lost.pdf")
    storage.delete(lost.storage_key)  # a row without a file
    stray = storage.new_key()
    storage.store(stray, ContentFile(b"half an upload", name=stray))  # a file without a row

    assert sweeps.remove_orphans() == 0  # everything is younger than the grace period
    assert stray in document_storage.keys("documents")

    settings.DOCUMENTS_ORPHAN_GRACE_SECONDS = 0
    Document.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert sweeps.remove_orphans() == 2

    assert document_storage.keys("documents") == {kept.storage_key}
    lost.refresh_from_db()
    assert lost.deleted_at is not None
    assert lost.file_deleted_at is not None
    assert Document.objects.get(pk=kept.pk).deleted_at is None


def test_the_sweep_queues_a_due_scan_only_when_none_is_waiting(people, document_storage, settings):
    settings.DOCUMENTS_HOUSEKEEPING_SECONDS = 0
    document = upload(people)
    tasks = DBTaskResult.objects.filter(args_kwargs__args__0=str(document.pk))
    Document.objects.filter(pk=document.pk).update(next_scan_at=timezone.now())
    sweeps.sweep()
    assert tasks.count() == 1  # its task is still in the queue (a backlog): no second one

    tasks.update(status=TaskResultStatus.FAILED)  # the task was lost
    Document.objects.filter(pk=document.pk).update(next_scan_at=timezone.now())
    sweeps.sweep()
    assert tasks.filter(status=TaskResultStatus.READY).count() == 1


def test_a_file_the_scanner_refuses_is_tried_again_then_failed(
    people, local_document_storage, settings, tmp_path, client
):
    """A clamd that takes streams of at most 1 MiB answers "size limit exceeded" for a
    2 MiB file: an error, not a verdict. Tried again later; after the last try, "failed"."""
    from portal.documents import clamd_daemon

    small = clamd_daemon.start(tmp_path / "small-clamd", max_file_mb=1)
    try:
        settings.CLAMD_ADDRESS = str(tmp_path / "small-clamd" / "clamd.sock")
        settings.DOCUMENTS_SCAN_MAX_ERRORS = 2
        content = samples.pdf() + b"%" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
        document = upload(people, "big.pdf", content)

        assert scanning.scan(str(document.pk)) == ScanState.PENDING
        document.refresh_from_db()
        assert document.scan_detail == "INSTREAM size limit exceeded."
        assert document.next_scan_at > timezone.now()
        assert not AuditEvent.objects.filter(verb="documents.scan_failed").exists()

        assert scanning.scan(str(document.pk)) == ScanState.FAILED
        event = AuditEvent.objects.get(verb="documents.scan_failed")
        assert event.data["reason"] == "INSTREAM size limit exceeded."
        assert local_document_storage.keys("documents") == {document.storage_key}
    finally:
        clamd_daemon.stop(small)


def test_settings_that_cannot_work_stop_the_site_starting(settings):
    from portal.documents.checks import check_documents_settings

    assert check_documents_settings() == []
    settings.DOCUMENTS_STORAGE = "s3"
    settings.DOCUMENTS_S3_BUCKET = ""
    settings.CLAMD_ADDRESS = "tcp://scanner"
    settings.DOCUMENTS_MAX_FILE_BYTES = 0
    assert [error.id for error in check_documents_settings()] == [
        "documents.E001",
        "documents.E002",
        "documents.E003",
    ]


def test_a_clean_file_lost_from_disk_is_explained_not_an_error(
    people, local_document_storage, client
):
    document = upload(people)
    scanning.scan(str(document.pk))
    storage.delete(document.storage_key)
    client.force_login(people.uploader)

    response = client.get(f"/documents/{document.pk}/download/")

    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="documents.downloaded").exists()


def test_the_client_speaks_to_clamd_over_tcp_too(tmp_path):
    """Production may run the scanner on another machine: CLAMD_ADDRESS=tcp://host:port."""
    from portal.documents import clamd_daemon
    from tests.support.smtp import free_port

    port = free_port()
    process = clamd_daemon.start(tmp_path / "tcp-clamd", tcp_port=port)
    try:
        scanner = ClamdClient(f"tcp://127.0.0.1:{port}")
        assert scanner.ping()
        assert scanner.version().startswith("ClamAV ")
        assert scanner.scan_stream([samples.pdf()]).verdict == Verdict.CLEAN
        found = scanner.scan_stream([b"notes ", samples.eicar_file()])
        assert found.verdict == Verdict.INFECTED
    finally:
        clamd_daemon.stop(process)
