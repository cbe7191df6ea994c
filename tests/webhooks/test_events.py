"""Events from the domains, written in their services' transactions: a question asked, a
notification decided, an application's stage changed, and (end to end, through the real
worker) a staff question reaching a loopback receiver, signed."""

import pytest

from portal.applications.services import assessment
from portal.applications.stages import Stage
from portal.notifications import services as notifications
from portal.webhooks import services
from portal.webhooks.delivery import deliver_next
from portal.webhooks.events import SUBSCRIBABLE, EventType
from portal.webhooks.models import Delivery, DeliveryStatus
from tests import factories as f
from tests.applications import helpers
from tests.webhooks.conftest import make_endpoint


def _notification(hooks):
    return f.submit("death", hooks.location_manager, hooks.location)


@pytest.mark.django_db
def test_a_staff_question_becomes_an_event_with_its_text(hooks, endpoint, receiver):
    notification = _notification(hooks)
    message = notifications.ask_question(
        notification_id=notification.pk, staff=hooks.staff, body="Who was on shift?"
    )
    deliver_next(endpoint.pk)
    got = receiver.wait_for(1)[0]
    assert got.signed_correctly
    assert got.json["type"] == "notification.question_asked"
    data = got.json["data"]
    assert data["notification"]["reference"] == notification.reference
    assert data["notification"]["type"] == "death"
    assert data["notification"]["location_id"] == hooks.location.pk
    assert (data["question_id"], data["question"]) == (message.pk, "Who was on shift?")


@pytest.mark.django_db
def test_an_event_rolls_back_with_its_cause(hooks, endpoint):
    notification = _notification(hooks)
    with pytest.raises(Exception, match="staff"):
        notifications.ask_question(
            notification_id=notification.pk, staff=hooks.manager, body="Not staff"
        )
    assert not Delivery.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["close", "mark_reviewed"])
def test_a_decision_becomes_an_event(hooks, endpoint, receiver, action):
    notification = _notification(hooks)
    if action == "close":
        notifications.close(notification_id=notification.pk, staff=hooks.staff, reason="Done")
    else:
        notifications.mark_reviewed(notification_id=notification.pk, staff=hooks.staff)
    deliver_next(endpoint.pk)
    data = receiver.wait_for(1)[0].json["data"]
    assert data["action"] == action
    assert data["notification"]["reference"] == notification.reference
    notification.refresh_from_db()
    assert data["notification"]["status"] == notification.status


@pytest.mark.django_db
def test_application_stage_changes_become_events_in_order(receiver, settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0
    application, signer = helpers.cancel_provider_application()
    assert application.provider_id is not None
    created = services.create_endpoint(
        provider_id=application.provider_id,
        actor=signer,
        url=receiver.url,
        description="",
        events=[EventType.APPLICATION_STAGE_CHANGED.value],
    )
    receiver.secret = created.secret
    helpers.send(application, signer)
    assessment.validate(application_id=application.pk, staff=helpers.assessor())
    deliver_next(created.endpoint.pk)
    got = receiver.wait_for(2)
    stages = [(r.json["data"]["from_stage"], r.json["data"]["to_stage"]) for r in got]
    assert stages == [
        (Stage.DRAFT, Stage.SUBMITTED),
        (Stage.SUBMITTED, Stage.IN_ASSESSMENT),
    ]
    assert got[0].json["data"]["reference"] == application.reference
    assert all(r.signed_correctly for r in got)


@pytest.mark.django_db
def test_an_endpoint_not_subscribed_hears_nothing(hooks, receiver):
    make_endpoint(hooks, receiver, events=[EventType.APPLICATION_STAGE_CHANGED.value])
    notifications.ask_question(
        notification_id=_notification(hooks).pk, staff=hooks.staff, body="Anything?"
    )
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_end_to_end_a_staff_question_reaches_the_receiver_through_the_worker(
    hooks, receiver, workers
):
    endpoint = make_endpoint(hooks, receiver, events=[e.value for e in SUBSCRIBABLE])
    notification = _notification(hooks)
    workers()
    notifications.ask_question(
        notification_id=notification.pk, staff=hooks.staff, body="Please send the rota."
    )
    got = receiver.wait_for(1, timeout=60)[0]
    assert got.signed_correctly
    assert got.json["data"]["question"] == "Please send the rota."
    delivery = Delivery.objects.get(endpoint=endpoint)
    for _ in range(100):
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.DELIVERED:
            break
        __import__("time").sleep(0.1)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert got.headers["webhook-id"] == delivery.webhook_id


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing(hooks, receiver, workers):
    """The receiver holds its answer; the worker dies; the delivery is still pending (its
    transaction rolled back) and another worker sends it again with the same webhook-id."""
    from tests.support.webhook_receiver import Answer

    endpoint = make_endpoint(hooks, receiver)
    receiver.answer(Answer(204, delay=30))
    services.send_test_event(
        provider_id=hooks.provider.pk, endpoint_id=endpoint.pk, actor=hooks.manager
    )
    first = workers()
    receiver.wait_for(1, timeout=60)
    first.kill()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    workers()
    got = receiver.wait_for(2, timeout=60)
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"] == delivery.webhook_id
    for _ in range(100):
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.DELIVERED:
            break
        __import__("time").sleep(0.1)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
