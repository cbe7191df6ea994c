"""Following a notification through the API: the regulator's question, the answer sent with
a key (in the same thread as the web's), updates, the list's cursor and filters, and the
registration."""

import pytest

from portal.api import views
from portal.api.api import api
from portal.notifications import selectors, services
from portal.notifications.models import MessageKind
from tests.api.conftest import Api, make_key
from tests.factories.notifications import submit


@pytest.mark.django_db
def test_an_answer_sent_with_a_key_appears_in_the_thread(api_world):
    notification = submit("death", api_world.nominated, api_world.location)
    question = services.ask_question(
        notification_id=notification.pk, staff=api_world.staff, body="Who found them?"
    )
    api = Api(make_key(api_world.nominated, api_world.provider))
    questions = api.get(f"/notifications/{notification.reference}/questions").json()
    assert [(q["id"], q["answered"]) for q in questions] == [(question.pk, False)]
    path = f"/notifications/{notification.reference}/questions/{question.pk}/answer"
    answered = api.post(path, {"body": "The night nurse, at 03:10."})
    assert answered.status_code == 201
    assert answered.json()["in_reply_to"] == question.pk
    thread = selectors.thread(notification)
    assert [m.kind for m in thread][-1] == MessageKind.ANSWER
    assert thread[-1].author == api_world.nominated
    again = api.post(path, {"body": "Again"})
    assert again.status_code == 409
    assert again.json()["code"] == "notifications.question_already_answered"
    update = api.post(
        f"/notifications/{notification.reference}/updates", {"body": "Post-mortem booked"}
    )
    assert update.status_code == 201
    detail = api.get(f"/notifications/{notification.reference}").json()
    assert [m["kind"] for m in detail["thread"]][-3:] == ["question", "answer", "update"]
    unknown = api.post(
        f"/notifications/{notification.reference}/questions/{question.pk + 999}/answer",
        {"body": "x"},
    )
    assert unknown.status_code == 404
    empty = api.post(path, {"body": ""})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["key"] == "body"


@pytest.mark.django_db
def test_the_list_pages_with_a_cursor_and_filters(api_world):
    sent = [submit("death", api_world.nominated, api_world.location) for _ in range(5)]
    api = Api(make_key(api_world.nominated, api_world.provider))
    path = f"/providers/{api_world.provider.pk}/notifications"
    seen, cursor = [], ""
    while True:
        page = api.get(path, limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["reference"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [n.reference for n in reversed(sent)]
    assert api.get(path, type="serious-injury").json()["items"] == []
    assert len(api.get(path, location_id=api_world.location.pk).json()["items"]) == 5
    for bad in ("not-a-cursor", "eyJ4Ijo", "W10", "WyJ4IiwgMV0"):
        refused = api.get(path, cursor=bad)
        assert refused.status_code == 422, bad
        assert refused.json()["code"] == "api.invalid_cursor"
    assert api.get(path, limit=0).status_code == 422
    assert api.get(path, limit=101).status_code == 422
    assert api.get(path, submitted_from="yesterday").status_code == 422


@pytest.mark.django_db
def test_the_registration_and_the_catalogue(api_world):
    api = Api(make_key(api_world.nominated, api_world.provider))
    registration = api.get(f"/providers/{api_world.provider.pk}/registration").json()
    assert registration["name"] == "Sunrise Care"
    assert {loc["id"] for loc in registration["locations"]} == {
        api_world.location.pk,
        api_world.other_location.pk,
    }
    assert {m["role"] for m in registration["managers"]} >= {"Registered manager"}
    types = api.get("/types").json()
    assert len({t["type"] for t in types}) == 21
    schema = api.get("/types/death/versions/1/schema").json()
    assert schema["$id"] == "urn:notification:death:v1"
    assert api.get("/types/death/versions/99/schema").status_code == 404
    assert api.get("/providers/1-000000000/registration").status_code == 404


def test_the_schema_and_its_documentation_are_public_and_need_no_cdn(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/providers/{provider_id}/notifications" in paths
    submit_op = paths["/api/v1/providers/{provider_id}/notifications"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in submit_op["parameters"])
    assert "application/problem+json" in submit_op["responses"]["422"]["content"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "POST /api/v1/providers/{provider_id}/notifications" in page
    assert "cdn" not in page.lower()


def test_the_schema_is_made_once_per_process_not_per_request(client, monkeypatch):
    made = []
    make = api.get_openapi_schema

    def counted(*args, **kwargs):
        made.append(kwargs)
        return make(*args, **kwargs)

    monkeypatch.setattr(api, "get_openapi_schema", counted)
    views._openapi.cache_clear()
    try:
        first = client.get("/api/v1/openapi.json").json()
        assert client.get("/api/v1/docs").status_code == 200
        assert client.get("/api/v1/openapi.json").json() == first
    finally:
        views._openapi.cache_clear()
    assert made == [{"path_prefix": "/api/v1/"}]
    submit_op = first["paths"]["/api/v1/providers/{provider_id}/notifications"]["post"]
    assert [p["name"] for p in submit_op["parameters"]].count("Idempotency-Key") == 1
