"""API keys: made in the browser by people who may manage the team, shown once, stored as an
HMAC, never more than their creator holds, revocable, expiring, and every creation, refused
use and revocation audited and emailed to the team's managers."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts import sessions
from portal.api import keys
from portal.api.models import ApiKey
from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.errors import ServiceError
from portal.organisations.permissions import Permission
from portal.register.location_picker import PAGE_SIZE
from portal.register.models import Location
from tests.api.conftest import Api, make_key, sign_in_recently
from tests.factories.register import add_many_locations
from tests.support.concurrency import run_copies


def _create(client, provider, **fields):
    data = {"name": "Nourish", "permissions": ["notifications"], "locations": ["whole"]}
    data["expires_in_days"] = "365"
    data.update(fields)
    return client.post(reverse("api_pages:api_key_new", args=[provider.pk]), data)


@pytest.mark.django_db
def test_a_manager_makes_a_key_in_the_browser_and_sees_it_once(client, api_world):
    sign_in_recently(client, api_world.nominated)
    response = _create(client, api_world.provider)
    assert response.status_code == 200
    shown = re.search(r'value="(ppk_[^"]+)"', response.content.decode())
    assert shown is not None
    secret = shown.group(1)
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get()
    assert secret not in str(ApiKey.objects.values().get())
    assert key.secret_hmac == keys.secret_hmac(secret)
    assert sorted(key.permissions) == sorted(
        [
            Permission.VIEW_SUBMISSIONS,
            Permission.DRAFT_NOTIFICATIONS,
            Permission.SUBMIT_NOTIFICATIONS,
        ]
    )
    listing = client.get(reverse("api_pages:api_keys", args=[api_world.provider.pk]))
    assert secret not in listing.content.decode()
    assert key.prefix in listing.content.decode()
    assert "Never" in listing.content.decode()
    assert AuditEvent.objects.filter(verb="api.key_created").count() == 1
    created_mail = OutboxMessage.objects.filter(template="api_key_created")
    assert api_world.nominated.email in {m.to for m in created_mail}
    assert api_world.manager.email in {m.to for m in created_mail}
    assert secret not in " ".join(m.body for m in created_mail)
    # Used once: "last used" is shown.
    assert Api(secret).get("/types").status_code == 200
    listing = client.get(reverse("api_pages:api_keys", args=[api_world.provider.pk]))
    assert "Never" not in listing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter a name for the key"),
        ({"name": "x" * 81}, "80 characters or fewer"),
        ({"permissions": []}, "Select what they can do"),
        ({"permissions": ["sign_declarations"]}, "Select what they can do from the list"),
        ({"expires_in_days": "400"}, "Select when the key should expire from the list"),
        ({"expires_in_days": "abc"}, "Select when the key should expire from the list"),
        ({"locations": ["../../etc"]}, "Select locations from the list"),
        ({"name": "<script>alert(1)</script>"}, None),
    ],
)
def test_bad_key_forms_say_what_is_wrong_and_keep_the_answers(client, api_world, fields, message):
    sign_in_recently(client, api_world.nominated)
    response = _create(client, api_world.provider, **fields)
    if message is None:  # stored as text, shown escaped
        assert response.status_code == 200
        listing = client.get(reverse("api_pages:api_keys", args=[api_world.provider.pk]))
        assert "<script>alert(1)</script>" not in listing.content.decode()
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ApiKey.objects.count() == 0


@pytest.mark.django_db
def test_no_key_signs_declarations_or_gets_more_than_its_creator(api_world):
    with pytest.raises(ServiceError) as refused:
        make_key(
            api_world.nominated, api_world.provider, permissions=[Permission.SIGN_DECLARATIONS]
        )
    assert refused.value.code == "api.key_permission_not_delegable"
    # A registered manager manages their own location's team, not the whole provider's.
    with pytest.raises(ServiceError) as refused:
        make_key(api_world.manager, api_world.provider)
    assert refused.value.code == "api.key_location_not_held"
    with pytest.raises(ServiceError) as refused:
        make_key(api_world.manager, api_world.provider, locations=(api_world.other_location,))
    assert refused.value.code == "api.key_location_not_held"
    assert make_key(api_world.manager, api_world.provider, locations=(api_world.location,))
    with pytest.raises(ServiceError) as refused:
        make_key(api_world.nominated, api_world.provider, days=366)
    assert refused.value.code == "api.key_expiry_out_of_range"


@pytest.mark.django_db
def test_people_who_cannot_manage_the_team_cannot_reach_the_key_pages(client, api_world):
    from tests import factories as f

    viewer = f.delegate(api_world.provider, (Permission.VIEW_SUBMISSIONS, Permission.VIEW_TEAM))
    client.force_login(viewer)
    assert (
        client.get(reverse("api_pages:api_keys", args=[api_world.provider.pk])).status_code == 403
    )
    client.force_login(api_world.other_nominated)
    assert (
        client.get(reverse("api_pages:api_keys", args=[api_world.provider.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_a_revoked_key_is_refused_from_its_next_request_and_the_managers_are_told(
    client, api_world
):
    secret = make_key(api_world.nominated, api_world.provider)
    api = Api(secret)
    assert api.get("/types").status_code == 200
    key = ApiKey.objects.get()
    sign_in_recently(client, api_world.nominated)
    url = reverse("api_pages:api_key_revoke", args=[api_world.provider.pk, key.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    refused = api.get("/types")
    assert refused.status_code == 401
    assert refused.json()["code"] == "api.key_revoked"
    assert api.get("/types").status_code == 401
    assert AuditEvent.objects.filter(verb="api.key_revoked").count() == 1
    assert AuditEvent.objects.filter(verb="api.key_use_refused").count() == 2
    assert OutboxMessage.objects.filter(template="api_key_revoked").exists()
    # Refused uses are emailed once an hour, not once a request.
    refusals = OutboxMessage.objects.filter(template="api_key_use_refused")
    assert refusals.count() == len({m.to for m in refusals})
    # Revoking twice: one revocation.
    again = client.post(url)
    assert "already been revoked" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_revocations_at_once_revoke_once(api_world):
    make_key(api_world.nominated, api_world.provider)
    key = ApiKey.objects.get()

    def revoke():
        return keys.revoke_key(
            actor=api_world.nominated, provider=api_world.provider, key_id=key.pk
        )

    results = run_copies(revoke, 3)
    assert sum(1 for r in results if isinstance(r, ApiKey)) == 1
    assert AuditEvent.objects.filter(verb="api.key_revoked").count() == 1


@pytest.mark.django_db
def test_expiring_keys_are_emailed_once_and_expired_keys_refused(api_world):
    secret = make_key(api_world.nominated, api_world.provider, days=10)
    make_key(api_world.nominated, api_world.provider, days=300)
    assert keys.warn_expiring_keys() == 1
    assert keys.warn_expiring_keys() == 0
    assert OutboxMessage.objects.filter(template="api_key_expiring").exists()
    ApiKey.objects.filter(expires_at__lte=timezone.now() + dt.timedelta(days=11)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    refused = Api(secret).get("/types")
    assert refused.status_code == 401
    assert refused.json()["code"] == "api.key_expired"


@pytest.mark.django_db
def test_keys_are_rate_limited_with_retry_after(api_world, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    api = Api(make_key(api_world.nominated, api_world.provider))
    statuses = [api.get("/types").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    limited = api.get("/types")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["code"] == "api.rate_limited"


@pytest.mark.django_db
def test_a_used_up_window_gives_way_to_the_next_minute(api_world, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    api = Api(make_key(api_world.nominated, api_world.provider))
    assert [api.get("/types").status_code for _ in range(3)] == [200, 200, 429]
    row = ApiKey.objects.get()
    assert row.rate_window_count == 2
    assert row.last_used_at is not None
    assert row.rate_window_start is not None
    earlier = row.rate_window_start - dt.timedelta(minutes=1)
    ApiKey.objects.filter(pk=row.pk).update(rate_window_start=earlier)
    assert api.get("/types").status_code == 200
    row.refresh_from_db()
    assert row.rate_window_start is not None
    assert row.rate_window_start >= earlier + dt.timedelta(minutes=1)
    assert row.rate_window_count == 1


@pytest.mark.django_db(transaction=True)
def test_counting_a_request_does_not_wait_for_the_disk(api_world, settings):
    """Every request of a key updates its row: outside a transaction that statement commits
    without a WAL flush, so the row lock is not held through one; it still counts."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    api = Api(make_key(api_world.nominated, api_world.provider))
    with CaptureQueriesContext(connection) as queries:
        assert [api.get("/types").status_code for _ in range(3)] == [200, 200, 429]
    counts = [q["sql"] for q in queries.captured_queries if "UPDATE" in q["sql"]]
    assert len(counts) == 3
    assert all(sql.startswith("WITH relaxed AS (SELECT set_config(") for sql in counts)
    assert ApiKey.objects.get().rate_window_count == 2
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # only those statements' own transactions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer ppk_nothing",
        "Basic dXNlcjpwYXNz",
        "Bearer ' OR 1=1 --",
        "Bearer " + "a" * 5000,
    ],
)
def test_missing_and_forged_keys_get_401(client, api_world, header):
    response = client.get("/api/v1/types", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] in ("api.key_missing", "api.key_invalid")


@pytest.mark.django_db
def test_a_session_cookie_is_not_an_api_credential(client, api_world):
    sign_in_recently(client, api_world.nominated)
    assert client.get("/api/v1/types").status_code == 401


@pytest.mark.django_db
def test_a_double_submitted_key_form_makes_one_key(client, api_world):
    sign_in_recently(client, api_world.nominated)
    assert _create(client, api_world.provider).status_code == 200
    again = _create(client, api_world.provider)
    assert again.status_code == 400
    assert "There is already a key with this name" in again.content.decode()
    assert ApiKey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_keys_of_one_name_at_once_make_one(api_world):
    def create():
        return make_key(api_world.nominated, api_world.provider, name="Nourish")

    results = run_copies(create, 3)
    assert sum(1 for r in results if isinstance(r, str)) == 1
    assert {r.code for r in results if isinstance(r, ServiceError)} == {"api.key_name_taken"}
    assert ApiKey.objects.count() == 1


@pytest.mark.django_db
def test_making_or_revoking_a_key_asks_for_the_password_again(client, api_world):
    make_key(api_world.nominated, api_world.provider)
    key = ApiKey.objects.get()
    client.force_login(api_world.nominated)
    session = client.session
    session.pop(sessions.REAUTH_AT, None)
    session.save()
    for name, args in (
        ("api_pages:api_key_new", [api_world.provider.pk]),
        ("api_pages:api_key_revoke", [api_world.provider.pk, key.pk]),
    ):
        response = client.post(reverse(name, args=args), {"name": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert ApiKey.objects.count() == 1
    assert ApiKey.objects.get().revoked_at is None


@pytest.mark.django_db
def test_a_provider_with_many_locations_offers_them_through_the_picker(client, api_world):
    add_many_locations(api_world.provider, 60)
    sign_in_recently(client, api_world.nominated)
    url = reverse("api_pages:api_key_new", args=[api_world.provider.pk])
    html = client.get(url).content.decode()
    assert 'name="location_search"' in html
    assert len(re.findall(r'type="checkbox" value="1-9\d{8}"', html)) == PAGE_SIZE
    # A picker step keeps what was typed and ticked and refuses nothing.
    branch = Location.objects.get(name="Branch 0007")
    response = client.post(
        url,
        {
            "location_picker": "search",
            "location_search": branch.pk,
            "name": "Nourish",
            "permissions": ["notifications"],
            "expires_in_days": "90",
            "locations": [api_world.location.pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in html
    assert 'value="Nourish"' in html
    assert re.search(r'value="90" checked', html)
    assert re.search(r'value="notifications" checked', html)
    assert f'type="hidden" name="locations" value="{api_world.location.pk}"' in html
    assert f'value="{branch.pk}"' in html
    assert not ApiKey.objects.exists()
    # The form's own button makes the key for the locations chosen.
    _create(client, api_world.provider, locations=[api_world.location.pk, branch.pk])
    assert sorted(ApiKey.objects.get().location_ids) == sorted([api_world.location.pk, branch.pk])
