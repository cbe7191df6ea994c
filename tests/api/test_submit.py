"""Sending a notification through the API: the same service as the web (reference, receipt,
audit), idempotent retries, and every refusal as a problem document with its code."""

import uuid

import pytest

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.forms.models import DraftStatus
from portal.notifications.models import Notification
from tests.api.conftest import Api, death_answers, make_key, submission
from tests.support.concurrency import run_copies


@pytest.mark.django_db
def test_a_key_sends_a_death_notification_like_the_web(api_world):
    api = Api(make_key(api_world.nominated, api_world.provider))
    response = api.post(
        f"/providers/{api_world.provider.pk}/notifications", submission(api_world.location)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    notification = Notification.objects.get()
    assert body["reference"] == notification.reference
    assert body["submitted_at"].endswith("Z")
    assert notification.submitted_by == api_world.nominated
    assert OutboxMessage.objects.filter(template="notification_receipt").exists()
    submitted = AuditEvent.objects.get(verb="notifications.submitted")
    assert "API key Care records" in submitted.actor_label
    listed = api.get(f"/providers/{api_world.provider.pk}/notifications").json()
    assert [item["reference"] for item in listed["items"]] == [notification.reference]


@pytest.mark.django_db
def test_the_sent_draft_and_its_audit_trail_are_the_webs_three_steps(api_world):
    """One write of the draft, already sent, leaves what start, save "all" and send leave."""
    api = Api(make_key(api_world.nominated, api_world.provider))
    path = f"/providers/{api_world.provider.pk}/notifications"
    assert api.post(path, submission(api_world.location)).status_code == 201
    notification = Notification.objects.select_related("draft").get()
    draft = notification.draft
    assert draft is not None
    assert draft.status == DraftStatus.SUBMITTED
    assert (draft.revision, draft.completed_pages) == (2, ["all"])
    assert draft.answers == notification.answers
    assert (draft.created_by, draft.last_edited_by) == (api_world.nominated,) * 2
    events = AuditEvent.objects.filter(verb__startswith="notifications.").order_by("occurred_at")
    assert [(event.verb, event.target_id) for event in events] == [
        ("notifications.draft_started", str(draft.pk)),
        ("notifications.draft_saved", str(draft.pk)),
        ("notifications.submitted", str(notification.pk)),
    ]
    assert events[1].data == {"page": "all", "complete": True, "revision": 2}


@pytest.mark.django_db
def test_a_retry_gets_the_first_answer_and_a_changed_body_its_own_code(api_world):
    api = Api(make_key(api_world.nominated, api_world.provider))
    path = f"/providers/{api_world.provider.pk}/notifications"
    body = submission(api_world.location)
    key = str(uuid.uuid4())
    first = api.post(path, body, key)
    again = api.post(path, body, key)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert again["Idempotent-Replayed"] == "true"
    assert Notification.objects.count() == 1
    changed = api.post(path, {**body, "declaration_confirmed": True}, key)
    assert changed.status_code == 422
    assert changed["Content-Type"] == "application/problem+json"
    assert changed.json()["code"] == "api.idempotency_key_reused"
    missing = api.post(path, body, None)
    assert missing.status_code == 400
    assert missing.json()["code"] == "api.idempotency_key_missing"
    hostile = api.post(path, body, "a b\x00")
    assert hostile.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_idempotency_key_make_one_notification(api_world):
    secret = make_key(api_world.nominated, api_world.provider)
    path = f"/providers/{api_world.provider.pk}/notifications"
    body = submission(api_world.location)
    key = str(uuid.uuid4())

    def send():
        response = Api(secret).post(path, body, key)
        return response.status_code, response.json()["reference"]

    results = run_copies(send, 4)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert {status for status, _ in results} == {201}
    assert len({reference for _, reference in results}) == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_validation_names_each_answer_at_fault(api_world):
    api = Api(make_key(api_world.nominated, api_world.provider))
    answers = death_answers(api_world.location)
    date_key = next(
        k for k, v in answers.items() if isinstance(v, str) and v[:2] == "20" and "-" in v
    )
    answers[date_key] = "not a date"
    answers["no_such_question"] = "x"
    response = api.post(
        f"/providers/{api_world.provider.pk}/notifications/validate",
        {"type": "death", "location_id": api_world.location.pk, "answers": answers},
    )
    assert response.status_code == 200
    keys = {error["key"] for error in response.json()["errors"]}
    assert {date_key, "no_such_question"} <= keys
    sent = api.post(
        f"/providers/{api_world.provider.pk}/notifications",
        {"type": "death", "location_id": api_world.location.pk, "answers": answers},
    )
    assert sent.status_code == 422
    assert sent.json()["code"] == "api.answers_invalid"
    assert Notification.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"type": "", "answers": {}},
        {"type": "death", "answers": "not an object"},
        {"type": "x" * 61, "answers": {}},
        {"type": "death", "version": "one", "answers": {}},
        {"type": "death", "answers": {}, "extra": 1},
        {"type": "<script>alert(1)</script>", "answers": {}},
        {"type": "death' OR 1=1 --", "answers": {}},
        {"type": "../../etc/passwd", "answers": {}},
    ],
)
def test_bad_bodies_get_a_problem_with_a_code(api_world, body):
    api = Api(make_key(api_world.nominated, api_world.provider))
    response = api.post(f"/providers/{api_world.provider.pk}/notifications", body)
    assert response.status_code in (400, 404, 422), response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"]
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_broken_json_and_oversized_bodies_are_refused(api_world, settings):
    api = Api(make_key(api_world.nominated, api_world.provider))
    path = f"/providers/{api_world.provider.pk}/notifications"
    assert api.post(path, b"{not json").status_code in (400, 422)
    big = submission(api_world.location)
    big["answers"]["padding"] = "x" * (settings.API_MAX_BODY_BYTES + 1)
    too_large = api.post(path, big)
    assert too_large.status_code == 413
    assert too_large["Content-Type"] == "application/problem+json"
    assert too_large.json()["code"] == "api.body_too_large"


# Statements, savepoints included (tests run inside a transaction). A submission writes
# its draft once, already sent (services.send_checked); a replay only finds the key and the
# stored answer.
SUBMIT_QUERIES = 23
REPLAY_QUERIES = 6


@pytest.mark.django_db
def test_a_replay_costs_a_few_statements_whatever_the_submission_cost(
    api_world, django_assert_max_num_queries
):
    api = Api(make_key(api_world.nominated, api_world.provider))
    path = f"/providers/{api_world.provider.pk}/notifications"
    api.post(path, submission(api_world.location))  # first use: nothing left to warm
    key = str(uuid.uuid4())
    body = submission(api_world.location)
    with django_assert_max_num_queries(SUBMIT_QUERIES):
        assert api.post(path, body, key).status_code == 201
    with django_assert_max_num_queries(REPLAY_QUERIES):
        replayed = api.post(path, body, key)
    assert replayed["Idempotent-Replayed"] == "true"
