"""A change of contact details dated ahead takes effect on its date: staff acceptance holds
it, the worker's sweep applies it on the day (once, however often or however many workers
sweep), and both sides see it pending until then."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.notifications import scheduled_changes, services
from portal.notifications.models import NotificationStatus, ScheduledChange
from portal.notifications.sweeps import apply_due_changes
from portal.operations import sweeper
from portal.register.models import RegisterChange
from tests.factories.notifications import submit_email_change
from tests.notifications.helpers import detail_url
from tests.support.concurrency import run_copies
from tests.support.html import Page, text


@pytest.fixture
def later_day(monkeypatch):
    """`later_day(30)`: from now on, it is 30 days later for the scheduled changes."""
    real = scheduled_changes.today

    def move(days):
        monkeypatch.setattr(scheduled_changes, "today", lambda: real() + dt.timedelta(days=days))

    return move


def _dated_change(world, days_ahead):
    effective_on = timezone.localdate() + dt.timedelta(days=days_ahead)
    notification, person = submit_email_change(
        world, "sam.own@carehome.example", effective_on=effective_on
    )
    return notification, person, effective_on


def _about_rows(html):
    page = Page(html)
    rows: dict[str, str] = {}
    for row in page.all("div", "govuk-summary-list__row"):
        keys = [text(k) for k in row.iter("dt")]
        values = [text(v) for v in row.iter("dd")]
        if keys and values:
            rows.setdefault(keys[0], values[0])
    return rows


@pytest.mark.django_db
def test_a_change_dated_ahead_is_held_until_its_date_then_applied_once(client, world, later_day):
    notification, person, effective_on = _dated_change(world, days_ahead=30)
    when = f"{effective_on.day} {effective_on:%B %Y}"
    client.force_login(world.staff)
    staff_url = reverse("notifications_staff:detail", args=[notification.reference])
    # The staff panel shows the date before they decide.
    assert _about_rows(client.get(staff_url).content)["Takes effect on"] == (
        f"{when} (the register changes on that day)"
    )
    client.post(reverse("notifications_staff:accept", args=[notification.reference]))
    notification.refresh_from_db()
    person.refresh_from_db()
    assert notification.status == NotificationStatus.ACCEPTED
    assert person.email == "office@carehome.example"  # not yet
    scheduled = ScheduledChange.objects.get(notification=notification)
    assert scheduled.takes_effect_on == effective_on
    assert scheduled.applied_at is None
    assert AuditEvent.objects.filter(verb="notifications.change_scheduled").count() == 1
    decision = OutboxMessage.objects.get(template="notification_decision")
    assert f"The change takes effect on {when}" in decision.body
    # Both sides see it pending.
    pending = f"Accepted: takes effect on {when}"
    assert _about_rows(client.get(staff_url).content)["Status"] == pending
    client.force_login(world.nominated["Organisation"])
    assert _about_rows(client.get(detail_url(notification)).content)["Status"] == pending

    # The sweep before the day changes nothing.
    assert apply_due_changes() == 0
    person.refresh_from_db()
    assert person.email == "office@carehome.example"

    # On the day, the worker's sweep applies it, through the one apply path, once.
    later_day(30)
    sweeper.run_domain_sweeps()
    assert apply_due_changes() == 0
    person.refresh_from_db()
    assert person.email == "sam.own@carehome.example"
    assert RegisterChange.objects.filter(person=person, reason="email changed").count() == 1
    scheduled.refresh_from_db()
    assert scheduled.applied_at is not None
    assert AuditEvent.objects.filter(verb="notifications.change_applied").count() == 1
    assert _about_rows(client.get(detail_url(notification)).content)["Status"] == "Accepted"


@pytest.mark.django_db
@pytest.mark.parametrize("days_ahead", [0, -3])
def test_a_change_dated_today_or_before_is_applied_on_acceptance(world, days_ahead):
    notification, person, _ = _dated_change(world, days_ahead=days_ahead)
    services.accept_change(notification_id=notification.pk, staff=world.staff)
    person.refresh_from_db()
    assert person.email == "sam.own@carehome.example"
    assert not ScheduledChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_apply_a_due_change_once(world, later_day):
    notification, person, _ = _dated_change(world, days_ahead=2)
    services.accept_change(notification_id=notification.pk, staff=world.staff)
    later_day(2)
    results = run_copies(apply_due_changes, 4)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 1
    person.refresh_from_db()
    assert person.email == "sam.own@carehome.example"
    assert RegisterChange.objects.filter(person=person, reason="email changed").count() == 1
    assert AuditEvent.objects.filter(verb="notifications.change_applied").count() == 1
