"""The upload pages of a notification: the statement of purpose takes documents (or text),
each listed with its size and virus check, removed with a real form post; sending waits for
the checks; staff and provider pages link clean files only. Real parts: PostgreSQL, the
documents services and storage, and clamd (tests/documents/conftest.py)."""

import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.documents.models import Document, ScanState
from portal.notifications.models import Notification
from tests.documents.upload_helpers import (
    EICAR,
    QUESTION,
    pdf,
    scan_all,
    start_upload_page,
    text_of,
)
from tests.notifications import conftest as notification_fixtures

world = notification_fixtures.world  # the notification tests' small register

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(world):
    return start_upload_page(world.manager, world.locations["Organisation"])


def test_the_statement_page_offers_an_upload_that_works_without_script(page):
    html = text_of(page.client.get(page.url))
    assert 'enctype="multipart/form-data"' in html
    assert f'action="{page.upload_url}"' in html
    assert 'type="file"' in html
    assert f'name="{QUESTION}"' in html
    assert 'accept=".pdf,.doc,.docx' in html
    assert "Each file must be smaller than 50 MB and a PDF, DOCX, DOC" in html
    assert "You can upload up to 5 files." in html
    assert 'name="upload_file"' in html
    assert "Or type the revised statement of purpose" in html


def test_an_uploaded_file_is_listed_being_checked_then_checked(page):
    response = page.post(content=pdf())
    assert response.status_code == 302
    assert response["Location"] == page.url
    [document] = page.documents()
    assert page.answer() == [str(document.pk)]
    html = text_of(page.client.get(page.url))
    assert "‘statement.pdf’ has been uploaded. We are checking it for viruses" in html
    assert "statement.pdf" in html
    if document.scan_state == ScanState.PENDING:
        assert "Being checked" in html
        assert "data-files-checking" in html  # the page's script polls while it is
    scan_all(page)
    html = text_of(page.client.get(page.url))
    assert ">Checked</strong>" in html
    assert "data-files-checking" not in html
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"documents.uploaded", "notifications.draft_file_added"} <= verbs


def test_typed_answers_survive_an_upload_and_a_refused_one(page):
    response = page.post(
        content=b"MZ\x90\x00" + b"\x00" * 200, name="statement.pdf", revised_statement="Typed text"
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "The selected file must be a PDF, DOCX, DOC" in html
    assert "Typed text" in html
    assert page.documents() == []
    page.post(content=pdf(), revised_statement="Typed text")
    page.draft.refresh_from_db()
    assert page.draft.answers["revised_statement"] == "Typed text"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"MZ\x90\x00\x03" + b"\x00" * 500, "The selected file must be a PDF, DOCX, DOC"),
        (b"<html><script>alert(1)</script></html>", "The selected file must be a PDF, DOCX"),
    ],
    ids=["empty", "program-renamed-pdf", "web-page"],
)
def test_refused_files_say_why_and_store_nothing(page, content, message):
    response = page.post(content=content)
    assert response.status_code == 200
    html = text_of(response)
    assert message in html
    assert "There is a problem" in html
    assert page.documents() == []
    assert page.answer() == []


def test_one_byte_over_the_limit_is_too_big_and_the_limit_itself_is_not(page, settings):
    settings.DOCUMENTS_MAX_FILE_BYTES = 2_000
    html = text_of(page.post(content=pdf(size=2_001)))
    assert "The selected file must be smaller than 2 KB" in html
    assert page.documents() == []
    assert page.post(content=pdf(size=2_000)).status_code == 302
    assert len(page.documents()) == 1


def test_save_and_continue_with_a_file_chosen_uploads_it_and_goes_on(page):
    response = page.post(content=pdf(), name="chosen.pdf", **{"continue": "1"})
    assert response.status_code == 302
    assert response["Location"] == page.check_url
    assert [d.original_name for d in page.documents()] == ["chosen.pdf"]
    assert page.answer() == [str(page.documents()[0].pk)]
    page.draft.refresh_from_db()
    assert "statement" in page.draft.completed_pages


def test_only_pages_with_file_questions_are_served_under_the_upload_prefix(page):
    other = reverse("notifications_uploads:draft_page", args=[page.draft.pk, "revision"])
    assert page.client.get(other).status_code == 404
    assert page.client.post(other, {"revision": "1"}).status_code == 404
    assert page.client.get(page.upload_url).status_code == 200


def test_upload_with_no_file_chosen_asks_for_one(page):
    html = text_of(page.post())
    assert "Select a file to upload" in html


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("<b>x</b><img src=x onerror=alert(1)>.pdf", "&lt;img src=x onerror=alert(1)&gt;.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("invoice\u202efdp.exe.pdf", "fdp.exe.pdf"),
        ("a" * 500 + ".pdf", "a" * 146 + ".pdf"),
    ],
    ids=["script", "path", "right-to-left-override", "500-characters"],
)
def test_hostile_names_are_cleaned_and_shown_escaped(page, name, shown):
    assert page.post(content=pdf(), name=name).status_code == 302
    html = text_of(page.client.get(page.url))
    assert shown in html
    assert "<img src=x" not in html
    assert "\u202e" not in html


def _many_files(page, count: int):
    return page.client.post(
        page.upload_url,
        {
            "revision": str(page.draft.revision),
            "upload_file": QUESTION,
            QUESTION: [SimpleUploadedFile(f"part {n}.pdf", pdf()) for n in range(count)],
        },
    )


def test_a_thousand_files_to_one_question_meet_the_limits(page):
    # A thousand in one request: over Django's cap on files per request (100), refused
    # whole (400) before anything is read or stored.
    assert _many_files(page, 1000).status_code == 400
    assert page.documents() == []
    # As many as one request may carry: five are kept, then the count limit says so.
    html = text_of(_many_files(page, 99))
    assert "You can upload up to 5 files here. Remove a file before you add another" in html
    assert len(page.documents()) == 5
    assert sorted(page.answer()) == sorted(str(d.pk) for d in page.documents())
    # One more, the ordinary way: the same message, nothing stored.
    html = text_of(page.post(content=pdf(), name="one more.pdf"))
    assert "You can upload up to 5 files here" in html
    assert Document.objects.count() == 5


def test_remove_is_a_post_that_keeps_typed_answers_and_replays_quietly(page):
    page.post(content=pdf(), name="old.pdf")
    [document] = page.documents()
    html = text_of(page.client.get(page.url))
    assert f'name="remove_file" value="{document.pk}"' in html
    # Removing is never a GET link.
    assert f'href="{page.url}?remove' not in html
    response = page.post(remove_file=str(document.pk), revised_statement="Kept")
    assert response.status_code == 302
    assert page.documents() == []
    assert page.answer() == []
    page.draft.refresh_from_db()
    assert page.draft.answers["revised_statement"] == "Kept"
    assert "‘old.pdf’ has been removed." in text_of(page.client.get(page.url))
    # A double click (or the back button and a second post): the same outcome, no error.
    again = page.post(remove_file=str(document.pk))
    assert again.status_code == 302
    assert Document.objects.filter(pk=document.pk, deleted_at__isnull=False).count() == 1


def test_another_providers_draft_and_another_drafts_file_are_not_found(page, world):
    stranger_page = start_upload_page(
        world.nominated["Partnership"], world.locations["Partnership"]
    )
    stranger_page.post(content=pdf(), name="theirs.pdf")
    [theirs] = stranger_page.documents()
    # Uploading to their draft from our session: 404, nothing stored.
    response = page.client.post(
        stranger_page.upload_url, {"upload_file": QUESTION, "revision": "1"}
    )
    assert response.status_code == 404
    # Removing their file through our own draft's page: 404, their file stays.
    assert page.post(remove_file=str(theirs.pk)).status_code == 404
    assert page.post(remove_file="not-a-uuid").status_code == 404
    assert stranger_page.documents() == [theirs]
    # Downloading it: 404.
    url = reverse("documents:download", args=[theirs.pk])
    assert page.client.get(url).status_code == 404


def test_either_the_upload_or_the_text_answers_the_question(page):
    response = page.post(**{"continue": "1"})
    html = text_of(response)
    assert html.count("Upload the revised statement of purpose, or type it in the box") == 2
    # (once in the summary, once beside the upload: one error, not two)
    page.post(content=pdf())
    response = page.post(**{"continue": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("/check/")


def test_sending_waits_for_checks_and_the_files_move_to_the_notification(
    document_storage, page, world
):
    """On local disk and on the S3-compatible server (the documents tests' fixture)."""
    page.post(content=pdf(b"The statement"), name="statement.pdf")
    [document] = page.documents()
    Document.objects.filter(pk=document.pk).update(scan_state=ScanState.PENDING)
    html = text_of(page.client.get(page.check_url))
    assert "We are checking your files for viruses" in html
    assert "Send notification" not in html
    response = page.client.post(page.check_url, {"confirmed": "true"})
    assert "‘statement.pdf’ is still being checked for viruses" in text_of(response)
    assert not Notification.objects.exists()
    scan_all(page)
    html = text_of(page.client.get(page.check_url))
    assert "Send notification" in html
    assert "statement.pdf" in html
    assert "Checked" in html
    response = page.client.post(page.check_url, {"confirmed": "true"})
    assert response.status_code == 302
    notification = Notification.objects.get()
    document.refresh_from_db()
    assert (document.owner_kind, document.owner_id) == ("notification", str(notification.pk))
    download = reverse("documents:download", args=[document.pk])
    detail = text_of(
        page.client.get(reverse("notifications:detail", args=[notification.reference]))
    )
    assert f'href="{download}"' in detail
    staff = page.client.__class__()
    staff.force_login(world.staff)
    staff_html = text_of(
        staff.get(reverse("notifications_staff:detail", args=[notification.reference]))
    )
    assert f'href="{download}"' in staff_html
    response = staff.get(download)
    if document_storage.kind == "s3":
        # Object storage serves it: a short-lived signed URL.
        assert response.status_code == 302
        with urllib.request.urlopen(response["Location"], timeout=10) as signed:  # noqa: S310
            assert signed.read() == pdf(b"The statement")
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf(b"The statement")


def test_the_audit_log_leads_from_a_sent_notification_to_its_file_events(page):
    """Files are added to the draft, which has no reference yet: the notification's
    "submitted" event names the draft, so its reference finds who added and removed what."""
    page.post(content=pdf(), name="wrong.pdf")
    [removed] = page.documents()
    page.post(remove_file=str(removed.pk))
    page.post(content=pdf(b"The statement"), name="statement.pdf")
    [kept] = page.documents()
    scan_all(page)
    assert page.client.post(page.check_url, {"confirmed": "true"}).status_code == 302
    notification = Notification.objects.get()
    submitted = AuditEvent.objects.get(
        verb="notifications.submitted", data__reference=notification.reference
    )
    file_events = AuditEvent.objects.filter(
        target_type="notifications.notificationdraft",
        target_id=submitted.data["draft"],
        verb__startswith="notifications.draft_file_",
    ).order_by("occurred_at")
    assert [(event.verb, event.data["document"]) for event in file_events] == [
        ("notifications.draft_file_added", str(removed.pk)),
        ("notifications.draft_file_removed", str(removed.pk)),
        ("notifications.draft_file_added", str(kept.pk)),
    ]


def test_a_file_with_a_virus_is_explained_and_must_be_removed(page, world):
    page.post(content=EICAR, name="eicar.txt", revised_statement="Typed as well")
    scan_all(page)
    [document] = page.documents()
    assert document.scan_state == ScanState.INFECTED
    html = text_of(page.client.get(page.url))
    assert "Contains a virus – remove it" in html
    html = text_of(page.post(**{"continue": "1"}))
    assert "‘eicar.txt’ contains a virus. Remove it from this page" in html
    check = text_of(page.client.get(page.check_url))
    assert "You have not finished" in check
    assert "Send notification" not in check
    assert 'href="/documents/' not in check
    page.post(remove_file=str(document.pk))
    assert "Send notification" in text_of(page.client.get(page.check_url))


def test_a_discarded_drafts_files_disappear(page):
    page.post(content=pdf())
    page.client.post(reverse("notifications:discard", args=[page.draft.pk]))
    assert page.documents() == []
    discarded = AuditEvent.objects.get(verb="documents.discarded")
    assert discarded.data["count"] == 1


def test_a_file_stored_while_its_draft_was_deleted_is_discarded(page, world, monkeypatch):
    """The race: the bytes are stored, then (before the answer is written under the draft's
    lock) a colleague deletes the draft. The late file is discarded, and the page says why."""
    from portal.documents import answer_files
    from portal.notifications import services

    store = answer_files.upload_document

    def stored_then_deleted(**kwargs):
        document = store(**kwargs)
        services.discard_draft(draft_id=page.draft.pk, user=world.manager)
        return document

    monkeypatch.setattr(answer_files, "upload_document", stored_then_deleted)
    html = text_of(page.post(content=pdf(), name="late.pdf"))
    assert "already been sent or deleted, so its files cannot change" in html
    late = Document.objects.get(original_name="late.pdf")
    assert late.deleted_at is not None
