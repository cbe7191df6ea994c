"""Delivery to a real loopback receiver: signatures, order, retries and backoff, giving up
on refusals, pausing after repeated failures, caps and timeouts, and the sweeper."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.emails.models import OutboxMessage
from portal.webhooks import services
from portal.webhooks.delivery import deliver_endpoint, deliver_next, requeue_overdue, retry_delay
from portal.webhooks.events import EventType
from portal.webhooks.models import Delivery, DeliveryStatus, EndpointStatus, PauseReason
from portal.webhooks.signing import verify
from tests.support.webhook_receiver import Answer
from tests.webhooks.conftest import make_endpoint


def question(number: int) -> dict:
    return {
        "notification": {
            "reference": f"NOT-{number:06d}",
            "type": "death",
            "status": "question_asked",
            "location_id": None,
        },
        "question_id": number,
        "question": f"Question {number}",
        "asked_at": timezone.now().isoformat(),
    }


def emit_questions(hooks, *numbers: int) -> None:
    for number in numbers:
        services.emit(
            provider_id=hooks.provider.pk,
            event_type=EventType.QUESTION_ASKED,
            data=question(number),
        )


def sent_numbers(receiver) -> list[int]:
    return [r.json["data"]["question_id"] for r in receiver.received]


@pytest.mark.django_db
def test_a_delivery_is_signed_and_a_tampered_body_fails_the_check(hooks, endpoint, receiver):
    emit_questions(hooks, 1)
    assert deliver_next(endpoint.pk) == "idle"
    got = receiver.wait_for(1)[0]
    assert got.signed_correctly
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"].startswith("msg_")
    assert abs(int(got.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 30
    assert got.headers["webhook-signature"].startswith("v1,")
    assert got.json["type"] == "notification.question_asked"
    assert got.json["data"]["question"] == "Question 1"
    tampered = got.body.replace(b"Question 1", b"Question 2")
    for body, message_id in [(tampered, got.headers["webhook-id"]), (got.body, "msg_other")]:
        assert not verify(
            receiver.secret,
            message_id=message_id,
            timestamp=got.headers["webhook-timestamp"],
            body=body,
            header=got.headers["webhook-signature"],
        )
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "delivered",
        1,
        204,
    )


@pytest.mark.django_db
def test_only_subscribed_endpoints_get_an_event(hooks, receiver):
    questions_only = make_endpoint(hooks, receiver, events=[EventType.QUESTION_ASKED.value])
    decisions_only = make_endpoint(
        hooks, receiver, url=receiver.url + "/b", events=[EventType.NOTIFICATION_DECIDED.value]
    )
    emit_questions(hooks, 1)
    assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [questions_only.pk]
    assert not Delivery.objects.filter(endpoint=decisions_only).exists()


@pytest.mark.django_db
def test_500_is_retried_with_the_same_id_and_nothing_newer_overtakes_it(hooks, endpoint, receiver):
    receiver.answer(Answer(500, body=b"oops"), Answer(503))
    emit_questions(hooks, 1, 2, 3)
    assert deliver_next(endpoint.pk) == "retry"
    assert deliver_next(endpoint.pk) == "retry"
    assert sent_numbers(receiver) == [1, 1]  # 2 and 3 wait behind 1
    first = Delivery.objects.order_by("sequence")[0]
    assert (first.status, first.attempts, first.last_response_code) == ("pending", 2, 503)
    assert deliver_next(endpoint.pk) == "idle"
    assert sent_numbers(receiver) == [1, 1, 1, 2, 3]
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids)) == 3
    assert all(r.signed_correctly for r in receiver.received)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


@pytest.mark.django_db
def test_a_retry_waits_its_backoff_and_respects_retry_after(hooks, endpoint, receiver, settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 60
    receiver.answer(Answer(429, headers={"Retry-After": "3600"}))
    emit_questions(hooks, 1, 2)
    assert deliver_next(endpoint.pk) == "retry"
    waiting = Delivery.objects.order_by("sequence")[0]
    assert waiting.next_attempt_at >= timezone.now() + dt.timedelta(seconds=3590)
    assert deliver_next(endpoint.pk) == "waiting"
    assert sent_numbers(receiver) == [1]


def test_backoff_doubles_with_jitter_and_is_capped(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 180
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 8 * 3600
    for attempts, base in [(1, 180), (2, 360), (5, 2880)]:
        delays = {retry_delay(attempts).total_seconds() for _ in range(20)}
        assert all(0.75 * base <= delay <= 1.25 * base for delay in delays)
        assert len(delays) > 1  # jitter: retries of many endpoints do not arrive together
    assert retry_delay(30).total_seconds() == 8 * 3600
    assert retry_delay(1, retry_after=900).total_seconds() == 900
    # Ten attempts (nine waits) span about a day before the endpoint is paused.
    nine_waits = sum(min(180 * 2**n, 8 * 3600) for n in range(9))
    assert 18 * 3600 < nine_waits < 30 * 3600


@pytest.mark.django_db
@pytest.mark.parametrize("status", [400, 401, 404, 410, 302])
def test_a_refusal_other_than_408_or_429_is_not_retried(hooks, endpoint, receiver, status):
    receiver.answer(Answer(status, headers={"Location": "https://elsewhere.example/"}))
    emit_questions(hooks, 1, 2)
    assert deliver_next(endpoint.pk) == "idle"
    assert sent_numbers(receiver) == [1, 2]
    first, second = Delivery.objects.order_by("sequence")
    assert (first.status, first.attempts, first.last_response_code) == ("failed", 1, status)
    assert second.status == "delivered"


@pytest.mark.django_db
def test_408_is_retried(hooks, endpoint, receiver):
    receiver.answer(Answer(408))
    emit_questions(hooks, 1)
    assert deliver_next(endpoint.pk) == "retry"
    assert deliver_next(endpoint.pk) == "idle"
    assert sent_numbers(receiver) == [1, 1]


@pytest.mark.django_db
def test_repeated_failures_pause_the_endpoint_and_email_the_managers(
    hooks, endpoint, receiver, settings
):
    settings.WEBHOOKS_PAUSE_AFTER_FAILURES = 3
    receiver.answer(*[Answer(500)] * 5)
    emit_questions(hooks, 1, 2)
    OutboxMessage.objects.all().delete()
    assert [deliver_next(endpoint.pk) for _ in range(3)] == ["retry", "retry", "paused"]
    endpoint.refresh_from_db()
    assert endpoint.status == EndpointStatus.PAUSED
    assert endpoint.pause_reason == PauseReason.FAILURES
    assert deliver_next(endpoint.pk) == "paused"
    assert len(receiver.received) == 3
    mails = OutboxMessage.objects.filter(template="webhooks_endpoint_paused")
    assert {m.to for m in mails} == {hooks.manager.email, hooks.location_manager.email}
    assert "last 3 attempts" in mails[0].body
    # Nothing was lost: resuming sends both events, in order.
    receiver.answers.clear()
    services.resume_endpoint(
        provider_id=hooks.provider.pk, endpoint_id=endpoint.pk, actor=hooks.manager
    )
    assert deliver_next(endpoint.pk) == "idle"
    assert sent_numbers(receiver)[-2:] == [1, 2]


@pytest.mark.django_db
def test_an_unreachable_receiver_is_retried(hooks, receiver):
    endpoint = make_endpoint(hooks, receiver, url="http://127.0.0.1:9/hooks")  # discard port
    emit_questions(hooks, 1)
    assert deliver_next(endpoint.pk) == "retry"
    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.last_response_code is None
    assert "ConnectError" in delivery.last_error


@pytest.mark.django_db
def test_a_slow_receiver_times_out_and_is_retried(hooks, endpoint, receiver, settings):
    settings.WEBHOOKS_TOTAL_TIMEOUT_SECONDS = 1
    receiver.answer(Answer(204, delay=3))
    emit_questions(hooks, 1)
    assert deliver_next(endpoint.pk) == "retry"
    assert "Timeout" in Delivery.objects.get().last_error


@pytest.mark.django_db
def test_only_the_start_of_a_large_answer_is_read(hooks, endpoint, receiver, settings):
    settings.WEBHOOKS_MAX_RESPONSE_BYTES = 1024
    receiver.answer(Answer(500, body=b"x" * 5_000_000))
    emit_questions(hooks, 1)
    assert deliver_next(endpoint.pk) == "retry"
    delivery = Delivery.objects.get()
    assert delivery.last_response_code == 500
    assert len(delivery.last_error) <= 500


@pytest.mark.django_db
def test_after_a_rotation_both_secrets_sign_for_a_while(hooks, endpoint, receiver):
    old = receiver.secret
    rotated = services.rotate_secret(
        provider_id=hooks.provider.pk, endpoint_id=endpoint.pk, shown_version=1, actor=hooks.manager
    )
    emit_questions(hooks, 1)
    deliver_next(endpoint.pk)
    got = receiver.received[0]
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert rotated is not None
    for secret in (old, rotated.secret):
        receiver.secret = secret
        assert verify(
            secret,
            message_id=got.headers["webhook-id"],
            timestamp=got.headers["webhook-timestamp"],
            body=got.body,
            header=got.headers["webhook-signature"],
        )
    endpoint.refresh_from_db()
    endpoint.previous_secret_until = timezone.now() - dt.timedelta(seconds=1)
    endpoint.save()
    emit_questions(hooks, 2)
    deliver_next(endpoint.pk)
    assert len(receiver.received[1].headers["webhook-signature"].split(" ")) == 1


@pytest.mark.django_db
def test_the_sweeper_queues_what_has_no_task(hooks, endpoint, receiver, settings):
    from django_tasks_db.models import DBTaskResult

    emit_questions(hooks, 1)
    DBTaskResult.objects.all().delete()  # as if the task were lost
    assert requeue_overdue() == 0  # not overdue yet
    Delivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(hours=1))
    assert requeue_overdue() == 1
    assert requeue_overdue() == 0  # its task is waiting now
    task = DBTaskResult.objects.get()
    assert task.task_path == deliver_endpoint.module_path
    assert task.args_kwargs["args"] == [str(endpoint.pk)]


@pytest.mark.django_db
def test_a_paused_endpoint_gets_no_task_and_keeps_its_events(hooks, endpoint, receiver):
    services.pause_endpoint(
        provider_id=hooks.provider.pk, endpoint_id=endpoint.pk, actor=hooks.manager
    )
    emit_questions(hooks, 1)
    assert deliver_next(endpoint.pk) == "paused"
    assert receiver.received == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


@pytest.mark.django_db
def test_the_readme_verification_example_accepts_a_real_delivery(hooks, endpoint, receiver):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = readme.split("A receiver checks it like this:\n\n```python\n", 1)[1].split("```")[0]
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    emit_questions(hooks, 1)
    deliver_next(endpoint.pk)
    got = receiver.wait_for(1)[0]
    assert namespace["verify"](receiver.secret, got.headers, got.body)
    assert not namespace["verify"](receiver.secret, got.headers, got.body + b" ")
    old = {**got.headers, "webhook-timestamp": str(int(got.headers["webhook-timestamp"]) - 600)}
    assert not namespace["verify"](receiver.secret, old, got.body)
