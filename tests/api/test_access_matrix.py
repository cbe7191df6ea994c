"""Every API operation against every kind of key scope: the access function decides for
keys as it does for people (a key has no more than its scope and its creator)."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.api.models import ApiKey
from portal.notifications import services
from portal.notifications.models import Notification
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.permissions import Permission
from tests import factories as f
from tests.api.conftest import Api, make_key, submission
from tests.factories.notifications import submit

WHOLE = "whole provider, every delegable permission"
AT_LOCATION = "the notification's location only"
ELSEWHERE = "another location only"
VIEW_ONLY = "view submissions only"
REVOKED = "revoked"
EXPIRED = "expired"
OTHER_PROVIDER = "another provider's key"
NO_KEY = "no key"

OPERATIONS = [
    "list types",
    "type schema",
    "update schema",
    "validate",
    "submit",
    "list notifications",
    "read notification",
    "list questions",
    "add update",
    "answer question",
    "registration",
    "applications",
]

ALLOWED = [200, 200, 200, 200, 201, 200, 200, 200, 201, 201, 200, 200]
EXPECTED = {
    WHOLE: ALLOWED,
    AT_LOCATION: ALLOWED,
    ELSEWHERE: [200, 200, 200, 403, 403, 200, 404, 404, 404, 404, 200, 200],
    VIEW_ONLY: [200, 200, 200, 403, 403, 200, 200, 200, 403, 403, 200, 200],
    REVOKED: [401] * 12,
    EXPIRED: [401] * 12,
    OTHER_PROVIDER: [200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    NO_KEY: [401] * 12,
}


def _secret(scope, world):
    if scope == NO_KEY:
        return "not-a-key"
    if scope == OTHER_PROVIDER:
        return make_key(world.other_nominated, world.other_provider)
    if scope == AT_LOCATION:
        return make_key(world.nominated, world.provider, locations=(world.location,))
    if scope == ELSEWHERE:
        return make_key(world.nominated, world.provider, locations=(world.other_location,))
    if scope == VIEW_ONLY:
        return make_key(world.nominated, world.provider, permissions=[Permission.VIEW_SUBMISSIONS])
    secret = make_key(world.nominated, world.provider)
    key = ApiKey.objects.latest("created_at")
    if scope == REVOKED:
        key.revoked_at = timezone.now()
        key.save()
    if scope == EXPIRED:
        key.expires_at = timezone.now() - dt.timedelta(seconds=1)
        key.save()
    return secret


def _call(api, operation, world, notification, question_id):
    provider = world.provider.pk
    reference = notification.reference
    if operation == "list types":
        return api.get("/types")
    if operation == "type schema":
        return api.get("/types/death/versions/1/schema")
    if operation == "update schema":
        return api.get("/types/absence/versions/1/follow-ups/return/schema")
    if operation == "validate":
        return api.post(f"/providers/{provider}/notifications/validate", submission(world.location))
    if operation == "submit":
        return api.post(f"/providers/{provider}/notifications", submission(world.location))
    if operation == "list notifications":
        return api.get(f"/providers/{provider}/notifications")
    if operation == "read notification":
        return api.get(f"/notifications/{reference}")
    if operation == "list questions":
        return api.get(f"/notifications/{reference}/questions")
    if operation == "add update":
        return api.post(f"/notifications/{reference}/updates", {"body": "More news"})
    if operation == "answer question":
        return api.post(
            f"/notifications/{reference}/questions/{question_id}/answer", {"body": "Here it is"}
        )
    if operation == "registration":
        return api.get(f"/providers/{provider}/registration")
    return api.get(f"/providers/{provider}/applications")


@pytest.mark.django_db
@pytest.mark.parametrize("scope", list(EXPECTED))
def test_every_operation_for_every_key_scope(api_world, scope):
    notification = submit("death", api_world.nominated, api_world.location)
    question = services.ask_question(
        notification_id=notification.pk, staff=api_world.staff, body="When exactly?"
    )
    api = Api(_secret(scope, api_world))
    before = Notification.objects.count()
    got = [
        _call(api, operation, api_world, notification, question.pk).status_code
        for operation in OPERATIONS
    ]
    assert dict(zip(OPERATIONS, got, strict=True)) == dict(
        zip(OPERATIONS, EXPECTED[scope], strict=True)
    )
    sent = 1 if EXPECTED[scope][OPERATIONS.index("submit")] == 201 else 0
    assert Notification.objects.count() == before + sent


@pytest.mark.django_db
def test_a_location_key_lists_only_its_locations_notifications(api_world):
    at_location = submit("death", api_world.nominated, api_world.location)
    submit("death", api_world.nominated, api_world.other_location)
    api = Api(make_key(api_world.nominated, api_world.provider, locations=(api_world.location,)))
    listed = api.get(f"/providers/{api_world.provider.pk}/notifications").json()
    assert [item["reference"] for item in listed["items"]] == [at_location.reference]
    registration = api.get(f"/providers/{api_world.provider.pk}/registration").json()
    assert [location["id"] for location in registration["locations"]] == [api_world.location.pk]


@pytest.mark.django_db
def test_a_key_loses_what_its_creator_loses(api_world):
    delegate = f.delegate(api_world.provider, tuple(Permission), granted_by=api_world.nominated)
    api = Api(make_key(delegate, api_world.provider))
    path = f"/providers/{api_world.provider.pk}/notifications"
    assert api.get(path).status_code == 200
    Membership.objects.filter(user=delegate).update(status=MembershipStatus.REMOVED)
    assert api.get(path).status_code == 404
