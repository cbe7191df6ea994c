"""Updates through the API: new information in words, or a structured update (a follow-up
the type lists) whose answers are checked by the web's own forms, with the JSON Schema of its
answers in the catalogue, every error against its answer's key, nothing kept from a refused
update, and replays."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from portal.forms.vocabulary import LONG_TEXT_MAX
from portal.notifications.models import MessageKind, NotificationMessage
from tests.api.conftest import Api, make_key
from tests.factories.notifications import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def absence(api_world):
    """A sent "absence" notification: it takes a structured "return" update."""
    return submit("absence", api_world.nominated, api_world.location)


@pytest.fixture
def api(api_world):
    return Api(make_key(api_world.nominated, api_world.provider))


def _yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def _updates(notification) -> list[NotificationMessage]:
    return list(NotificationMessage.objects.filter(notification=notification))


def test_a_structured_update_is_checked_and_kept_as_on_the_web(api, absence):
    assert absence.next_due_label == "Tell us the person has returned"
    path = f"/notifications/{absence.reference}/updates"
    body = {"follow_up": "return", "answers": {"returned_on": _yesterday()}}
    sent = api.post(path, body)
    assert sent.status_code == 201, sent.content
    assert sent.json()["follow_up"] == "return"
    assert sent.json()["answers"] == {"returned_on": _yesterday()}
    assert sent.json()["body"] == ""
    message = NotificationMessage.objects.get(pk=sent.json()["id"])
    assert (message.kind, message.follow_up_key) == (MessageKind.UPDATE, "return")
    assert message.answers == {"returned_on": _yesterday()}
    absence.refresh_from_db()
    assert absence.next_due_label == ""  # the update owed is no longer owed
    thread = api.get(f"/notifications/{absence.reference}").json()["thread"]
    assert thread[-1]["answers"] == {"returned_on": _yesterday()}


def test_the_catalogue_publishes_each_structured_update_as_json_schema(api):
    summary = next(t for t in api.get("/types").json() if t["type"] == "absence")
    assert summary["follow_ups"] == ["return"]
    schema = api.get("/types/absence/versions/1/follow-ups/return/schema")
    assert schema.status_code == 200
    schema = schema.json()
    assert schema["$id"] == "urn:notification:absence:v1:follow-up:return"
    assert schema["required"] == ["returned_on"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["returned_on"]["format"] == "date"
    assert schema["properties"]["return_notes"]["maxLength"] == LONG_TEXT_MAX
    for missing in (
        "/types/absence/versions/1/follow-ups/nope/schema",
        "/types/death/versions/1/follow-ups/return/schema",
        "/types/absence/versions/9/follow-ups/return/schema",
    ):
        refused = api.get(missing)
        assert refused.status_code == 404, missing
        assert refused.json()["code"] == "api.not_found"


def test_the_openapi_schema_says_how_to_send_a_structured_update(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/types/{type_name}/versions/{version}/follow-ups/{follow_up}/schema" in paths


HOSTILE = "<script>alert(1)</script>'; DROP TABLE notifications_notification;--"
BAD_STRUCTURED = [
    ("no answers", {}, "returned_on", "Enter the date they returned"),
    ("a date as a number", {"returned_on": 20260101}, "returned_on", "Give a string"),
    ("a date as a list", {"returned_on": ["2026-01-01"]}, "returned_on", "Give a string"),
    ("a date that is not one", {"returned_on": "31/12/2025"}, "returned_on", "YYYY-MM-DD"),
    ("a date to come", {"returned_on": "2999-01-01"}, "returned_on", "past"),
    (
        "notes too long",
        {"returned_on": "2026-01-01", "return_notes": "x" * (LONG_TEXT_MAX + 1)},
        "return_notes",
        "characters or fewer",
    ),
    (
        "notes not a string",
        {"returned_on": "2026-01-01", "return_notes": {"x": 1}},
        "return_notes",
        "Give a string",
    ),
    ("an unknown key", {"returned_on": "2026-01-01", "colour": "red"}, "colour", "not a question"),
    ("the portal's own key", {"context.primary_medical": "no"}, "context.primary_medical", "not"),
    ("a hostile key", {HOSTILE: "x"}, HOSTILE, "not a question"),
]


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [case[1:] for case in BAD_STRUCTURED],
    ids=[case[0] for case in BAD_STRUCTURED],
)
def test_bad_structured_answers_are_refused_against_their_key(api, absence, answers, key, message):
    refused = api.post(
        f"/notifications/{absence.reference}/updates", {"follow_up": "return", "answers": answers}
    )
    assert refused.status_code == 422, refused.content
    problem = refused.json()
    assert refused["Content-Type"] == "application/problem+json"
    assert problem["code"] == "api.answers_invalid"
    assert [e["key"] for e in problem["errors"]] == [key]
    assert message.lower() in problem["errors"][0]["message"].lower()
    assert _updates(absence) == []
    absence.refresh_from_db()
    assert absence.next_due_label == "Tell us the person has returned"


BAD_UPDATES = [
    ("empty", {}, 422, "api.answers_invalid", "body"),
    ("blank body", {"body": "   "}, 422, "api.answers_invalid", "body"),
    ("body too long", {"body": "x" * 10_001}, 422, "api.invalid_request", "body"),
    ("body not a string", {"body": ["x"]}, 422, "api.invalid_request", "body"),
    ("answers without a follow-up", {"body": "x", "answers": {"a": 1}}, 422, None, "answers"),
    ("answers not an object", {"follow_up": "return", "answers": []}, 422, None, "answers"),
    (
        "an unknown follow-up",
        {"follow_up": "escape", "answers": {"returned_on": "2026-01-01"}},
        422,
        "notifications.unknown_follow_up",
        "follow_up",
    ),
    (
        "a hostile follow-up",
        {"follow_up": HOSTILE[:40], "answers": {}},
        422,
        "notifications.unknown_follow_up",
        "follow_up",
    ),
    (
        "a body with a follow-up",
        {"follow_up": "return", "body": "x", "answers": {"returned_on": "2026-01-01"}},
        422,
        "api.answers_invalid",
        "body",
    ),
    ("an unknown member", {"body": "x", "colour": "red"}, 422, "api.invalid_request", "colour"),
]


@pytest.mark.parametrize(
    ("body", "status", "code", "key"),
    [case[1:] for case in BAD_UPDATES],
    ids=[case[0] for case in BAD_UPDATES],
)
def test_bad_updates_are_refused_and_keep_nothing(api, absence, body, status, code, key):
    refused = api.post(f"/notifications/{absence.reference}/updates", body)
    assert refused.status_code == status, refused.content
    assert refused.json()["code"] == (code or refused.json()["code"])
    assert key in [e["key"] for e in refused.json()["errors"]]
    assert _updates(absence) == []


def test_hostile_words_are_kept_as_words(api, absence):
    """Markup and SQL are only text: kept as sent and shown escaped."""
    sent = api.post(
        f"/notifications/{absence.reference}/updates",
        {"follow_up": "return", "answers": {"returned_on": _yesterday(), "return_notes": HOSTILE}},
    )
    assert sent.status_code == 201
    assert sent.json()["answers"]["return_notes"] == HOSTILE
    words = api.post(f"/notifications/{absence.reference}/updates", {"body": HOSTILE})
    assert words.status_code == 201
    assert words.json()["body"] == HOSTILE
    assert len(_updates(absence)) == 2


def test_a_replayed_update_is_sent_once_and_another_body_is_refused(api, absence):
    path = f"/notifications/{absence.reference}/updates"
    key = str(uuid.uuid4())
    body = {"follow_up": "return", "answers": {"returned_on": _yesterday()}}
    first = api.post(path, body, idempotency_key=key)
    again = api.post(path, body, idempotency_key=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert len(_updates(absence)) == 1
    other = api.post(path, {**body, "answers": {"returned_on": "2026-01-02"}}, idempotency_key=key)
    assert other.status_code == 422
    assert other.json()["code"] == "api.idempotency_key_reused"
    assert len(_updates(absence)) == 1
    # A refusal is kept and replayed too: the same bad request gets the same answer.
    bad_key = str(uuid.uuid4())
    refused = api.post(path, {"follow_up": "return", "answers": {}}, idempotency_key=bad_key)
    replayed = api.post(path, {"follow_up": "return", "answers": {}}, idempotency_key=bad_key)
    assert refused.status_code == replayed.status_code == 422
    assert replayed.content == refused.content
    assert len(_updates(absence)) == 1
