"""Bulk triage of low-risk notifications: what is listed, one audit event per notification,
a partial failure reported by reference and reason, replays and two staff at once."""

from html import unescape

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.casework import triage
from portal.casework.models import CaseStatus, CaseUrgency
from portal.errors import ServiceError
from portal.notifications import services
from portal.notifications.models import Notification, NotificationStatus
from tests import factories as f
from tests.support.concurrency import run_together

TRIAGE = reverse("casework_decisions:triage")


def _routine(world, count):
    cases = []
    for _ in range(count):
        notification = f.submit("statement-of-purpose", world.manager, world.home)
        cases.append(f.make_case(notification, urgency=CaseUrgency.ROUTINE))
    return cases


def _reviewed_events():
    return AuditEvent.objects.filter(verb="notifications.mark_reviewed")


def _request(user):
    request = RequestFactory().post(TRIAGE)
    request.user = user
    return request


@pytest.mark.django_db
def test_only_new_routine_notifications_are_listed(client, world):
    routine = _routine(world, 1)[0]
    urgent = f.make_case(f.submit("death", world.manager, world.home), urgency=CaseUrgency.URGENT)
    waiting = f.make_case(
        f.submit("statement-of-purpose", world.manager, world.home),
        status=CaseStatus.WAITING_FOR_PROVIDER,
    )
    client.force_login(world.staff)
    html = client.get(TRIAGE).content.decode()
    assert routine.reference in html
    assert urgent.reference not in html
    assert waiting.reference not in html
    # Each is named with its title, and hinted with its provider and the day it came.
    assert f"{routine.reference}: {routine.title}" in unescape(html)
    received = f"{routine.provider.name}. Received {routine.opened_at:%-d %B %Y}"
    assert received in unescape(html)


@pytest.mark.django_db
def test_many_are_marked_reviewed_with_one_audit_event_each(client, world):
    cases = _routine(world, 3)
    client.force_login(world.staff)
    response = client.post(TRIAGE, {"cases": [str(case.pk) for case in cases]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 marked as reviewed" in html
    statuses = set(Notification.objects.values_list("status", flat=True))
    assert statuses == {NotificationStatus.REVIEWED}
    assert sorted(_reviewed_events().values_list("target_id", flat=True)) == sorted(
        case.subject_id for case in cases
    )


@pytest.mark.django_db
def test_one_that_cannot_be_reviewed_is_named_with_why_and_the_others_still_are(world):
    first, second, third = _routine(world, 3)
    # A colleague closed the second in the meantime.
    services.close(notification_id=int(second.subject_id), staff=world.other_staff, reason="")
    report = triage.mark_reviewed_in_bulk(
        case_ids=[first.pk, second.pk, third.pk], staff=world.staff, request=_request(world.staff)
    )
    assert report.reviewed == [first.reference, third.reference]
    # Closed: the notification's lifecycle says so, or the case does when its domain closed it.
    assert [failure.reference for failure in report.failed] == [second.reference]
    assert report.failed[0].reason in (
        "This notification is closed, so you cannot do that now.",
        "This case is closed.",
    )
    assert _reviewed_events().count() == 2


@pytest.mark.django_db
def test_a_replay_reviews_nothing_twice_and_says_so(client, world):
    cases = _routine(world, 2)
    client.force_login(world.staff)
    chosen = {"cases": [str(case.pk) for case in cases]}
    client.post(TRIAGE, chosen)
    html = client.post(TRIAGE, chosen).content.decode()
    assert "0 marked as reviewed, 2 not" in html
    assert _reviewed_events().count() == 2
    for case in cases:
        assert case.reference in html


@pytest.mark.django_db
def test_a_case_that_is_not_low_risk_is_refused_even_if_posted(world):
    urgent = f.make_case(f.submit("death", world.manager, world.home), urgency=CaseUrgency.URGENT)
    report = triage.mark_reviewed_in_bulk(
        case_ids=[urgent.pk], staff=world.staff, request=_request(world.staff)
    )
    assert report.failed[0].reason == (
        "This case is not a low-risk notification: someone must read it."
    )
    assert _reviewed_events().count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({}, "Select at least one notification to mark as reviewed"),
        ({"cases": ["abc"]}, "Select notifications from the list"),
        ({"cases": ["1 OR 1=1"]}, "Select notifications from the list"),
        ({"cases": ["../../etc/passwd"]}, "Select notifications from the list"),
    ],
)
def test_bad_choices_are_refused_with_a_clear_error(client, world, posted, error):
    _routine(world, 1)
    client.force_login(world.staff)
    response = client.post(TRIAGE, posted)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert _reviewed_events().count() == 0


@pytest.mark.django_db
def test_more_than_a_hundred_at_once_is_refused(world):
    with pytest.raises(ServiceError, match="100 notifications or fewer"):
        triage.mark_reviewed_in_bulk(
            case_ids=list(range(1, 102)), staff=world.staff, request=_request(world.staff)
        )


@pytest.mark.django_db(transaction=True)
def test_two_staff_triaging_the_same_notifications_at_once_review_each_once(world):
    cases = _routine(world, 4)
    ids = [case.pk for case in cases]

    def press(user):
        return lambda: triage.mark_reviewed_in_bulk(
            case_ids=ids, staff=user, request=_request(user)
        )

    reports = run_together([press(world.staff), press(world.other_staff)])
    reviewed = [ref for report in reports for ref in report.reviewed]
    assert sorted(reviewed) == sorted(case.reference for case in cases)
    assert sum(len(report.failed) for report in reports) == 4
    assert _reviewed_events().count() == 4


@pytest.mark.django_db
def test_providers_cannot_triage(client, world):
    cases = _routine(world, 1)
    client.force_login(world.nominated)
    assert client.post(TRIAGE, {"cases": [str(cases[0].pk)]}).status_code == 403
    assert _reviewed_events().count() == 0


@pytest.mark.django_db
def test_the_inbox_links_to_triage(client, world):
    client.force_login(world.staff)
    html = client.get(reverse("notifications_staff:inbox")).content.decode()
    assert f'href="{TRIAGE}"' in html


@pytest.mark.django_db
def test_the_triage_list_reads_its_own_index_not_every_open_case():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    listed = triage.low_risk_cases().select_related("provider").order_by("opened_at", "id")[:50]
    with connection.cursor() as cursor:
        # On an empty table the planner would scan; forbid that to see what it can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = listed.explain()
    assert "casework_triage" in plan
