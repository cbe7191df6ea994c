"""The journey of issue 14's "Done when", in a real browser with the keyboard alone and axe on
every page: a new applicant signs up, applies to register an organisation with two locations
and one registered manager, who signs her part from the link in her email; the completeness
check catches the missing policies, which are uploaded (and scanned by the real clamd); staff
validate, ask for information, the applicant answers, staff grant and put it into effect; the
applicant, now the nominated individual, sees the provider under "Your registration",
downloads its certificate and sends a notification."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.applications import completeness
from portal.applications.definitions import CATALOGUE
from portal.applications.definitions.parts import MANAGER_PART
from portal.applications.models import Application
from portal.documents import scanning
from portal.documents.models import Document, ScanState
from portal.notifications.catalogue import CATALOGUE as NOTIFICATIONS
from portal.notifications.models import Notification
from portal.notifications.samples import valid_answer
from tests.accounts.conftest import PASSWORD, code_in, deliver_pending, totp_now
from tests.applications import helpers
from tests.applications import keyboard as k
from tests.documents.samples import pdf
from tests.support.browser import assert_accessible, sign_in_with_session
from tests.support.register_changes import process_register_changes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = "ada@newcare.example"
MANAGER = "maya@newcare.example"
APPLICATION_PAGE = re.compile(r"/applications/[0-9a-f-]{36}/(?P<key>[a-z0-9-]+)/$")
PART_PAGE = re.compile(r"/applications/parts/[0-9a-f-]{36}/(?P<key>[a-z0-9-]+)/$")
NOTIFICATION_PAGE = re.compile(r"/notifications/drafts/[0-9a-f-]{36}/(?P<key>[a-z0-9-]+)/$")
CHECK = re.compile(r"/check/$")


def _accessible(page: Any) -> None:
    assert_accessible(page)


def _link_in_mail(mail: Any, address: str) -> str:
    deliver_pending()
    body = mail.wait_for(address)[-1].body
    found = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert found, body
    return found.group(1)


def _sign_up(page: Any, mail: Any) -> User:
    page.goto("/sign-up/")
    _accessible(page)
    k.type_text(page, page.get_by_label("What is your email address?"), APPLICANT)
    k.activate_and_wait(page, "Continue")
    deliver_pending()
    code = code_in(mail.wait_for(APPLICANT)[-1].body)
    k.type_text(page, page.get_by_label("Enter the 6-digit code"), code)
    k.activate_and_wait(page, "Continue")
    _accessible(page)
    k.type_text(page, page.locator("[name=full_name]"), "Ada O'Brien")
    k.type_text(page, page.locator("[name=password]"), PASSWORD)
    k.activate_and_wait(page, "Continue")
    user = User.objects.get(email=APPLICANT)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    _accessible(page)
    k.type_text(page, page.locator("[name=code]"), totp_now(device.key))
    k.activate_and_wait(page, "Continue")
    _accessible(page)
    k.activate_and_wait(page, "I have saved my recovery codes")
    assert "Account created" in page.content()
    return user


def _apply(page: Any) -> Application:
    page.goto(reverse("applications:list"))
    _accessible(page)
    k.activate_and_wait(page, "Start an application")
    k.choose_labelled(page, CATALOGUE.latest("new-provider").name)
    k.activate_and_wait(page, "Continue")
    _accessible(page)
    k.activate_and_wait(page, "Start application")
    application = Application.objects.get(created_by__email=APPLICANT)
    answers = helpers.new_provider_answers(manager_email=MANAGER)
    seen: set[str] = set()

    def each_page(current: Any) -> None:
        key = current.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        if key not in seen:  # axe on every page, once
            seen.add(key)
            _accessible(current)

    k.walk_pages(
        page,
        CATALOGUE.latest("new-provider"),
        answers,
        APPLICATION_PAGE,
        until=CHECK,
        on_page=each_page,
    )
    return application


def _upload_what_is_missing(page: Any, application: Application, folder: Path) -> None:
    """From the check page: each "Upload your ..." link, its files, then back to check."""
    application.refresh_from_db()
    definition = completeness.definition_of(application)
    for needed in completeness.documents_needed(application):
        link = page.get_by_role("link", name=f"Upload your {needed.name[0].lower()}")
        if not link.count():
            continue  # uploaded already, on a page with another
        page_key = completeness.page_of(definition, needed.question_key)
        with page.expect_navigation():
            k.press(page, link.first)
        for other in completeness.documents_needed(application):
            if completeness.page_of(definition, other.question_key) == page_key:
                k.upload(page, folder, other.question_key, f"{other.key}.pdf", pdf(other.name))
        _accessible(page)
        for document in Document.objects.filter(
            owner_id=str(application.pk), scan_state=ScanState.PENDING
        ):
            assert scanning.scan(str(document.pk)) == ScanState.CLEAN  # the real clamd
        k.activate_and_wait(page, "Save and continue")
        assert CHECK.search(page.url.split("?")[0]), page.url


def _manager_signs_her_part(page: Any, live_server: Any, mail: Any) -> None:
    manager = helpers.user(email=MANAGER)
    link = _link_in_mail(mail, MANAGER)
    sign_in_with_session(page, live_server, manager)
    page.goto(link)
    _accessible(page)
    k.walk_pages(
        page,
        MANAGER_PART,
        helpers.MANAGER_PART_ANSWERS,
        PART_PAGE,
        until=re.compile(r"/sign/$"),
        on_page=_accessible,
    )
    _accessible(page)
    assert page.locator("input[name=confirm]").count(), page.locator("main").inner_text()
    k.tick(page, page.locator("input[name=confirm]"))
    k.activate_and_wait(page, "Sign your part")
    assert "Signed" in page.content()


def _staff_action(page: Any, title: str, button: str, fields: dict[str, str]) -> None:
    k.activate_and_wait(page, title, link=True)
    _accessible(page)
    for name, text in fields.items():
        k.type_text(page, page.locator(f"[name={name}]"), text)
    k.activate_and_wait(page, button)
    assert page.locator(".govuk-notification-banner").count(), page.content()[-2000:]
    _accessible(page)


def _send_a_notification(page: Any, provider_id: str) -> Notification:
    definition = NOTIFICATIONS.current("liquidator")
    assert definition is not None
    page.goto(reverse("notifications:history"))
    _accessible(page)
    k.activate_and_wait(page, "Send a notification")
    for _ in range(4):  # the choices before the form: provider, what about, which type
        if page.get_by_label(definition.name, exact=True).count():
            break
        if page.get_by_label("The provider as a whole", exact=True).count():
            k.choose_labelled(page, "The provider as a whole")
        _accessible(page)
        k.activate_and_wait(page, "Continue")
    k.choose_labelled(page, definition.name)
    k.activate_and_wait(page, "Continue")
    _accessible(page)
    k.activate_and_wait(page, "Start now")
    context = completeness.engine.EngineContext()
    answers = {
        q.key: valid_answer(q, context)
        for q in definition.questions()
        if valid_answer(q, context) is not None
    }
    k.walk_pages(page, definition, answers, NOTIFICATION_PAGE, until=CHECK, on_page=_accessible)
    _accessible(page)
    k.tick(page, page.get_by_role("checkbox", name=re.compile("^I confirm")))
    k.activate_and_wait(page, "Send notification")
    notification = Notification.objects.get(provider_id=provider_id)
    assert notification.reference in page.locator(".govuk-panel").inner_text()
    return notification


def test_from_sign_up_to_the_first_notification_with_the_keyboard_alone(
    page, live_server, mail, clamd_socket, settings, tmp_path
):
    settings.CLAMD_ADDRESS = clamd_socket
    applicant = _sign_up(page, mail)
    application = _apply(page)

    # The completeness check names what is missing, each linked to where to fix it.
    _accessible(page)
    main = page.locator("main").inner_text()
    assert "Upload your safeguarding policy" in main
    assert "Upload your statement of purpose" in main
    assert "Invite Maya Manager (registered manager)" in main
    assert not page.get_by_role("button", name="Sign and send application").count()
    _upload_what_is_missing(page, application, tmp_path)
    assert "Upload your" not in page.locator("main").inner_text()

    k.activate_and_wait(
        page, "Invite Maya Manager (registered manager) to complete and sign their part", link=True
    )
    _accessible(page)
    k.activate_and_wait(page, "Send invitations")
    _manager_signs_her_part(page, live_server, mail)

    sign_in_with_session(page, live_server, applicant)
    page.goto(reverse("applications:check", args=[application.pk]))
    _accessible(page)
    k.tick(page, page.locator("input[name=confirm]"))
    k.activate_and_wait(page, "Sign and send application")
    assert application.reference in page.content()
    _accessible(page)

    staff = helpers.assessor()
    sign_in_with_session(page, live_server, staff)
    page.goto(reverse("applications_staff:detail", args=[application.pk]))
    _accessible(page)
    assert "To validate" in page.content()
    # The documents, checked clean, download from the staff page.
    with page.expect_download() as downloading:
        k.press(page, page.get_by_role("link", name="Download safeguarding.pdf"))
    saved = tmp_path / "downloaded.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes() == pdf("Safeguarding policy")
    _staff_action(page, "Validate the application", "Validate", {})
    _staff_action(
        page,
        "Ask the applicant for information",
        "Send the request",
        {"body": "Send your fire risk assessment for Riverside House 1."},
    )

    sign_in_with_session(page, live_server, applicant)
    page.goto(reverse("applications:detail", args=[application.pk]))
    _accessible(page)
    assert "Waiting for information from you" in page.content()
    k.activate_and_wait(page, "Answer this request", link=True)
    _accessible(page)
    k.type_text(page, page.locator("[name=body]"), "It is done: the assessment is dated May.")
    k.activate_and_wait(page, "Send answer")
    _accessible(page)

    sign_in_with_session(page, live_server, staff)
    page.goto(reverse("applications_staff:detail", args=[application.pk]))
    _staff_action(
        page,
        "Grant the application",
        "Grant and serve the notice of decision",
        {"reasons": "The provider meets the requirements."},
    )
    _staff_action(page, "Put the decision into effect on the register", "Change the register", {})
    application.refresh_from_db()
    assert application.stage == "effective"
    provider_id = application.effect_result["provider_id"]
    # The worker processes the register-change events: the applicant becomes the NI.
    process_register_changes()

    sign_in_with_session(page, live_server, applicant)
    page.goto(reverse("register:your_registration"))
    _accessible(page)
    assert provider_id in page.content()
    k.activate_and_wait(page, "Certificate of registration", link=True)
    _accessible(page)
    with page.expect_download() as certificate:
        k.press(page, page.get_by_role("link", name=re.compile("Download the certificate")))
    pdf_path = tmp_path / "certificate.pdf"
    certificate.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    _send_a_notification(page, provider_id)
