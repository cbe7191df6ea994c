"""The only code that writes documents: upload, remove, hand over, scan results, downloads.

An upload is checked (size, type by content, name) before anything is stored, then streamed
to storage under a random key, and only then is its row written, under a lock on the owner so
that two uploads at once cannot pass the count limit together. A file whose row is never
written (the transaction failed, or the process died) is deleted at once or, failing that,
by the sweeper; so is a row whose file vanished. Every change is audited in its transaction.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.access import Principal
from portal.audit.services import record
from portal.documents import storage
from portal.documents.access import DocumentNotFound, can_change, can_view
from portal.documents.audit_verbs import DocumentVerb
from portal.documents.detection import ContentRefused, Refusal, allowed_names, detect
from portal.documents.errors import DocumentError, DocumentRefused
from portal.documents.limits import UploadLimits
from portal.documents.models import Document, ScanState
from portal.documents.names import NameUnusable, clean_name

logger = logging.getLogger(__name__)

_HASH_CHUNK_BYTES = 1024 * 1024


# What the page says of each refusal of a file's content; "{must_be}" names the kinds allowed.
_CONTENT_MESSAGES: dict[Refusal, tuple[DocumentError, str]] = {
    Refusal.EMPTY: (DocumentError.EMPTY, "The selected file is empty"),
    Refusal.UNKNOWN_TYPE: (DocumentError.WRONG_TYPE, "{must_be}"),
    Refusal.TWO_FORMATS: (
        DocumentError.WRONG_TYPE,
        "The selected file is more than one kind of file at once, which can hide "
        "harmful content. {must_be}, saved again from the program that made it",
    ),
    Refusal.WEB_CODE: (
        DocumentError.WRONG_TYPE,
        "The selected file contains web page code (HTML or script). "
        "Remove the code, or save the document as a PDF",
    ),
    Refusal.ENCRYPTED: (
        DocumentError.WRONG_TYPE,
        "The selected file is protected with a password, so it cannot be checked for "
        "viruses. Remove the password and upload it again",
    ),
    Refusal.ARCHIVE_BOMB: (
        DocumentError.WRONG_TYPE,
        "The selected file expands to far more than its size, so it cannot be checked. "
        "{must_be}, saved again from the program that made it",
    ),
}


def _content_message(reason: Refusal, limits: UploadLimits) -> tuple[DocumentError, str]:
    code, message = _CONTENT_MESSAGES[reason]
    must_be = f"The selected file must be {allowed_names(limits.kinds)}"
    return code, message.format(must_be=must_be)


def _lock_owner(owner_kind: str, owner_id: str) -> None:
    """Serialise writes to one owner's documents until the transaction ends. PostgreSQL: an
    advisory lock on the owner (there may be no document row yet to lock); SQLite takes the
    database's write lock when the transaction begins (settings: IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"documents:{owner_kind}:{owner_id}"],
            )


def _count(owner_kind: str, owner_id: str, question: str) -> int:
    return Document.objects.filter(
        owner_kind=owner_kind, owner_id=owner_id, question=question, deleted_at__isnull=True
    ).count()


def _too_many(limits: UploadLimits, question: str) -> DocumentRefused:
    files = "file" if limits.max_files == 1 else "files"
    return DocumentRefused(
        DocumentError.TOO_MANY,
        f"You can upload up to {limits.max_files} {files} here. "
        "Remove a file before you add another",
        field=question,
    )


@dataclass(frozen=True)
class _Checked:
    name: str
    content_type: str
    size: int
    sha256: str


def _check_upload(
    uploaded_file: UploadedFile | None, *, question: str, limits: UploadLimits
) -> _Checked:
    if uploaded_file is None or not uploaded_file.name:
        raise DocumentRefused(DocumentError.NOT_UPLOADED, "Select a file", field=question)
    if not uploaded_file.size:
        raise DocumentRefused(DocumentError.EMPTY, "The selected file is empty", field=question)
    if uploaded_file.size > limits.max_bytes:
        raise DocumentRefused(
            DocumentError.TOO_BIG,
            f"The selected file must be smaller than {limits.max_size_text}",
            field=question,
        )
    content: IO[bytes] = uploaded_file.file  # type: ignore[assignment]
    try:
        kind = detect(content, name=uploaded_file.name)
    except ContentRefused as refused:
        logger.info("Upload refused: %s", refused)
        code, message = _content_message(refused.reason, limits)
        raise DocumentRefused(code, message, field=question) from None
    if kind not in limits.kinds:
        code, message = _content_message(Refusal.UNKNOWN_TYPE, limits)
        raise DocumentRefused(code, message, field=question)
    try:
        name = clean_name(uploaded_file.name, kind)
    except NameUnusable:
        raise DocumentRefused(
            DocumentError.NAME_UNUSABLE,
            "The file name must include letters or numbers. Rename the file and upload it again",
            field=question,
        ) from None
    digest = hashlib.sha256()
    size = 0
    content.seek(0)
    while chunk := content.read(_HASH_CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    if size != uploaded_file.size:  # the handler counted differently: trust the bytes
        logger.warning("Upload size %s differs from the declared %s", size, uploaded_file.size)
        if size > limits.max_bytes:
            raise DocumentRefused(
                DocumentError.TOO_BIG,
                f"The selected file must be smaller than {limits.max_size_text}",
                field=question,
            )
    return _Checked(name=name, content_type=str(kind), size=size, sha256=digest.hexdigest())


def upload_document(
    *,
    owner_kind: str,
    owner_id: Any,
    provider_id: str | None,
    question: str,
    uploaded_file: UploadedFile | None,
    actor: Principal,
    limits: UploadLimits,
    request: HttpRequest | None = None,
) -> Document:
    """Check, store and record one uploaded file, queued for a virus scan.

    Raises DocumentRefused (with `field=question` and a message for people) for anything
    wrong with the file, and DocumentNotFound when `actor` may not change the owner's
    documents. Not atomic as a whole on purpose: the bytes go to storage outside any
    transaction (a 50 MB upload to object storage must not hold locks), then the row is
    written in one; if that fails the stored file is deleted again.
    """
    owner_id = str(owner_id)
    if not can_change(actor, owner_kind, owner_id):
        raise DocumentNotFound("No such owner")
    if _count(owner_kind, owner_id, question) >= limits.max_files:
        raise _too_many(limits, question)  # early, before reading the file
    checked = _check_upload(uploaded_file, question=question, limits=limits)
    assert uploaded_file is not None
    key = storage.new_key()
    uploaded_file.file.seek(0)  # type: ignore[union-attr]
    try:
        # A write that fails part-way may leave part of the file: deleted below too.
        storage.store(key, File(uploaded_file.file, name=key))
        return _record_upload(
            key=key,
            checked=checked,
            owner_kind=owner_kind,
            owner_id=owner_id,
            provider_id=provider_id,
            question=question,
            actor=actor,
            limits=limits,
            request=request,
        )
    except BaseException:
        try:
            storage.delete(key)  # deleting what is not there is not an error
        except Exception:  # the sweeper removes it later
            logger.exception("Could not delete the file of a failed upload %s", key)
        raise


@transaction.atomic
def _record_upload(
    *,
    key: str,
    checked: _Checked,
    owner_kind: str,
    owner_id: str,
    provider_id: str | None,
    question: str,
    actor: Principal,
    limits: UploadLimits,
    request: HttpRequest | None,
) -> Document:
    _lock_owner(owner_kind, owner_id)
    if _count(owner_kind, owner_id, question) >= limits.max_files:
        raise _too_many(limits, question)
    now = timezone.now()
    document = Document.objects.create(
        owner_kind=owner_kind,
        owner_id=owner_id,
        provider_id=provider_id,
        question=question,
        uploaded_by_id=actor.pk,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        storage_key=key,
        # Should the task be lost, the sweeper queues the scan again from then on.
        next_scan_at=now + dt.timedelta(seconds=settings.DOCUMENTS_SCAN_RETRY_SECONDS),
    )
    data = _placed(document, size=checked.size, sha256=checked.sha256, type=checked.content_type)
    record(verb=DocumentVerb.UPLOADED, actor=actor, target=document, data=data, request=request)
    enqueue_scan(document)
    return document


def _placed(document: Document, **more: Any) -> dict[str, Any]:
    """What an upload's or a removal's audit event says first: where the file was given."""
    return {
        "owner_kind": document.owner_kind,
        "owner_id": document.owner_id,
        "question": document.question,
        **more,
    }


def enqueue_scan(document: Document) -> None:
    from portal.documents.tasks import scan_document

    scan_document.enqueue(str(document.pk))


def _delete_file_after_commit(document: Document) -> None:
    key, quarantined = document.storage_key, document.quarantined

    def delete() -> None:
        try:
            storage.delete(key, quarantined=quarantined)
        except Exception:  # the sweeper deletes files whose row says they are gone
            logger.exception("Could not delete document file %s", key)

    transaction.on_commit(delete)


@transaction.atomic
def remove_document(
    *, document: Document, actor: Principal, request: HttpRequest | None = None
) -> Document:
    """Someone removes a file they uploaded to a form (the "Remove" link). Idempotent: a
    second removal changes nothing. The file is deleted once the removal commits."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not can_change(actor, locked.owner_kind, locked.owner_id):
        raise DocumentNotFound("No such document")
    if locked.deleted_at is not None:
        return locked
    now = timezone.now()
    locked.deleted_at = now
    locked.file_deleted_at = now
    locked.save(update_fields=["deleted_at", "file_deleted_at"])
    record(
        verb=DocumentVerb.REMOVED, actor=actor, target=locked, data=_placed(locked), request=request
    )
    _delete_file_after_commit(locked)
    return locked


@transaction.atomic
def discard_documents(*, owner_kind: str, owner_id: Any, actor: Principal | None = None) -> int:
    """The owner was discarded or expired (a deleted draft): its documents disappear now and
    their files are deleted by the sweeper after DOCUMENTS_RETENTION_DAYS. Idempotent; one
    audit event for the lot (each file's deletion is audited when it happens)."""
    owner_id = str(owner_id)
    count = Document.objects.filter(
        owner_kind=owner_kind, owner_id=owner_id, deleted_at__isnull=True
    ).update(deleted_at=timezone.now())
    if count:
        record(
            verb=DocumentVerb.DISCARDED,
            actor=actor,
            target_type="documents.owner",
            target_id=f"{owner_kind}:{owner_id}"[:64],
            data={"owner_kind": owner_kind, "owner_id": owner_id, "count": count},
        )
    return count


@transaction.atomic
def transfer_documents(
    *, from_kind: str, from_id: Any, to_kind: str, to_id: Any, provider_id: str | None = None
) -> int:
    """A draft became a submission: its documents now belong to the submission (the caller
    holds the lock on both and audits the submission)."""
    changes: dict[str, Any] = {"owner_kind": to_kind, "owner_id": str(to_id)}
    if provider_id is not None:
        changes["provider_id"] = provider_id
    return Document.objects.filter(
        owner_kind=from_kind, owner_id=str(from_id), deleted_at__isnull=True
    ).update(**changes)


# ---------------------------------------------------------------------------------------
# Downloads


@dataclass(frozen=True)
class Download:
    document: Document
    # Local storage: the opened file, streamed by the view. Object storage: a short-lived
    # signed URL the view redirects to.
    file: File | None = None
    url: str = ""


_NOT_READY = {
    ScanState.PENDING: (
        DocumentError.STILL_BEING_CHECKED,
        "This file is still being checked for viruses. Try again in a few minutes",
    ),
    ScanState.INFECTED: (
        DocumentError.CONTAINS_VIRUS,
        "This file contains a virus, so it has been removed and cannot be downloaded",
    ),
    ScanState.FAILED: (
        DocumentError.CHECK_FAILED,
        "This file could not be checked for viruses, so it cannot be downloaded. "
        "Ask the person who uploaded it to upload it again",
    ),
}


def download_headers(document: Document) -> dict[str, str]:
    from django.utils.http import content_disposition_header

    return {
        "Content-Type": document.content_type,
        "Content-Disposition": content_disposition_header(True, document.original_name) or "",
        "X-Content-Type-Options": "nosniff",
    }


@transaction.atomic
def open_download(
    *, document: Document, principal: Principal, request: HttpRequest | None = None
) -> Download:
    """After the access check: the file to stream, or a signed URL to redirect to. Refuses
    (DocumentRefused, with the reason) anything not checked clean; DocumentNotFound for a
    removed document or one the principal may not see."""
    if document.deleted_at is not None or not can_view(
        principal, document.owner_kind, document.owner_id
    ):
        raise DocumentNotFound("No such document")
    if document.scan_state != ScanState.CLEAN or document.quarantined:
        code, message = _NOT_READY.get(ScanState(document.scan_state), _NOT_READY[ScanState.FAILED])
        raise DocumentRefused(code, message)
    files = storage.documents_storage()
    prepared: Download
    if getattr(files, "bucket_name", None):  # S3-compatible: the object store serves it
        headers = download_headers(document)
        url = files.url(  # type: ignore[call-arg]
            document.storage_key,
            parameters={
                "ResponseContentType": headers["Content-Type"],
                "ResponseContentDisposition": headers["Content-Disposition"],
            },
            expire=settings.DOCUMENTS_DOWNLOAD_URL_SECONDS,
        )
        prepared = Download(document=document, url=url)
    else:
        try:
            prepared = Download(document=document, file=files.open(document.storage_key, "rb"))
        except FileNotFoundError:
            logger.error("Document %s is clean but its file is missing", document.pk)
            raise DocumentRefused(
                DocumentError.MISSING,
                "This file is no longer available. "
                "Ask the person who uploaded it to upload it again",
            ) from None
    record(
        verb=DocumentVerb.DOWNLOADED,
        actor=principal,
        target=document,
        data={"owner_kind": document.owner_kind, "owner_id": document.owner_id},
        request=request,
    )
    return prepared
