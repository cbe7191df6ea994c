"""Upload, scan with the real clamd, and download: on local disk and on the S3 server."""

import hashlib
import urllib.request

import pytest

from portal.audit.models import AuditEvent
from portal.documents import scanning, selectors
from portal.documents.detection import FileKind
from portal.documents.models import Document, ScanState
from tests.documents import samples
from tests.documents.conftest import OWNER_KIND, upload_file

pytestmark = pytest.mark.django_db(transaction=True)

ACCEPTED = [
    ("statement.pdf", samples.pdf, FileKind.PDF),
    ("policy.docx", samples.docx, FileKind.DOCX),
    ("policy.doc", samples.doc, FileKind.DOC),
    ("budget.xlsx", samples.xlsx, FileKind.XLSX),
    ("budget.xls", samples.xls, FileKind.XLS),
    ("plan.odt", samples.odt, FileKind.ODT),
    ("plan.ods", samples.ods, FileKind.ODS),
    ("floor plan.jpg", samples.jpeg, FileKind.JPEG),
    ("floor plan.png", samples.png, FileKind.PNG),
    ("notes.txt", samples.text, FileKind.TEXT),
    ("staff.csv", samples.csv, FileKind.CSV),
]


@pytest.mark.parametrize(("name", "make", "kind"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_every_accepted_kind_is_stored_scanned_and_downloadable(
    people, document_storage, client, name, make, kind
):
    content = make()
    document = upload_file(people, name, content)

    assert document.content_type == kind
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.scan_state == ScanState.PENDING
    assert name not in document.storage_key
    assert document_storage.keys("documents") == {document.storage_key}
    uploaded_event = AuditEvent.objects.get(verb="documents.uploaded", target_id=str(document.pk))
    assert uploaded_event.data["sha256"] == document.sha256

    assert scanning.scan(str(document.pk)) == ScanState.CLEAN
    document.refresh_from_db()
    assert document.scan_state == ScanState.CLEAN
    assert document.scanned_at is not None
    assert document.scanner_version.startswith("ClamAV ")
    assert AuditEvent.objects.filter(verb="documents.scanned_clean").count() == 1

    client.force_login(people.uploader)
    response = client.get(f"/documents/{document.pk}/download/")
    if document_storage.kind == "s3":
        # Object storage serves the bytes itself, through a signed URL valid for a minute.
        assert response.status_code == 302
        assert "X-Amz-Signature=" in response["Location"]
        with urllib.request.urlopen(response["Location"]) as served:  # noqa: S310
            body = served.read()
            headers = served.headers
    else:
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        headers = response
    assert body == content
    assert headers["Content-Type"].startswith(kind)
    assert headers["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(verb="documents.downloaded").count() == 1


def test_the_eicar_file_is_quarantined_and_the_uploader_told(
    people, document_storage, client, mail
):
    document = upload_file(people, "minutes.txt", samples.eicar_in_text())

    assert scanning.scan(str(document.pk)) == ScanState.INFECTED
    document.refresh_from_db()
    assert document.scan_state == ScanState.INFECTED
    assert document.quarantined
    assert document.scan_detail.startswith("Portal.Test.EICAR")
    # Kept apart, and gone from where downloads read.
    assert document_storage.keys("quarantine") == {document.storage_key}
    assert document_storage.keys("documents") == set()
    event = AuditEvent.objects.get(verb="documents.scanned_infected")
    assert event.data["virus"].startswith("Portal.Test.EICAR")
    from portal.emails.models import OutboxMessage

    message = OutboxMessage.objects.get(template="documents_virus_found")
    assert message.to == people.uploader.email
    assert "minutes.txt" in message.body

    client.force_login(people.uploader)
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 409
    assert "contains a virus" in response.content.decode()


def test_a_file_still_being_checked_cannot_be_downloaded(people, document_storage, client):
    document = upload_file(people, "statement.pdf", samples.pdf())
    client.force_login(people.uploader)

    response = client.get(f"/documents/{document.pk}/download/")

    assert response.status_code == 409
    page = response.content.decode()
    assert "still being checked for viruses" in page
    assert not AuditEvent.objects.filter(verb="documents.downloaded").exists()


def test_another_providers_document_does_not_exist_for_you(people, document_storage, client):
    document = upload_file(people, "statement.pdf", samples.pdf())
    scanning.scan(str(document.pk))
    client.force_login(people.outsider)

    assert client.get(f"/documents/{document.pk}/download/").status_code == 404
    client.logout()
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 302  # asked to sign in


def test_selectors_list_and_say_what_is_still_being_checked(people, document_storage):
    first = upload_file(people, "a.pdf", samples.pdf())
    second = upload_file(people, "b.pdf", samples.pdf("two"), question="policies")
    scanning.scan(str(first.pk))

    assert list(selectors.documents_for(OWNER_KIND, people.provider.pk)) == [first, second]
    assert list(selectors.still_being_checked(OWNER_KIND, people.provider.pk)) == [second]
    grouped = selectors.documents_by_question(OWNER_KIND, people.provider.pk)
    assert set(grouped) == {"statement_of_purpose", "policies"}
    assert Document.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ('Our "new" plan.pdf', 'attachment; filename="Our \\"new\\" plan.pdf"'),
        ("Café plan.pdf", "attachment; filename*=utf-8''Caf%C3%A9%20plan.pdf"),
    ],
)
def test_download_names_are_quoted_or_encoded(
    people, local_document_storage, client, name, disposition
):
    document = upload_file(people, name, samples.pdf())
    scanning.scan(str(document.pk))
    client.force_login(people.uploader)

    response = client.get(f"/documents/{document.pk}/download/")

    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_quarantine_can_be_a_bucket_of_its_own(people, s3_server, settings, tmp_path, mail):
    import secrets

    from tests.documents.conftest import use_s3_storage

    suffix = secrets.token_hex(4)
    files, quarantine = f"documents-{suffix}", f"quarantine-{suffix}"
    use_s3_storage(settings, tmp_path, s3_server, files, quarantine)
    client = s3_server.client()
    document = upload_file(people, "minutes.txt", samples.eicar_in_text())
    scanning.scan(str(document.pk))

    def keys(bucket):
        return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]

    assert keys(files) == []
    assert keys(quarantine) == [f"quarantine/{document.storage_key}"]
