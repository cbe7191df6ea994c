"""The whole journey through the pages (test client, every page's HTML checked): an applicant
with no register role applies to register an organisation with two locations and one
registered manager, who signs her part from the link in her email; the assessor validates,
asks for information, the applicant answers, the assessor grants and puts it into effect;
the applicant, now the nominated individual, sees the provider under "Your registration",
its certificate, and can send a notification."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.applications import completeness
from portal.applications.definitions import CATALOGUE
from portal.applications.definitions.parts import MANAGER_PART
from portal.applications.models import Application
from portal.documents import scanning
from portal.documents.models import Document, ScanState
from portal.emails.models import OutboxMessage
from portal.forms import engine
from portal.forms.vocabulary import FormDefinition
from tests.applications import helpers
from tests.documents.samples import pdf
from tests.support.register_changes import process_register_changes


def _answer_every_page(client, url_of, definition: FormDefinition, answers) -> None:
    for page in engine.visible_pages(definition, answers):
        posted = engine.data_from_answers(page, answers)
        # Every value of a multiple choice (the client would send only the last of each).
        data = {key: posted.getlist(key) for key in posted}
        response = client.post(url_of(page.key), data)
        assert response.status_code == 302, (page.key, response.content.decode()[-3000:])


def _link_in(email: OutboxMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", email.body)
    assert found, email.body
    return found.group(1)


@pytest.mark.django_db
def test_apply_sign_assess_grant_and_act_for_the_new_provider(client, clamd_socket, settings):
    settings.CLAMD_ADDRESS = clamd_socket
    applicant = helpers.user(email="ada@newcare.example")
    manager = helpers.user(email="maya@newcare.example")
    staff = helpers.assessor()

    client.force_login(applicant)
    response = client.post(reverse("applications:start", args=["new-provider"]))
    application = Application.objects.get(created_by=applicant)
    definition = CATALOGUE.latest("new-provider")
    answers = helpers.new_provider_answers(manager_email=manager.email)
    _answer_every_page(
        client,
        lambda key: reverse("applications:page", args=[application.pk, key]),
        definition,
        answers,
    )
    check = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "Upload your safeguarding policy" in check
    application.refresh_from_db()
    needed = [d for d in completeness.documents_needed(application) if d.question_key]
    by_page: dict[str, dict[str, Any]] = {}
    for document in needed:
        page_key = completeness.page_of(definition, document.question_key)
        by_page.setdefault(page_key, {})[document.question_key] = SimpleUploadedFile(
            f"{document.key}.pdf", pdf(document.name)
        )
    for page_key, uploads in by_page.items():
        page = definition.page(page_key)
        assert page is not None
        data = engine.data_from_answers(page, answers)
        response = client.post(
            reverse("applications_uploads:page", args=[application.pk, page_key]),
            {**{key: data.getlist(key) for key in data}, **uploads, "continue": "1"},
        )
        assert response.status_code == 302, response.content.decode()[-2000:]
    for stored in Document.objects.filter(owner_id=str(application.pk)):
        assert scanning.scan(str(stored.pk)) == ScanState.CLEAN  # the real clamd
    check = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "Upload your" not in check
    assert "Invite Maya Manager (registered manager)" in check
    assert "Sign and send application" not in check
    client.post(reverse("applications:parts", args=[application.pk]))

    invitation = OutboxMessage.objects.get(to=manager.email)
    client.force_login(manager)
    part_url = _link_in(invitation)
    assert client.get(part_url).status_code == 200
    part = application.parts.get()
    _answer_every_page(
        client,
        lambda key: reverse("applications:part_page", args=[part.pk, key]),
        MANAGER_PART,
        helpers.MANAGER_PART_ANSWERS,
    )
    response = client.post(reverse("applications:part_sign", args=[part.pk]), {"confirm": "on"})
    assert response.status_code == 302

    client.force_login(applicant)
    response = client.post(reverse("applications:check", args=[application.pk]), {"confirm": "on"})
    assert response["Location"] == reverse("applications:sent", args=[application.pk])

    client.force_login(staff)
    staff_action = lambda slug: reverse(  # noqa: E731 - a short local name for a URL
        "applications_staff:action", args=[application.pk, slug]
    )
    assert client.post(staff_action("validate")).status_code == 302
    response = client.post(
        staff_action("request-information"), {"body": "Send your fire risk assessment."}
    )
    assert response.status_code == 302

    client.force_login(applicant)
    question = application.messages.get(kind="information_request")
    response = client.post(
        reverse("applications:respond", args=[application.pk, question.pk]),
        {"body": "Attached: the fire risk assessment."},
    )
    assert response.status_code == 302

    client.force_login(staff)
    assert (
        client.post(staff_action("grant"), {"reasons": "Meets the requirements."}).status_code
        == 302
    )
    assert client.post(staff_action("take-effect")).status_code == 302
    application.refresh_from_db()
    assert application.stage == "effective"
    provider_id = application.effect_result["provider_id"]

    # The worker processes the register-change events (as it would, one by one): the
    # applicant's account becomes the nominated individual's.
    process_register_changes()
    client.force_login(applicant)
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Decision in effect" in detail
    registration = client.get(reverse("register:your_registration")).content.decode()
    assert "O&#x27;Brien &amp; Sons Care &lt;Ltd&gt;" in registration or (
        "O&#39;Brien &amp; Sons Care &lt;Ltd&gt;" in registration
    )
    assert provider_id in registration
    certificate = client.get(reverse("register:certificate_pdf", args=[provider_id]))
    assert certificate.status_code == 200
    assert certificate.content.startswith(b"%PDF")
    response = client.get(reverse("notifications:choose_provider"))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert provider_id in response["Location"]
