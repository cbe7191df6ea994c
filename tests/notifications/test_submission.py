"""Submitting: one notification however often it is sent, a receipt by email, and the back
button after sending shows what was sent."""

import pytest
from django.urls import reverse

from portal.emails.models import OutboxMessage
from portal.emails.services import deliver
from portal.errors import ServiceError
from portal.notifications import services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification, NotificationDraft
from tests.factories.notifications import answer_every_question, submit
from tests.support.concurrency import run_copies


def _complete_draft(user, location, slug="serious-injury"):
    definition = CATALOGUE.require(slug)
    draft = services.start_draft(
        user=user, provider=location.provider, location=location, definition=definition
    )
    return answer_every_question(draft, user)


@pytest.mark.django_db
def test_double_click_retry_and_back_button_create_one_notification(client, world):
    location = world.locations["Organisation"]
    draft = _complete_draft(world.manager, location)
    client.force_login(world.manager)
    check_url = reverse("notifications:check", args=[draft.pk])
    first = client.post(check_url)
    second = client.post(check_url)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Notification.objects.filter(draft=draft).count() == 1
    # The back button: the check page and any question page now lead to what was sent.
    assert client.get(check_url)["Location"] == first["Location"]
    back = client.get(reverse("notifications:draft_page", args=[draft.pk, "when"]))
    assert back["Location"] == first["Location"]
    assert OutboxMessage.objects.filter(template="notification_receipt").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_draft_make_one_notification(world):
    location = world.locations["Organisation"]
    draft = _complete_draft(world.manager, location)

    def send():
        return services.submit_draft(
            draft_id=draft.pk, user=world.manager, declaration_confirmed=False
        ).reference

    results = run_copies(send, 4)
    assert not [result for result in results if isinstance(result, BaseException)], results
    assert len(set(results)) == 1
    assert len(results) == 4
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_receipt_email_arrives_with_the_reference(world, mail):
    location = world.locations["Organisation"]
    draft = _complete_draft(world.manager, location)
    notification = services.submit_draft(
        draft_id=draft.pk, user=world.manager, declaration_confirmed=False
    )
    message = OutboxMessage.objects.get(template="notification_receipt")
    deliver(str(message.id))
    received = mail.wait_for(world.manager.email)[0]
    text = received.subject + received.body
    assert notification.reference in text
    assert "Serious injury to a person using the service" in text


@pytest.mark.django_db
def test_the_contact_the_sender_names_gets_the_provider_emails_too(world):
    location = world.locations["Organisation"]
    notification = submit(
        "serious-injury",
        world.manager,
        location,
        contact_is_submitter="no",
        contact_email="Deputy.Head@Provider.example",
    )
    services.ask_question(notification_id=notification.pk, staff=world.staff, body="Which ward?")
    for template in ("notification_receipt", "notification_question"):
        sent = OutboxMessage.objects.filter(template=template)
        assert sorted(m.to for m in sent) == sorted(
            [world.manager.email, "deputy.head@provider.example"]
        )
        assert all(notification.reference in m.subject + m.body for m in sent)


@pytest.mark.django_db
def test_incomplete_draft_and_missing_declaration_are_refused(client, world):
    location = world.locations["Organisation"]
    definition = CATALOGUE.require("death")
    draft = services.start_draft(
        user=world.manager, provider=location.provider, location=location, definition=definition
    )
    with pytest.raises(ServiceError, match="Answer every question"):
        services.submit_draft(draft_id=draft.pk, user=world.manager, declaration_confirmed=False)
    client.force_login(world.manager)
    html = client.get(reverse("notifications:check", args=[draft.pk])).content.decode()
    assert "You have not finished" in html
    assert "Send notification" not in html
    manager_change = _complete_draft(world.manager, location, slug="registered-manager-changes")
    response = client.post(reverse("notifications:check", args=[manager_change.pk]))
    assert "Confirm the declaration to send the notification" in response.content.decode()
    assert not Notification.objects.exists()
    assert NotificationDraft.objects.get(pk=manager_change.pk).status == "open"
