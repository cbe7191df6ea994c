"""The decision page: who may see it, what it offers, applying an action, and what a bad or
stale request gets."""

import pytest
from django.urls import reverse

from portal.casework.models import CaseKind
from portal.notifications.models import NotificationStatus
from tests import factories as f


def _url(case, **query):
    url = reverse("casework_decisions:decision", kwargs={"case_id": case.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.django_db
def test_staff_see_what_they_can_do_now_and_what_they_cannot(
    client, world, django_assert_max_num_queries
):
    notification = f.submit("death", world.manager, world.home)
    case = f.make_case(notification, title="Death of a person using the service")
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        html = client.get(_url(case)).content.decode()
    assert f"Decide on {notification.reference}" in html
    assert "Mark as reviewed" in html
    assert "Ask the provider a question" in html
    assert "Accept and update the register" not in html
    assert reverse("notifications_staff:detail", kwargs={"reference": case.reference}) in html


@pytest.mark.django_db
def test_choosing_an_action_shows_its_form_and_applying_it_comes_back_with_a_message(client, world):
    notification = f.submit("death", world.manager, world.home)
    case = f.make_case(notification)
    client.force_login(world.staff)
    form = client.get(_url(case, action="close")).content.decode()
    assert 'name="close-reason"' in form
    assert 'value="close"' in form
    response = client.post(_url(case), {"action": "close", "close-reason": "Nothing to do"})
    assert response.status_code == 302
    assert response["Location"] == _url(case)
    after = client.get(_url(case)).content.decode()
    assert f"{notification.reference} closed." in after
    assert "This notification is closed, so you cannot do that now." in after
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CLOSED


@pytest.mark.django_db
def test_a_form_error_keeps_what_was_typed(client, world):
    notification = f.submit("death", world.manager, world.home)
    case = f.make_case(notification)
    client.force_login(world.staff)
    response = client.post(_url(case), {"action": "close", "close-reason": "y" * 2001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The note must be 2,000 characters or fewer" in html
    assert "y" * 2001 in html


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["", "drop_table", "<script>x</script>"])
def test_an_unknown_action_is_refused_clearly(client, world, action):
    notification = f.submit("death", world.manager, world.home)
    case = f.make_case(notification)
    client.force_login(world.staff)
    response = client.post(_url(case), {"action": action})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Choose one of the actions on this page." in html
    assert "<script>x</script>" not in html


@pytest.mark.django_db
def test_a_kind_without_a_handler_says_where_to_decide(client, world):
    case = f.make_case(kind=CaseKind.OVERDUE_UPDATE, provider=world.provider)
    client.force_login(world.staff)
    html = client.get(_url(case)).content.decode()
    assert "Decisions on this kind of case are made on its own page." in html


@pytest.mark.django_db
def test_providers_and_visitors_cannot_reach_the_page(client, world):
    notification = f.submit("death", world.manager, world.home)
    case = f.make_case(notification)
    assert client.get(_url(case)).status_code == 302  # to sign in
    client.force_login(world.nominated)
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), {"action": "mark_reviewed"}).status_code == 403
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SUBMITTED


@pytest.mark.django_db
def test_a_missing_case_is_not_found(client, world):
    client.force_login(world.staff)
    assert client.get("/regulator/cases/999999/decision/").status_code == 404
