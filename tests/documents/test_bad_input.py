"""Hostile and broken uploads, on local disk and on the S3 server: each refused with a
specific message, and none leaving a row without a file or a file without a row."""

import re
import threading
from collections import Counter
from functools import partial

import pytest
from django.db import close_old_connections

from portal.audit.models import AuditEvent
from portal.documents import services
from portal.documents.access import DocumentNotFound
from portal.documents.detection import FileKind
from portal.documents.errors import DocumentError, DocumentRefused
from portal.documents.limits import UploadLimits, limits_for
from portal.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import OWNER_KIND, upload_file, uploaded

pytestmark = pytest.mark.django_db(transaction=True)
QUESTION = "policies"


upload = partial(upload_file, question=QUESTION)


def refused(people, name, content, **kwargs) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        upload(people, name, content, **kwargs)
    assert caught.value.field == QUESTION
    return caught.value


def assert_nothing_stored(document_storage):
    assert Document.objects.count() == 0
    assert document_storage.keys("documents") == set()
    assert not AuditEvent.objects.filter(verb="documents.uploaded").exists()


ALL_TYPES = "a PDF, DOCX, DOC, XLSX, XLS, ODT, ODS, JPG, PNG, TXT or CSV"


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("statement.pdf", samples.elf_program),
        ("statement.pdf", samples.windows_program),
        ("policy.docx", samples.docm),
    ],
    ids=["linux-program-as-pdf", "windows-program-as-pdf", "macro-document-as-docx"],
)
def test_a_program_renamed_is_refused_naming_the_types_allowed(
    people, document_storage, name, make
):
    error = refused(people, name, make())
    assert error.code == DocumentError.WRONG_TYPE
    assert error.message == f"The selected file must be {ALL_TYPES}"
    assert_nothing_stored(document_storage)


def test_a_pdf_that_is_also_a_zip_archive_is_refused(people, document_storage):
    error = refused(people, "statement.pdf", samples.pdf_zip_polyglot())
    assert error.code == DocumentError.WRONG_TYPE
    assert "more than one kind of file at once" in error.message
    assert_nothing_stored(document_storage)


def test_a_picture_with_an_archive_in_front_is_refused(people, document_storage):
    error = refused(people, "plan.docx", samples.windows_program()[:64] + samples.docx())
    assert error.code == DocumentError.WRONG_TYPE
    assert_nothing_stored(document_storage)


def test_web_page_code_in_a_text_file_is_refused(people, document_storage):
    text = b"Minutes\n" + b"Nothing to see here.\n" * 5000 + b"<script>alert(1)</script>\n"
    error = refused(people, "minutes.txt", text)
    assert error.code == DocumentError.WRONG_TYPE
    assert "web page code" in error.message
    assert_nothing_stored(document_storage)


def test_an_html_page_is_not_a_text_file(people, document_storage):
    error = refused(people, "minutes.txt", samples.html_in_text())
    assert error.code == DocumentError.WRONG_TYPE
    assert_nothing_stored(document_storage)


def test_an_empty_file_is_refused(people, document_storage):
    error = refused(people, "statement.pdf", b"")
    assert (error.code, error.message) == (DocumentError.EMPTY, "The selected file is empty")
    assert_nothing_stored(document_storage)


def test_no_file_at_all_asks_for_one(people, document_storage):
    error = refused(people, "", None)
    assert (error.code, error.message) == (DocumentError.NOT_UPLOADED, "Select a file")


def test_one_byte_over_the_limit_is_refused_naming_the_limit(people, document_storage):
    content = samples.pdf()
    limits = UploadLimits(max_bytes=len(content) - 1, max_files=5)
    error = refused(people, "statement.pdf", content, limits=limits)
    assert error.code == DocumentError.TOO_BIG
    assert error.message.startswith("The selected file must be smaller than ")
    assert_nothing_stored(document_storage)
    # Exactly at the limit is fine.
    assert upload(people, "statement.pdf", content, limits=UploadLimits(len(content), 5))


def test_the_default_limit_is_named_in_megabytes(settings):
    settings.DOCUMENTS_MAX_FILE_BYTES = 50 * 1024 * 1024
    assert limits_for("anything").max_size_text == "50 MB"


def test_a_kind_the_question_does_not_take_is_refused_naming_what_it_takes(
    people, document_storage
):
    limits = UploadLimits(50_000, 5, kinds=frozenset({FileKind.PDF, FileKind.DOCX}))
    error = refused(people, "floor.png", samples.png(), limits=limits)
    assert error.message == "The selected file must be a PDF or DOCX"


def test_a_password_protected_document_is_refused_as_uncheckable(people, document_storage):
    import io
    import zipfile

    archive = io.BytesIO(samples.docx())
    with zipfile.ZipFile(archive, "a") as opened:
        opened.writestr("word/secret.xml", b"x")
    data = bytearray(archive.getvalue())
    # Set the "encrypted" flag on the last member's local and central headers.
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.rfind(header)
        offset = 6 if header == b"PK\x03\x04" else 8
        data[at + offset] |= 1
    error = refused(people, "policy.docx", bytes(data))
    assert "protected with a password" in error.message


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("state\x00ment.pdf", "state ment.pdf"),
        ("invoice\u202egpj.pdf", "invoice gpj.pdf"),
        ("résumé\u200b.pdf", "résumé.pdf"),
        ("a" * 500 + ".pdf", "a" * 146 + ".pdf"),
        ("plan.docx", "plan.docx.pdf"),  # the name says Word, the content says PDF
        ("statement", "statement.pdf"),
        # Markup stays text (pages escape it); a "/" in it ends a path like any other.
        ("<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"),
        ("<script>alert(1)</script>.pdf", "script>.pdf"),
    ],
    ids=[
        "dotdot",
        "backslashes",
        "nul",
        "rtl-override",
        "zero-width",
        "500-chars",
        "wrong-ext",
        "no-ext",
        "markup",
        "markup-with-slash",
    ],
)
def test_names_are_cleaned_for_display_and_never_used_to_store(
    people, document_storage, given, shown
):
    document = upload(people, given, samples.pdf())
    assert document.original_name == shown
    assert document_storage.keys("documents") == {document.storage_key}
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{48}", document.storage_key)


def test_a_name_with_nothing_readable_in_it_is_refused(people, document_storage):
    error = refused(people, "\u202e\u202e...pdf", samples.pdf())
    assert error.code == DocumentError.NAME_UNUSABLE
    assert_nothing_stored(document_storage)


def test_the_count_limit_holds_for_a_thousand_files(people, document_storage, settings):
    limits = UploadLimits(max_bytes=10_000, max_files=20)
    content = samples.text()
    for number in range(20):
        upload(people, f"note {number}.txt", content, limits=limits)
    messages = set()
    for number in range(20, 1000):
        messages.add(refused(people, f"note {number}.txt", content, limits=limits).message)
    assert messages == {"You can upload up to 20 files here. Remove a file before you add another"}
    assert Document.objects.count() == 20
    assert len(document_storage.keys("documents")) == 20


def test_concurrent_uploads_to_one_owner_cannot_pass_the_count_limit(people, document_storage):
    limits = UploadLimits(max_bytes=100_000, max_files=3)
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def race(number: int) -> None:
        try:
            start.wait()
            upload(people, f"policy {number}.pdf", samples.pdf(str(number)), limits=limits)
            outcomes.append("stored")
        except DocumentRefused as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(outcomes) == {"stored": 3, DocumentError.TOO_MANY: 5}
    assert Document.objects.count() == 3
    # The refused ones had stored their bytes before the count under the lock: deleted again.
    assert document_storage.keys("documents") == set(
        Document.objects.values_list("storage_key", flat=True)
    )


def test_a_failure_after_storing_leaves_no_file_behind(people, document_storage, monkeypatch):
    from portal.documents import services as documents_services

    def broken_audit(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(documents_services, "record", broken_audit)
    with pytest.raises(RuntimeError):
        upload(people, "statement.pdf", samples.pdf())
    assert Document.objects.count() == 0
    assert document_storage.keys("documents") == set()


def test_uploading_to_another_providers_folder_is_not_found(people, document_storage):
    with pytest.raises(DocumentNotFound):
        upload(people, "statement.pdf", samples.pdf(), actor=people.outsider)
    assert_nothing_stored(document_storage)


def test_a_large_upload_streams_from_its_temporary_file(people, document_storage):
    content = samples.pdf() + b"%" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    document = upload(people, "big.pdf", content)
    assert document.size == len(content)
    assert document.content_type == FileKind.PDF


def test_a_50_mb_upload_never_sits_whole_in_memory(people, local_document_storage):
    """Python's own allocations while a 50 MB upload (already in its temporary file, as
    Django's upload handler leaves it) is checked, hashed and stored: a few megabytes. On S3
    the multipart transfer holds at most two 8 MiB parts; the S3 server here runs in this
    process and keeps the object in memory, so only local disk is measured (the transfer's
    settings are in portal/settings/base.py documents_storages)."""
    import tracemalloc

    content = samples.pdf() + b"%" + b"0" * (50 * 1024 * 1024) + b"\n%%EOF\n"
    handled = uploaded("big.pdf", content)
    del content
    limits = UploadLimits(max_bytes=60 * 1024 * 1024, max_files=5)
    tracemalloc.start()
    try:
        document = services.upload_document(
            owner_kind=OWNER_KIND,
            owner_id=people.provider.pk,
            provider_id=people.provider.pk,
            question=QUESTION,
            uploaded_file=handled,
            actor=people.uploader,
            limits=limits,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document.size > 50 * 1024 * 1024
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MiB"


def test_an_archive_that_expands_enormously_is_refused(people, document_storage, monkeypatch):
    import io
    import zipfile

    from portal.documents import detection

    monkeypatch.setattr(detection, "ZIP_MAX_RATIO", 100)  # a 10 MB member shows it quickly
    archive = io.BytesIO(samples.docx())
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as opened:
        opened.writestr("word/media/blank.xml", b"\0" * (10 * 1024 * 1024))
    error = refused(people, "policy.docx", archive.getvalue())
    assert error.code == DocumentError.WRONG_TYPE
    assert "expands to far more than its size" in error.message
    assert_nothing_stored(document_storage)


def test_a_write_that_fails_part_way_leaves_nothing(people, document_storage, monkeypatch):
    from portal.documents import storage as document_files

    original = document_files.store

    def fails_after_writing(key, content):
        original(key, content)
        raise OSError("No space left on device")

    monkeypatch.setattr(document_files, "store", fails_after_writing)
    with pytest.raises(OSError, match="No space left"):
        upload(people, "statement.pdf", samples.pdf())
    assert_nothing_stored(document_storage)
