"""What providers see of their cases: plain-word stages, the date we expect to finish, the
stopped clock; the list scoped by the access function and paged by keyset; the stage on the
notification and application pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.casework import provider_stage, provider_views
from portal.casework.models import CaseKind, CaseStatus
from tests import factories as f


def _list(world):
    return reverse("provider_cases:list", kwargs={"provider_id": world.provider.pk})


@pytest.mark.parametrize(
    ("fields", "stage"),
    [
        ({}, "Received"),
        ({"first_action_at": timezone.now()}, "Being looked at"),
        ({"status": CaseStatus.IN_PROGRESS}, "Being looked at"),
        ({"status": CaseStatus.WAITING_FOR_PROVIDER}, "Waiting for you"),
        ({"status": CaseStatus.CLOSED, "closed_at": timezone.now()}, "Decided"),
    ],
)
@pytest.mark.django_db
def test_each_status_is_said_in_plain_words(world, fields, stage):
    case = f.make_case(provider=world.provider, **fields)
    assert provider_stage.provider_stage(case).label == stage


@pytest.mark.django_db
def test_the_list_shows_stage_expected_date_and_the_stopped_clock(client, world):
    f.make_case(
        provider=world.provider,
        location=world.home,
        reference="NOT-WAIT",
        title="Statement of purpose",
        status=CaseStatus.WAITING_FOR_PROVIDER,
        clock_stopped_on=dt.date(2026, 12, 3),
        due_on=dt.date(2027, 1, 15),
    )
    f.make_case(
        provider=world.provider,
        location=world.home,
        reference="NOT-NEW",
        due_on=dt.date(2027, 2, 1),
    )
    client.force_login(world.nominated)
    html = client.get(_list(world)).content.decode()
    assert (
        "We are waiting for you to answer our question of 3 December 2026; the clock is stopped."
        in html
    )
    assert "Waiting for you" in html
    assert "1 February 2027" in html
    assert "Received" in html


@pytest.mark.django_db
def test_internal_details_never_reach_the_provider(client, world):
    f.make_case(
        provider=world.provider,
        location=world.home,
        reference="NOT-INT",
        team=f.make_team("Secret Team"),
        assignee=world.staff,
    )
    client.force_login(world.nominated)
    html = client.get(_list(world)).content.decode()
    assert "NOT-INT" in html
    assert "Secret Team" not in html
    assert world.staff.email not in html


@pytest.mark.django_db
def test_a_registered_manager_sees_only_their_own_locations_cases(client, world):
    f.make_case(provider=world.provider, location=world.home, reference="NOT-HOME")
    f.make_case(provider=world.provider, location=world.other_home, reference="NOT-OTHER")
    f.make_case(provider=world.provider, reference="NOT-WHOLE")  # about the provider as a whole
    client.force_login(world.manager)
    html = client.get(_list(world)).content.decode()
    assert "NOT-HOME" in html
    assert "NOT-OTHER" not in html
    assert "NOT-WHOLE" not in html
    client.force_login(world.nominated)
    html = client.get(_list(world)).content.decode()
    assert all(ref in html for ref in ("NOT-HOME", "NOT-OTHER", "NOT-WHOLE"))


@pytest.mark.django_db
def test_another_providers_people_and_staff_find_nothing_there(client, world):
    f.make_case(provider=world.provider, reference="NOT-HOME")
    stranger = f.nominated_individual(f.make_provider(name="Elsewhere Care"))
    client.force_login(stranger)
    assert client.get(_list(world)).status_code == 404
    client.force_login(world.staff)
    assert client.get(_list(world)).status_code == 404
    client.logout()
    assert client.get(_list(world)).status_code == 302


@pytest.mark.django_db
def test_second_factor_resets_are_never_on_a_providers_list(client, world):
    f.make_case(provider=world.provider, kind=CaseKind.SECOND_FACTOR_RESET, reference="2FA-1")
    client.force_login(world.nominated)
    assert "2FA-1" not in client.get(_list(world)).content.decode()


@pytest.mark.django_db
def test_pages_follow_on_without_gaps_or_repeats_in_the_same_queries(
    client, world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(provider_views, "PAGE_SIZE", 2)
    moment = timezone.now()
    # Two cases share a moment: the id decides their order.
    for n, minutes in enumerate([1, 2, 3, 3, 5]):
        f.make_case(
            provider=world.provider,
            reference=f"NOT-{n}",
            opened_at=moment - dt.timedelta(minutes=minutes),
        )
    client.force_login(world.nominated)
    seen, url = [], _list(world)
    for _ in range(5):
        with django_assert_max_num_queries(12):
            html = client.get(url).content.decode()
        seen += [f"NOT-{n}" for n in range(5) if f">NOT-{n}<" in html]
        if 'rel="next"' not in html:
            break
        url = _list(world) + "?after=" + html.split("?after=")[1].split('"')[0]
    assert seen == ["NOT-0", "NOT-1", "NOT-2", "NOT-3", "NOT-4"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor", ["abc", "1-0", "-1-1", "9" * 30 + "-1", "1' OR '1'='1", "../../etc/passwd"]
)
def test_a_cursor_we_did_not_make_shows_the_first_page(client, world, cursor):
    f.make_case(provider=world.provider, reference="NOT-ONLY")
    client.force_login(world.nominated)
    response = client.get(_list(world), {"after": cursor})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That page of the list is not one we made, so this is the first page." in html
    assert "NOT-ONLY" in html


@pytest.mark.django_db
def test_the_notification_page_says_where_we_are(client, world):
    notification = f.submit("statement-of-purpose", world.manager, world.home)
    f.make_case(
        notification,
        status=CaseStatus.WAITING_FOR_PROVIDER,
        clock_stopped_on=dt.date(2026, 12, 3),
        due_on=dt.date(2027, 1, 15),
    )
    client.force_login(world.manager)
    html = client.get(
        reverse("notifications:detail", kwargs={"reference": notification.reference})
    ).content.decode()
    assert "Where we are:" in html
    assert "We are waiting for you to answer our question of 3 December 2026" in html
    assert "Our date to finish, 15 January 2027, moves later" in html
    listed = client.get(_list(world)).content.decode()
    assert reverse("notifications:detail", kwargs={"reference": notification.reference}) in listed


@pytest.mark.django_db
def test_the_application_page_says_when_we_expect_to_finish(client, world):
    from tests.casework_decisions.test_handlers import _sent_application

    application = _sent_application()
    f.make_case(application, kind=CaseKind.APPLICATION, due_on=dt.date(2027, 3, 1))
    signer = application.created_by
    client.force_login(signer)
    html = client.get(
        reverse("applications:detail", kwargs={"application_id": application.pk})
    ).content.decode()
    assert "Where we are:" in html
    assert "We expect to finish by 1 March 2027." in html
