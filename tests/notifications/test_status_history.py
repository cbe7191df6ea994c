"""Notifications on the shared workflow: every status change is a row (from, to, action,
who, when, reason) written with its audit event; the pages show the timeline from those
rows; the status cannot be assigned directly; a guard's reason reaches the page."""

import pytest
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.errors import ServiceError
from portal.notifications import services
from portal.notifications.models import Notification, NotificationStatus
from portal.workflow.models import DirectStatusChange
from portal.workflow.selectors import timeline
from tests.factories.notifications import submit
from tests.notifications.helpers import detail_url

pytestmark = pytest.mark.django_db


def _staff(reference: str, name: str) -> str:
    return reverse(f"notifications_staff:{name}", args=[reference])


def test_each_move_writes_one_status_change_row_and_its_audit_event(client, world):
    notification = submit("police", world.manager, world.locations["Organisation"])
    services.ask_question(notification_id=notification.pk, staff=world.staff, body="Who?")
    services.close(notification_id=notification.pk, staff=world.staff, reason="Nothing to do")
    rows = list(timeline(notification))
    assert [(r.action, r.from_status, r.to_status) for r in rows] == [
        ("submit", "", "submitted"),
        ("ask_question", "submitted", "information_requested"),
        ("close", "information_requested", "closed"),
    ]
    assert rows[0].actor == world.manager
    assert rows[2].actor == world.staff
    assert rows[2].reason == "Nothing to do"
    assert AuditEvent.objects.filter(
        verb="notifications.close", target_id=str(notification.pk)
    ).exists()
    # A refused move writes nothing and changes nothing.
    with pytest.raises(ServiceError, match="is closed, so you cannot"):
        services.mark_reviewed(notification_id=notification.pk, staff=world.staff)
    # The notification's own rows: its case in the staff queue may share its number.
    assert timeline(notification).count() == 3


def test_assigning_the_status_directly_is_refused(world):
    notification = submit("police", world.manager, world.locations["Organisation"])
    with pytest.raises(DirectStatusChange):
        notification.status = NotificationStatus.CLOSED
    fresh = Notification.objects.get(pk=notification.pk)
    with pytest.raises(DirectStatusChange):
        fresh.status = NotificationStatus.ACCEPTED
    # Loading, creating and refreshing still set it.
    fresh.refresh_from_db()
    assert fresh.status == NotificationStatus.SUBMITTED
    assert Notification(status=NotificationStatus.CLOSED).status == NotificationStatus.CLOSED


def test_provider_and_staff_pages_show_the_timeline_from_the_rows(client, world):
    notification = submit("police", world.manager, world.locations["Organisation"])
    services.mark_reviewed(notification_id=notification.pk, staff=world.staff)
    services.close(notification_id=notification.pk, staff=world.staff, reason="Filed for review")
    client.force_login(world.manager)
    provider_page = client.get(detail_url(notification)).content.decode()
    client.force_login(world.staff)
    staff_page = client.get(_staff(notification.reference, "detail")).content.decode()
    for html in (provider_page, staff_page):
        history = html[html.index('id="status-history"') :]
        history = history[: history.index("</table>")]
        assert history.index("Sent") < history.index("Marked as reviewed") < history.index("Closed")
        assert "Filed for review" in history
        assert world.staff.email in history


def test_a_guards_reason_reaches_the_staff_page(client, world):
    # "Accept" is only for changes staff decide on; an incident report is not one of them.
    notification = submit("police", world.manager, world.locations["Organisation"])
    client.force_login(world.staff)
    html = client.post(_staff(notification.reference, "accept")).content.decode()
    assert "This kind of notification is not accepted or rejected." in html
    assert 'class="govuk-error-summary"' in html
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.SUBMITTED
    assert list(timeline(notification).values_list("action", flat=True)) == ["submit"]
