"""Issue 16's "done when", as one journey over real HTTP: a team manager makes an API key
and a webhook endpoint in the browser (axe on every page, the secrets read from the pages
that show them once); care-record software sends a death notification through the API with
an Idempotency-Key (and retries it); the notification is in the provider's history and the
staff case queue just as one sent through the web's service is (reference, receipt email on
loopback SMTP, audit, a case); a member of staff asks a question on the staff page; the real
worker delivers it, signed, to a loopback receiver; the answer sent through the API is in
the thread on the provider's page and the staff page."""

import functools
import re
import uuid

import httpx
import pytest
from django.urls import reverse

from portal.api.models import ApiKey
from portal.audit.models import AuditEvent
from portal.casework.models import Case
from portal.notifications.models import MessageKind, Notification
from portal.notifications.references import reference_for
from portal.webhooks.models import Delivery, DeliveryStatus
from portal.webhooks.signing import verify
from tests.api.conftest import (
    ApiWorld,
    browser_signed_in_recently,
    create_key_on_the_form,
    death_answers,
)
from tests.factories.notifications import submit
from tests.support.browser import assert_accessible, sign_in_with_session
from tests.support.smtp import MailStore, ReceivedMail
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.worker import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = re.compile(r"^NOT-\d{4}-\d{4}$")


def _make_key_in_the_browser(page, live_server, world: ApiWorld) -> str:
    browser_signed_in_recently(page, live_server, world.nominated)
    page.goto(reverse("organisations:team", args=[world.provider.pk]))
    page.get_by_role("link", name="API keys for care-record software").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create an API key").click()
    assert_accessible(page)
    secret = create_key_on_the_form(page, assert_accessible)
    page.reload()
    assert secret not in page.content()  # shown once
    return secret


def _add_endpoint_in_the_browser(page, world: ApiWorld, receiver: WebhookReceiver) -> None:
    page.goto(reverse("webhooks:endpoints", kwargs={"provider_id": world.provider.pk}))
    assert_accessible(page)
    page.get_by_role("button", name="Add an endpoint").click()
    assert_accessible(page)
    page.get_by_label("Endpoint address").fill(receiver.url)
    page.get_by_label("We ask a question about a notification").check()
    page.get_by_role("button", name="Add endpoint").click()
    assert_accessible(page)
    receiver.secret = page.locator("[data-secret]").inner_text().strip()
    assert receiver.secret.startswith("whsec_")


def _receipts(mail: MailStore, address: str, reference: str) -> list[ReceivedMail]:
    return [m for m in mail.to(address) if reference in m.subject]


def _audit_verbs(notification: Notification) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(
            target_type="notifications.notification", target_id=str(notification.pk)
        ).values_list("verb", flat=True)
    )


def test_a_key_made_in_the_browser_sends_a_notification_and_answers_a_staff_question(
    page, live_server, api_world: ApiWorld, receiver, workers, mail
):
    world = api_world
    secret = _make_key_in_the_browser(page, live_server, world)
    _add_endpoint_in_the_browser(page, world, receiver)
    workers()  # the real task worker: emails and webhook deliveries

    # Care-record software sends a death notification, and retries it (a lost answer).
    api = httpx.Client(
        base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {secret}"}
    )
    body = {
        "type": "death",
        "location_id": world.location.pk,
        "answers": death_answers(world.location),
    }
    idempotency_key = str(uuid.uuid4())
    path = f"/providers/{world.provider.pk}/notifications"
    sent = api.post(path, json=body, headers={"Idempotency-Key": idempotency_key})
    assert sent.status_code == 201, sent.text
    retried = api.post(path, json=body, headers={"Idempotency-Key": idempotency_key})
    assert retried.status_code == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json() == sent.json()
    reference = sent.json()["reference"]
    notification = Notification.objects.get()  # one, for the request and its retry
    assert notification.reference == reference == reference_for(notification.pk)
    assert notification.submitted_by == world.nominated

    # The same as one sent through the web's service: reference, receipt, audit, case.
    on_the_web = submit("death", world.nominated, world.location)
    for made in (notification, on_the_web):
        assert REFERENCE.match(made.reference)
        assert Case.objects.filter(reference=made.reference, provider=world.provider).count() == 1
        receipts = wait_until(
            functools.partial(_receipts, mail, world.nominated.email, made.reference),
            timeout=60,
            what=f"the receipt for {made.reference}",
        )
        assert len(receipts) == 1
        assert (
            receipts[0].subject
            == f"Death of a person using the service notification received: {made.reference}"
        )
    assert _audit_verbs(notification) == _audit_verbs(on_the_web) != []
    submitted = AuditEvent.objects.get(
        verb="notifications.submitted", target_id=str(notification.pk)
    )
    key = ApiKey.objects.get()
    assert f"API key {key.name}" in submitted.actor_label

    # In the provider's history, as the web's is.
    page.goto(reverse("notifications:history"))
    assert_accessible(page)
    history = page.content()
    assert reference in history
    assert on_the_web.reference in history

    # In the staff case queue; a member of staff asks a question from the staff pages.
    sign_in_with_session(page, live_server, world.staff)
    page.goto(reverse("casework:all"))
    assert_accessible(page)
    assert page.get_by_role("link", name=reference).count() == 1
    assert page.get_by_role("link", name=on_the_web.reference).count() == 1
    page.goto(reverse("notifications_staff:detail", args=[reference]))
    assert_accessible(page)
    page.get_by_label("What do you need to ask the provider?").fill("Who found them, and when?")
    page.get_by_role("button", name="Ask the provider a question").click()
    assert "Your question has been sent to the provider." in page.content()
    assert_accessible(page)

    # The worker delivers it to the care-record system's receiver, signed.
    got = receiver.wait_for(1, timeout=60)[0]
    assert got.signed_correctly
    assert verify(
        receiver.secret,
        message_id=got.headers["webhook-id"],
        timestamp=got.headers["webhook-timestamp"],
        body=got.body,
        header=got.headers["webhook-signature"],
    )
    assert got.json["type"] == "notification.question_asked"
    data = got.json["data"]
    assert data["notification"]["reference"] == reference
    assert data["question"] == "Who found them, and when?"
    delivery = Delivery.objects.get()
    wait_until(
        lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED,
        what="the delivery marked delivered",
    )

    # The software answers through the API; the answer is in both threads.
    answer_path = f"/notifications/{reference}/questions/{data['question_id']}/answer"
    answer = {"body": "The night nurse found them at 03:10."}
    answered = api.post(answer_path, json=answer, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answered.status_code == 201, answered.text
    assert answered.json()["in_reply_to"] == data["question_id"]
    kinds = [m.kind for m in notification.messages.order_by("created_at", "pk")]
    assert kinds == [MessageKind.QUESTION, MessageKind.ANSWER]
    page.goto(reverse("notifications_staff:detail", args=[reference]))
    assert "The night nurse found them at 03:10." in page.content()
    sign_in_with_session(page, live_server, world.nominated)
    page.goto(reverse("notifications:detail", args=[reference]))
    assert_accessible(page)
    provider_page = page.content()
    assert "Who found them, and when?" in provider_page
    assert "The night nurse found them at 03:10." in provider_page
    api.close()
