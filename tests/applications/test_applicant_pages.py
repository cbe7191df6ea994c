"""The applicant's pages through the test client (every HTML page is checked): starting,
answering with bad input, the completeness check with its links, the people's parts,
signing and sending (twice), and the application's page afterwards."""

import re

import pytest
from django.urls import reverse

from portal.applications.definitions import CATALOGUE
from portal.applications.models import Application, ApplicationPart
from portal.applications.services import assessment, drafts, parts
from portal.applications.stages import Stage
from portal.workflow.models import StatusChange
from tests.applications import helpers
from tests.support.drafts import assert_asks_before_deleting


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def applicant(db):
    return helpers.user(email="applicant@newcare.example")


@pytest.mark.django_db
def test_anyone_signed_in_can_start_a_new_provider_application(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("applications:list"))
    assert response.status_code == 200
    assert "You have no applications in progress" in _text(response)
    response = client.get(reverse("applications:choose_type"))
    assert "Register a new provider" in _text(response)
    # Only the types this person may make: no provider, no change applications.
    assert "Add a location" not in _text(response)
    response = client.post(reverse("applications:start", args=["new-provider"]))
    application = Application.objects.get(created_by=applicant)
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    response = client.get(response["Location"])
    assert "The provider" in _text(response)
    assert "Check your answers and send" in _text(response)
    assert_asks_before_deleting(
        client,
        reverse("applications:discard", args=[application.pk]),
        title="Are you sure you want to delete this draft application?",
        keep=reverse("applications:detail", args=[application.pk]),
    )


@pytest.mark.django_db
def test_a_change_application_type_is_not_offered_without_a_provider(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("applications:start", args=["add-location"])).status_code == 404
    assert client.get(reverse("applications:start", args=["no-such-type"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Enter the legal name of the organisation"),
        ({"legal_name": "x" * 201}, "must be 200 characters or fewer"),
        ({"legal_name": "Care\x00Co"}, "must not contain invisible control characters"),
    ],
)
def test_bad_answers_get_specific_errors_and_lose_nothing(client, applicant, posted, message):
    client.force_login(applicant)
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    helpers.complete(application, {"entity_type": "organisation"})
    url = reverse("applications:page", args=[application.pk, "organisation"])
    response = client.post(url, {"charity_number": "1234567", **posted})
    assert response.status_code == 200
    assert message in _text(response)
    assert "Error:" in _text(response)
    application.refresh_from_db()
    assert application.answers.get("charity_number") == "1234567"  # kept, valid on its own


@pytest.mark.django_db
def test_hostile_text_is_stored_as_text_and_shown_escaped(client, applicant):
    client.force_login(applicant)
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    helpers.complete(application, {"entity_type": "organisation"})
    hostile = "<script>alert(1)</script>'; DROP TABLE applications_application;--"
    url = reverse("applications:page", args=[application.pk, "organisation"])
    client.post(url, {"legal_name": hostile})
    application.refresh_from_db()
    assert application.answers["legal_name"] == hostile
    page = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert Application.objects.filter(pk=application.pk).exists()


@pytest.mark.django_db
def test_the_check_page_lists_what_is_missing_each_linked_to_where_to_fix_it(client, applicant):
    client.force_login(applicant)
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    answers = helpers.new_provider_answers()
    del answers["finance_firm"]
    answers["location_count"] = "3"
    helpers.complete(application, answers)
    response = client.get(reverse("applications:check", args=[application.pk]))
    body = response.content.decode()
    fix = reverse("applications:page", args=[application.pk, "financial-viability"])
    assert f'href="{fix}?return=check"' in body
    assert "Financial viability: answer every question on this page" in _text(response)
    assert "Location 3: address and places: answer every question on this page" in _text(response)
    assert "Invite Maya Manager (registered manager)" in _text(response)
    documents = reverse("applications:page", args=[application.pk, "documents"])
    assert f'href="{documents}?return=check"' in body
    assert "Upload your safeguarding policy" in _text(response)
    assert "Sign and send application" not in _text(response)


@pytest.mark.django_db
def test_the_manager_completes_and_signs_their_part_through_the_pages(client, applicant):
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    helpers.complete(application, helpers.new_provider_answers())
    helpers.upload_documents(application, applicant)
    client.force_login(applicant)
    response = client.post(reverse("applications:parts", args=[application.pk]))
    assert response.status_code == 302
    part = ApplicationPart.objects.get(application=application)

    stranger = helpers.user(email="not.the.manager@care.example")
    client.force_login(stranger)
    response = client.get(reverse("applications:part", args=[part.pk]))
    assert response.status_code == 403
    assert "Sign in with that account" in _text(response)

    manager = helpers.user(email="manager@care.example")
    client.force_login(manager)
    assert client.get(reverse("applications:part", args=[part.pk])).status_code == 200
    pages = {
        "identity": {
            "full_name": "Maya Manager",
            "date_of_birth-day": "27",
            "date_of_birth-month": "3",
            "date_of_birth-year": "1980",
            "phone": "0113 496 0002",
            "home_postcode": "ls2 7hy",
        },
        "fitness": {"medically_fit": "yes"},
        "dbs": {
            "dbs_number": "001234567890",
            "dbs_issued_on-day": "1",
            "dbs_issued_on-month": "1",
            "dbs_issued_on-year": "2020",
        },
        "history": {"qualifications": "Level 5", "employment_history": "Deputy manager"},
        "referee": {"referee_name": "Rae Referee", "referee_email": "rae@previous.example"},
    }
    for key, data in pages.items():
        response = client.post(reverse("applications:part_page", args=[part.pk, key]), data)
        assert response.status_code == 302, (key, _text(response))
    response = client.get(reverse("applications:part_sign", args=[part.pk]))
    assert "Your DBS certificate is more than 12 months old" in _text(response)
    fresh = helpers.past(10).split("-")
    client.post(
        reverse("applications:part_page", args=[part.pk, "dbs"]),
        {
            "dbs_number": "001234567890",
            "dbs_issued_on-day": fresh[2],
            "dbs_issued_on-month": fresh[1],
            "dbs_issued_on-year": fresh[0],
        },
    )
    response = client.post(reverse("applications:part_sign", args=[part.pk]), {})
    assert "Confirm the declaration to sign your part" in _text(response)
    response = client.post(reverse("applications:part_sign", args=[part.pk]), {"confirm": "on"})
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == "submitted"

    client.force_login(applicant)
    response = client.get(reverse("applications:check", args=[application.pk]))
    assert "Sign and send application" in _text(response)
    for _ in range(2):
        response = client.post(
            reverse("applications:check", args=[application.pk]), {"confirm": "on"}
        )
        assert response["Location"] == reverse("applications:sent", args=[application.pk])
    assert StatusChange.objects.filter(subject_id=str(application.pk), action="submit").count() == 1
    response = client.get(reverse("applications:sent", args=[application.pk]))
    assert application.reference in _text(response)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    text = _text(response)
    assert "Sent: waiting for validation" in text
    assert "Us to check it is complete" in text
    assert "10 weeks after validation" in text


@pytest.mark.django_db
def test_the_applicant_answers_a_request_for_information_and_the_clock_restarts(client):
    application, applicant, _manager = helpers.new_provider_with_signed_manager()

    staff = helpers.send_and_validate(application, applicant)
    application.refresh_from_db()
    due_before = application.decision_due_on
    assert due_before is not None
    question = assessment.request_information(
        application_id=application.pk, staff=staff, body="Send your fire risk assessment."
    )
    application.refresh_from_db()
    assert application.stage == Stage.AWAITING_APPLICANT
    assert application.decision_due_on is None

    client.force_login(applicant)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    text = _text(response)
    assert "Send your fire risk assessment." in text
    assert "The clock is stopped until you answer" in text
    url = reverse("applications:respond", args=[application.pk, question.pk])
    response = client.post(url, {"body": ""})
    assert "Enter your answer" in _text(response)
    response = client.post(url, {"body": "x" * 10_001})
    assert "must be 10,000 characters or fewer" in _text(response)
    response = client.post(url, {"body": "Attached: assessment dated today."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.IN_ASSESSMENT
    assert application.decision_due_on is not None
    assert application.decision_due_on >= due_before
    response = client.post(url, {"body": "again"})
    assert response.status_code == 302  # answered already: told so, nothing written twice


@pytest.mark.django_db
def test_pages_of_someone_elses_application_do_not_exist(client, applicant):
    application, _signer = helpers.cancel_provider_application()
    client.force_login(applicant)
    for name in ("detail", "check", "parts", "withdraw", "representations"):
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 404
    part_id = "00000000-0000-0000-0000-000000000001"
    assert client.get(reverse("applications:part", args=[part_id])).status_code == 404
    assert client.get("/applications/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_withdrawing_before_a_proposal(client):
    application, signer = helpers.cancel_provider_application()
    helpers.send(application, signer)
    client.force_login(signer)
    url = reverse("applications:withdraw", args=[application.pk])
    response = client.post(url, {"reason": "Changed our minds"})
    assert "Confirm that you want to withdraw the application" in _text(response)
    response = client.post(url, {"reason": "Changed our minds", "confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    parts_left = parts.ApplicationPart.objects.filter(application=application).count()
    assert parts_left == 0
