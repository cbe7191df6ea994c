"""The webhook pages: who may use them, every form's bad input, replays and races, the
secret shown once, and each action with its audit event and email."""

import pytest
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.webhooks import services
from portal.webhooks.events import SUBSCRIBABLE
from portal.webhooks.models import Delivery, DeliveryStatus, Endpoint
from tests import factories as f
from tests.support.concurrency import run_copies
from tests.webhooks.conftest import make_endpoint

ALL_EVENTS = [event.value for event in SUBSCRIBABLE]
GOOD = "https://records.sunrise.example/hooks"


def add_url(hooks):
    return reverse("webhooks:add_endpoint", kwargs={"provider_id": hooks.provider.pk})


def endpoint_url(endpoint, name="endpoint", **extra):
    kwargs = {"provider_id": endpoint.provider_id, "endpoint_id": endpoint.pk, **extra}
    return reverse(f"webhooks:{name}", kwargs=kwargs)


def post_add(client, hooks, follow=False, **fields):
    data = {"url": GOOD, "description": "Care records", "events": ALL_EVENTS, **fields}
    return client.post(add_url(hooks), data, follow=follow)


@pytest.mark.django_db
def test_a_manager_adds_an_endpoint_and_sees_the_secret_once(client, hooks):
    client.force_login(hooks.manager)
    response = post_add(client, hooks)
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == endpoint_url(endpoint)
    first = client.get(response["Location"]).content.decode()
    assert endpoint.secret in first
    assert "whsec_" not in endpoint.sealed_secret  # kept sealed, not in clear
    assert "We will not show it again" in first
    again = client.get(response["Location"]).content.decode()
    assert endpoint.secret not in again
    assert "whsec_" not in again
    listing = client.get(reverse("webhooks:endpoints", kwargs={"provider_id": hooks.provider.pk}))
    assert GOOD in listing.content.decode()
    event = AuditEvent.objects.get(verb="webhooks.endpoint_created")
    assert event.data["url"] == GOOD
    assert endpoint.secret not in str(event.data)
    mails = OutboxMessage.objects.filter(template="webhooks_endpoint_added")
    assert {m.to for m in mails} == {hooks.manager.email, hooks.location_manager.email}
    assert endpoint.secret not in mails[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": ""}, "Enter the address of your endpoint"),
        ({"url": "https://a.example/" + "x" * 500}, "500 characters or fewer"),
        ({"url": "http://records.sunrise.example/"}, "must start with https://"),
        ({"url": "javascript:alert(1)"}, "must start with https://"),
        ({"url": "https://me:secret@records.sunrise.example/"}, "must not contain a user name"),
        ({"url": "https://10.0.0.5/hooks"}, "must be on the public internet"),
        ({"url": "https://169.254.169.254/"}, "must be on the public internet"),
        ({"url": "https://records.sunrise.example/<script>'; DROP TABLE x;--"}, None),
        ({"url": "https://../../etc/passwd"}, "correct format"),
        ({"url": ["a", "b"]}, None),
        ({"description": "d" * 201}, "200 characters or fewer"),
        ({"description": "<script>alert(1)</script>"}, None),
        ({"events": []}, "Select at least one event"),
        ({"events": ["webhook.test"]}, "Select events from the list"),
        ({"events": ["notification.everything"]}, "Select events from the list"),
    ],
)
def test_bad_input_is_refused_with_a_specific_message_and_nothing_is_saved(
    client, hooks, fields, message
):
    client.force_login(hooks.manager)
    response = post_add(client, hooks, **fields)
    html = response.content.decode()
    # A hostile path may be a legal https address: kept as text, shown escaped.
    if message is None and response.status_code == 302:
        shown = client.get(response["Location"]).content.decode()
        assert "<script>" not in shown
        assert "&lt;script&gt;" in shown
        return
    assert response.status_code == 200
    assert "There is a problem" in html
    if message:
        assert message in html
    assert not Endpoint.objects.exists()
    assert not AuditEvent.objects.filter(verb="webhooks.endpoint_created").exists()


@pytest.mark.django_db
def test_the_same_address_twice_is_refused(client, hooks):
    client.force_login(hooks.manager)
    assert post_add(client, hooks).status_code == 302
    replay = post_add(client, hooks)
    assert replay.status_code == 200
    assert "already registered for this provider" in replay.content.decode()
    assert Endpoint.objects.count() == 1


@pytest.mark.django_db
def test_the_number_of_endpoints_is_capped(client, hooks, settings):
    settings.WEBHOOKS_MAX_ENDPOINTS_PER_PROVIDER = 2
    client.force_login(hooks.manager)
    for n in range(3):
        response = post_add(client, hooks, follow=True, url=f"{GOOD}/{n}")
    assert "at most 2 endpoints" in response.content.decode()
    assert Endpoint.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_make_one_endpoint(hooks):
    def register():
        return services.create_endpoint(
            provider_id=hooks.provider.pk,
            actor=hooks.manager,
            url=GOOD,
            description="",
            events=ALL_EVENTS,
        )

    outcomes = run_copies(register, 4)
    made = [o for o in outcomes if isinstance(o, services.WithSecret)]
    assert len(made) == 1, outcomes
    assert all(
        getattr(o, "code", None) == "webhooks.url_already_registered"
        for o in outcomes
        if o not in made
    )
    assert Endpoint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_rotations_at_once_rotate_once(hooks, receiver):
    endpoint = make_endpoint(hooks, receiver)

    def rotate():
        return services.rotate_secret(
            provider_id=hooks.provider.pk,
            endpoint_id=endpoint.pk,
            shown_version=1,
            actor=hooks.manager,
        )

    outcomes = run_copies(rotate, 3)
    rotated = [o for o in outcomes if o is not None]
    assert len(rotated) == 1, outcomes
    endpoint.refresh_from_db()
    assert endpoint.secret_version == 2
    assert endpoint.secret == rotated[0].secret
    assert endpoint.previous_secret == receiver.secret


@pytest.mark.django_db
def test_rotating_shows_the_new_secret_once_and_a_replay_rotates_nothing(client, hooks, receiver):
    endpoint = make_endpoint(hooks, receiver)
    client.force_login(hooks.manager)
    page = client.get(endpoint_url(endpoint, "rotate_secret"))
    assert 'name="version" value="1"' in page.content.decode()
    response = client.post(endpoint_url(endpoint, "rotate_secret"), {"version": "1"})
    endpoint.refresh_from_db()
    assert endpoint.secret in client.get(response["Location"]).content.decode()
    replay = client.post(endpoint_url(endpoint, "rotate_secret"), {"version": "1"}, follow=True)
    assert "already changed" in replay.content.decode()
    new = Endpoint.objects.get().secret
    assert new == endpoint.secret
    assert new not in replay.content.decode()
    for bad in ["", "x", "-1", "1; DROP TABLE"]:
        assert (
            client.post(endpoint_url(endpoint, "rotate_secret"), {"version": bad}).status_code
            == 200
        )
    assert Endpoint.objects.get().secret == new
    assert AuditEvent.objects.filter(verb="webhooks.secret_rotated").count() == 1


@pytest.mark.django_db
def test_pause_resume_and_delete_are_audited_emailed_and_safe_to_replay(client, hooks, receiver):
    endpoint = make_endpoint(hooks, receiver)
    client.force_login(hooks.manager)
    OutboxMessage.objects.all().delete()
    for _ in range(2):
        client.post(endpoint_url(endpoint, "pause_endpoint"), follow=True)
    assert Endpoint.objects.get().is_paused
    assert AuditEvent.objects.filter(verb="webhooks.endpoint_paused").count() == 1
    paused_mail = OutboxMessage.objects.filter(template="webhooks_endpoint_paused")
    assert paused_mail.count() == 2  # both managers, once
    assert hooks.manager.email in paused_mail[0].body
    page = client.get(endpoint_url(endpoint)).content.decode()
    assert "Paused by a team manager" in page
    test = client.post(endpoint_url(endpoint, "send_test_event"), follow=True)
    assert "Resume it first" in test.content.decode()
    for _ in range(2):
        client.post(endpoint_url(endpoint, "resume_endpoint"), follow=True)
    assert not Endpoint.objects.get().is_paused
    assert AuditEvent.objects.filter(verb="webhooks.endpoint_resumed").count() == 1
    assert client.get(endpoint_url(endpoint, "pause_endpoint")).status_code == 405
    assert (
        "Delete this endpoint?"
        in client.get(endpoint_url(endpoint, "delete_endpoint")).content.decode()
    )
    first = client.post(endpoint_url(endpoint, "delete_endpoint"), follow=True)
    assert "Endpoint deleted" in first.content.decode()
    replay = client.post(endpoint_url(endpoint, "delete_endpoint"), follow=True)
    assert "already deleted" in replay.content.decode()
    assert not Endpoint.objects.exists()
    assert AuditEvent.objects.filter(verb="webhooks.endpoint_deleted").count() == 1
    assert OutboxMessage.objects.filter(template="webhooks_endpoint_deleted").count() == 2


@pytest.mark.django_db
def test_the_log_shows_deliveries_pages_them_and_sends_a_failed_one_again(client, hooks, receiver):
    from portal.webhooks.delivery import deliver_next

    endpoint = make_endpoint(hooks, receiver)
    client.force_login(hooks.manager)
    client.post(endpoint_url(endpoint, "send_test_event"), follow=True)
    receiver.answer(__import__("tests.support.webhook_receiver", fromlist=["Answer"]).Answer(410))
    deliver_next(endpoint.pk)
    failed = Delivery.objects.get()
    page = client.get(endpoint_url(endpoint)).content.decode()
    assert "Test event" in page
    assert "HTTP 410" in page
    assert "Send again" in page
    resend = endpoint_url(endpoint, "send_again", delivery_id=failed.pk)
    client.post(resend, follow=True)
    replay = client.post(resend, follow=True)
    assert "Only a failed delivery can be sent again" in replay.content.decode()
    assert AuditEvent.objects.filter(verb="webhooks.delivery_resent").count() == 1
    deliver_next(endpoint.pk)
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED
    assert len({r.headers["webhook-id"] for r in receiver.wait_for(2)}) == 1
    Delivery.objects.bulk_create(
        [
            Delivery(
                endpoint=endpoint,
                event_type="webhook.test",
                payload={},
                next_attempt_at=failed.created_at,
            )
            for _ in range(30)
        ]
    )
    second = client.get(endpoint_url(endpoint), {"page": "2"}).content.decode()
    assert "(page 2)" in second
    assert client.get(endpoint_url(endpoint), {"page": "x' OR 1=1"}).status_code == 200


@pytest.mark.django_db
def test_another_providers_endpoint_or_delivery_is_not_found(client, hooks, receiver):
    endpoint = make_endpoint(hooks, receiver)
    other = f.make_provider(name="Other Care")
    other_ni = f.nominated_individual(other, given="Olga")
    client.force_login(other_ni)
    wrong = reverse(
        "webhooks:endpoint", kwargs={"provider_id": other.pk, "endpoint_id": endpoint.pk}
    )
    assert client.get(wrong).status_code == 404
    pause = reverse(
        "webhooks:pause_endpoint", kwargs={"provider_id": other.pk, "endpoint_id": endpoint.pk}
    )
    assert client.post(pause).status_code == 404
    assert not Endpoint.objects.get().is_paused


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("manager", 200, 302),  # nominated individual: the whole team
        ("delegate_team_whole", 200, 302),
        ("location_manager", 403, 403),  # registered manager: one location's team only
        ("delegate_team_location", 403, 403),
        ("delegate_notifications_whole", 403, 403),
        ("other_provider", 404, 404),
        ("staff", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_only_whole_team_managers_of_that_provider_may_use_the_pages(
    client, hooks, receiver, who, get, post
):
    endpoint = make_endpoint(hooks, receiver)
    people = {
        "manager": hooks.manager,
        "location_manager": hooks.location_manager,
        "staff": hooks.staff,
        "other_provider": f.nominated_individual(f.make_provider(name="Other"), given="Olga"),
        "delegate_team_whole": f.give_access(
            f.make_user("t.whole@x.example"), hooks.provider, ["team"], granted_by=hooks.manager
        ).user,
        "delegate_team_location": f.give_access(
            f.make_user("t.loc@x.example"),
            hooks.provider,
            ["team"],
            [hooks.location],
            granted_by=hooks.manager,
        ).user,
        "delegate_notifications_whole": f.give_access(
            f.make_user("n.whole@x.example"),
            hooks.provider,
            ["notifications"],
            granted_by=hooks.manager,
        ).user,
    }
    if who != "anonymous":
        client.force_login(people[who])
    gets = ["endpoints", "add_endpoint", "endpoint", "rotate_secret", "delete_endpoint"]
    for name in gets:
        kwargs = {"provider_id": hooks.provider.pk}
        if name not in ("endpoints", "add_endpoint"):
            kwargs["endpoint_id"] = endpoint.pk
        assert client.get(reverse(f"webhooks:{name}", kwargs=kwargs)).status_code == get, name
    before = Endpoint.objects.values_list("status", "secret_version").get()
    posts = ["pause_endpoint", "send_test_event"]
    for name in posts:
        assert client.post(endpoint_url(endpoint, name)).status_code == post, name
    if post != 302:
        assert Endpoint.objects.values_list("status", "secret_version").get() == before
        assert not Delivery.objects.exists()
        assert post_add(client, hooks, url=GOOD + "/x").status_code == post
        assert Endpoint.objects.count() == 1


@pytest.mark.django_db
def test_the_team_page_links_to_webhooks_only_for_whole_team_managers(client, hooks):
    team = reverse("organisations:team", kwargs={"provider_id": hooks.provider.pk})
    link = reverse("webhooks:endpoints", kwargs={"provider_id": hooks.provider.pk})
    client.force_login(hooks.manager)
    assert link in client.get(team).content.decode()
    client.force_login(hooks.location_manager)
    assert link not in client.get(team).content.decode()
