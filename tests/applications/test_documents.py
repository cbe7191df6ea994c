"""Documents in applications: the statement of purpose and the policies a new provider
uploads (definition v2), what the completeness check says of them, who sees and changes them,
and bad input, replays and races on the upload page."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.applications import completeness
from portal.applications.completeness import APPLICATION_OWNER, blocking_problems
from portal.applications.definitions import CATALOGUE
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import Application
from portal.applications.services import drafts, files
from portal.audit.models import AuditEvent
from portal.documents import scanning
from portal.documents.models import Document, ScanState
from tests.applications import helpers
from tests.documents.samples import eicar_file, pdf
from tests.support.concurrency import run_together
from tests.support.html import page_words


def _draft(applicant=None, *, version: int | None = None) -> Application:
    applicant = applicant or helpers.user()
    definition = (
        CATALOGUE.require("new-provider", version) if version else CATALOGUE.latest("new-provider")
    )
    application = drafts.start_application(user=applicant, definition=definition)
    return helpers.complete(application, helpers.new_provider_answers())


def _upload_url(application: Application, page_key: str = "documents") -> str:
    return reverse("applications_uploads:page", args=[application.pk, page_key])


def _upload(client: Client, application: Application, key: str, name: str, content: bytes):
    return client.post(
        _upload_url(application),
        {"upload_file": key, key: SimpleUploadedFile(name, content), "revision": "0"},
    )


def _documents(application: Application) -> list[Document]:
    return list(
        Document.objects.filter(
            owner_kind=APPLICATION_OWNER, owner_id=str(application.pk), deleted_at__isnull=True
        )
    )


# ---------------------------------------------------------------------------------------
# The completeness check
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_policy_blocks_sending_with_a_link_to_its_page():
    application, applicant, _manager = helpers.new_provider_with_signed_manager()
    safeguarding = Document.objects.get(
        owner_id=str(application.pk), question="policy_safeguarding"
    )
    files.remove_file(
        application_id=application.pk, user=applicant, document_id=str(safeguarding.pk)
    )
    application.refresh_from_db()

    (problem,) = blocking_problems(application)
    assert problem.message == "Upload your safeguarding policy"
    assert problem.href == (
        reverse("applications:page", args=[application.pk, "documents"]) + "?return=check"
    )
    with pytest.raises(ApplicationError) as refused:
        helpers.send(application, applicant)
    assert refused.value.code == ApplicationErrorCode.REFUSED_BY_LIFECYCLE
    assert refused.value.message == (
        "You cannot send this application yet: 1 thing still needs your attention."
    )
    assert Application.objects.get(pk=application.pk).stage == "draft"


@pytest.mark.django_db
def test_the_statement_of_purpose_is_asked_for_on_its_own_page():
    applicant = helpers.user()
    application = _draft(applicant)
    helpers.upload_documents(application, applicant, leave_out=("statement_of_purpose",))
    problems = [p for p in blocking_problems(application) if "Upload" in p.message]
    assert [(p.message, p.href) for p in problems] == [
        (
            "Upload your statement of purpose",
            reverse("applications:page", args=[application.pk, "statement-of-purpose"])
            + "?return=check",
        )
    ]


@pytest.mark.django_db
def test_which_policies_are_needed_follows_the_locations_services():
    application = _draft()
    needed = {d.key for d in completeness.documents_needed(application)}
    assert {"falls_and_moving", "medicines", "safeguarding"} <= needed
    assert "lone_working" not in needed  # care homes only
    application.answers = {**application.answers, "loc_2_service_types": ["domiciliary"]}
    application.save(update_fields=["answers"])
    messages = [p.message for p in blocking_problems(application)]
    assert "Upload your lone working policy" in messages


@pytest.mark.django_db
def test_applications_made_before_uploads_only_say_to_have_the_documents_ready():
    application = _draft(version=1)
    problems = completeness.problems_of(application, with_parts=False)
    notes = [p.message for p in problems if not p.blocking]
    assert (
        "Have your safeguarding policy ready: we will ask for it when we validate the "
        "application" in notes
    )
    assert not any("Upload" in p.message for p in problems)


@pytest.mark.django_db
def test_a_file_still_being_checked_or_infected_stops_sending(clamd_socket, settings):
    settings.CLAMD_ADDRESS = clamd_socket
    applicant = helpers.user()
    application = _draft(applicant)
    helpers.upload_documents(application, applicant, leave_out=("complaints",))
    waiting = files.upload_file(
        application_id=application.pk,
        user=applicant,
        question_key="policy_complaints",
        uploaded_file=SimpleUploadedFile("complaints.pdf", pdf("Complaints")),
    )
    application.refresh_from_db()
    messages = [p.message for p in blocking_problems(application)]
    assert (
        "‘complaints.pdf’ is still being checked for viruses. You can send the application "
        "when the check has finished (usually a few seconds)" in messages
    )

    assert scanning.scan(str(waiting.pk)) == ScanState.CLEAN  # the real clamd
    assert not [p for p in blocking_problems(application) if "complaints" in p.message.lower()]

    infected = files.upload_file(
        application_id=application.pk,
        user=applicant,
        question_key="policy_recruitment",
        uploaded_file=SimpleUploadedFile("recruitment.txt", eicar_file()),
    )
    assert scanning.scan(str(infected.pk)) == ScanState.INFECTED
    application.refresh_from_db()
    messages = [p.message for p in blocking_problems(application)]
    assert "Policies and documents: answer every question on this page" in messages


# ---------------------------------------------------------------------------------------
# The upload page: bad input, replays, races
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_uploading_on_the_page_lists_the_file_and_audits_it():
    applicant = helpers.user()
    application = _draft(applicant)
    client = helpers.signed_in(applicant)
    response = _upload(client, application, "policy_safeguarding", "Safeguarding.pdf", pdf())
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:page", args=[application.pk, "documents"])
    (document,) = _documents(application)
    application.refresh_from_db()
    assert application.answers["policy_safeguarding"] == [str(document.pk)]
    assert AuditEvent.objects.filter(verb="applications.file_added").count() == 1
    page = page_words(client.get(response["Location"]))
    assert "‘Safeguarding.pdf’ has been uploaded" in page
    assert "Safeguarding.pdf" in page
    assert "Being checked" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("", b"", "Select a file to upload"),
        ("policy.pdf", b"", "The selected file is empty"),
        ("policy.pdf", b"<script>alert(1)</script> not a PDF at all", "must be"),
        ("policy.exe", b"MZ\x90\x00" + b"\x00" * 64, "must be"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_lost(name, content, message):
    applicant = helpers.user()
    application = _draft(applicant)
    client = helpers.signed_in(applicant)
    data: dict[str, Any] = {"upload_file": "policy_complaints", "revision": "0"}
    if name:
        data["policy_complaints"] = SimpleUploadedFile(name, content)
    response = client.post(_upload_url(application), data)
    assert response.status_code == 200
    assert message in page_words(response)
    assert _documents(application) == []
    application.refresh_from_db()
    assert application.answers["legal_name"] == "O'Brien & Sons Care <Ltd>"


@pytest.mark.django_db
def test_hostile_file_names_are_cleaned_and_shown_as_text():
    applicant = helpers.user()
    application = _draft(applicant)
    client = helpers.signed_in(applicant)
    hostile = "../../etc/<script>alert(1)</script>'; DROP TABLE documents;--.pdf"
    assert _upload(client, application, "policy_consent", hostile, pdf()).status_code == 302
    (document,) = _documents(application)
    assert "/" not in document.original_name
    body = client.get(_upload_url(application).replace("/uploads", "")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert Document.objects.filter(owner_kind=APPLICATION_OWNER).count() == 1


@pytest.mark.django_db
def test_no_more_than_three_files_for_one_policy():
    applicant = helpers.user()
    application = _draft(applicant)
    client = helpers.signed_in(applicant)
    for n in range(3):
        assert (
            _upload(client, application, "policy_governance", f"g{n}.pdf", pdf(str(n))).status_code
            == 302
        )
    response = _upload(client, application, "policy_governance", "g4.pdf", pdf("4"))
    assert response.status_code == 200
    assert "You can upload up to 3 files here" in page_words(response)
    assert len(_documents(application)) == 3


@pytest.mark.django_db
def test_removing_twice_is_done_once_and_another_applications_file_is_not_found():
    applicant = helpers.user()
    application = _draft(applicant)
    other = _draft()
    client = helpers.signed_in(applicant)
    _upload(client, application, "policy_equality", "equality.pdf", pdf())
    (document,) = _documents(application)
    for _ in range(2):  # a double click
        response = client.post(_upload_url(application), {"remove_file": str(document.pk)})
        assert response.status_code == 302
    assert _documents(application) == []
    assert AuditEvent.objects.filter(verb="applications.file_removed").count() == 1
    with pytest.raises(ApplicationError):
        files.remove_file(application_id=other.pk, user=applicant, document_id=str(document.pk))
    response = client.post(_upload_url(application), {"remove_file": "../not-a-uuid"})
    assert response.status_code == 200
    assert "This application does not exist" in page_words(response)


def _refusal_of_upload(application: Application, user: Any, question_key: str) -> str:
    """The code of the error uploading to `question_key` as `user` raises."""
    with pytest.raises(ApplicationError) as refused:
        files.upload_file(
            application_id=application.pk,
            user=user,
            question_key=question_key,
            uploaded_file=SimpleUploadedFile("late.pdf", pdf()),
        )
    return refused.value.code


@pytest.mark.django_db
def test_only_whoever_prepares_the_application_uploads_and_only_while_it_can_change():
    application, applicant, manager = helpers.new_provider_with_signed_manager()
    assert _refusal_of_upload(application, manager, "policy_complaints") == (
        ApplicationErrorCode.NOT_FOUND
    )
    manager_upload = _upload(
        helpers.signed_in(manager), application, "policy_complaints", "x.pdf", pdf()
    )
    assert manager_upload.status_code == 404
    assert _refusal_of_upload(application, applicant, "legal_name") == (
        ApplicationErrorCode.INVALID
    )
    # Only pages with file questions are served under the upload prefix.
    assert (
        helpers.signed_in(applicant).get(_upload_url(application, "legal-entity")).status_code
        == 404
    )

    helpers.send(application, applicant)
    assert _refusal_of_upload(application, applicant, "policy_complaints") == (
        ApplicationErrorCode.NOT_EDITABLE
    )
    (first,) = [d for d in _documents(application) if d.question == "policy_complaints"]
    with pytest.raises(ApplicationError):
        files.remove_file(application_id=application.pk, user=applicant, document_id=str(first.pk))


@pytest.mark.django_db
def test_deleting_a_draft_takes_its_documents_with_it():
    applicant = helpers.user()
    application = _draft(applicant)
    helpers.upload_documents(application, applicant)
    assert _documents(application)
    drafts.discard_application(application_id=application.pk, user=applicant)
    assert _documents(application) == []


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_both_count():
    applicant = helpers.user()
    application = _draft(applicant)

    def upload(name: str):
        client = helpers.signed_in(applicant)
        return lambda: _upload(client, application, "policy_insurance", name, pdf(name)).status_code

    assert run_together([upload("one.pdf"), upload("two.pdf")]) == [302, 302]
    application.refresh_from_db()
    stored = _documents(application)
    assert sorted(d.original_name for d in stored) == ["one.pdf", "two.pdf"]
    assert sorted(application.answers["policy_insurance"]) == sorted(str(d.pk) for d in stored)


# ---------------------------------------------------------------------------------------
# Who sees them: staff once sent, and only clean files download
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_and_download_the_documents_only_when_checked_clean():
    applicant = helpers.user()
    application = _draft(applicant)
    helpers.upload_documents(application, applicant)
    staff = helpers.signed_in(helpers.assessor())
    outsider = helpers.signed_in(helpers.user())
    clean = Document.objects.get(owner_id=str(application.pk), question="policy_safeguarding")
    download = reverse("documents:download", args=[clean.pk])
    # A draft's documents are the applicant's alone.
    assert staff.get(download).status_code == 404
    assert outsider.get(download).status_code == 404
    assert helpers.signed_in(applicant).get(download).status_code in (200, 302)

    application, applicant, _manager = helpers.new_provider_with_signed_manager()
    helpers.send(application, applicant)
    safeguarding = Document.objects.get(
        owner_id=str(application.pk), question="policy_safeguarding"
    )
    Document.objects.filter(pk=safeguarding.pk).update(scan_state=ScanState.PENDING)
    detail = staff.get(reverse("applications_staff:detail", args=[application.pk]))
    body = detail.content.decode()
    text = page_words(detail)
    assert "safeguarding.pdf" in text
    assert "being checked" in text
    assert reverse("documents:download", args=[safeguarding.pk]) not in body
    complaints = Document.objects.get(owner_id=str(application.pk), question="policy_complaints")
    complaints_download = reverse("documents:download", args=[complaints.pk])
    assert complaints_download in body
    assert "Download complaints.pdf" in text
    assert staff.get(complaints_download).status_code in (200, 302)
    assert outsider.get(complaints_download).status_code == 404
