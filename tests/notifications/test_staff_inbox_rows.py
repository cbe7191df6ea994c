"""The inbox's table rows written in Python (inbox_rows): the same HTML as the template loop
and macro they replaced, for every branch of each cell; and the rows a page reads are its
notifications."""

import datetime as dt

import pytest
from django.http import Http404
from django.template import engines
from django.urls import reverse

from portal.notifications import page_reads, queue_figures, selectors, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.inbox_rows import InboxRow, InboxRowWriter
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.references import reference_for
from portal.notifications.staff_views import URGENCY_NAMES
from portal.register.models import Location, Provider
from portal.workflow.selectors import timeline
from tests import factories as f
from tests.notifications.test_staff_queue import make

# inbox.html's loop over the page's notifications before inbox_rows, as it was.
_LOOP = """{% import "notifications/_macros.html" as m %}{% for item in items %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell" data-label="Reference"><a class="govuk-link" href="{{ inbox_url }}{{ item.reference }}/">{{ item.reference }}</a></td>
          <td class="govuk-table__cell" data-label="Notification">{{ catalogue.name_of(item.type_slug) }}
            {%- if item.late %} <strong class="govuk-tag govuk-tag--red">Sent late</strong>{% endif %}
            {%- if item.next_due_label and item.next_due_on and item.next_due_on < today %} <strong class="govuk-tag govuk-tag--orange">Update overdue</strong>{% endif %}</td>
          <td class="govuk-table__cell" data-label="Provider and location">{{ item.provider.name }}{% if item.location %}<br>{{ item.location.name }}{% endif %}</td>
          <td class="govuk-table__cell" data-label="Urgency">{{ urgency_names[item.urgency] }}</td>
          <td class="govuk-table__cell" data-label="Waiting">{{ item.submitted_at | waiting_since(today) }} (since {{ item.submitted_at | govuk_date }})</td>
          <td class="govuk-table__cell" data-label="Status">{{ m.status_tag(item) }}</td>
        </tr>
      {% endfor %}"""

TODAY = dt.date(2026, 7, 1)


def _examples() -> list[tuple[Notification, InboxRow]]:
    variants: list[dict[str, object]] = [
        {},
        {"late": True, "urgency": 3},
        {"next_due_label": "Update", "next_due_on": TODAY - dt.timedelta(days=1)},
        {"next_due_label": "Update", "next_due_on": TODAY, "late": True},
        {"next_due_label": "", "next_due_on": TODAY - dt.timedelta(days=9)},
        {"location": None, "urgency": 2},
        {"provider": Provider(name='O\'Brien & "Sons" <Care>'), "location": Location(name="<b>")},
        {"status": NotificationStatus.INFORMATION_REQUESTED, "latest_reply": MessageKind.ANSWER},
        {"latest_reply": MessageKind.ANSWER},
        {"latest_reply": MessageKind.UPDATE, "type_slug": "never-offered<x>"},
        {"status": NotificationStatus.ACCEPTED, "latest_reply": None},
        {"status": "retired_status"},
        # Submitted late in the evening of 30 June: 1 July in London, so "Today".
        {"submitted_at": dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)},
        {"submitted_at": dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)},
        {"submitted_at": dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)},
    ]
    made = []
    for number, given in enumerate(variants, start=1):
        values: dict[str, object] = {
            "type_slug": "death",
            "status": NotificationStatus.SUBMITTED,
            "urgency": 1,
            "submitted_at": dt.datetime(2026, 6, 20, 10, 0, tzinfo=dt.UTC),
            "late": False,
            "next_due_on": None,
            "next_due_label": "",
        }
        values.update({k: v for k, v in given.items() if k in values})
        provider = given.get("provider", Provider(name="Sunrise Care"))
        location = given.get("location", Location(name="Sunrise House"))
        notification = Notification(pk=number * 977, **values)
        notification.provider, notification.location = provider, location  # type: ignore[assignment]
        notification.latest_reply = given.get("latest_reply")  # type: ignore[attr-defined]
        row = InboxRow(
            pk=number * 977,
            type_slug=str(values["type_slug"]),
            status=str(values["status"]),
            urgency=int(values["urgency"]),  # type: ignore[call-overload]
            submitted_at=values["submitted_at"],  # type: ignore[arg-type]
            late=bool(values["late"]),
            next_due_on=values["next_due_on"],  # type: ignore[arg-type]
            next_due_label=str(values["next_due_label"]),
            provider_name=provider.name if isinstance(provider, Provider) else None,
            location_name=location.name if isinstance(location, Location) else None,
            latest_reply=given.get("latest_reply"),  # type: ignore[arg-type]
        )
        made.append((notification, row))
    return made


def _render(notifications: list[Notification]) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.from_string(_LOOP).render(
        items=notifications,
        inbox_url=reverse("notifications_staff:inbox"),
        catalogue=CATALOGUE,
        urgency_names=URGENCY_NAMES,
        today=TODAY,
    )


def test_rows_are_the_template_loops_html():
    examples = _examples()
    writer = InboxRowWriter(today=TODAY, urgency_names=URGENCY_NAMES)
    expected = _render([notification for notification, _ in examples])
    rows = [row for _, row in examples]
    assert str(writer.rows(rows)) == expected
    assert str(writer.rows(rows)) == expected  # again, from the days it kept
    for notification, row in examples:
        assert row.status_label == notification.status_label
        assert writer.row(row) == _render([notification])


@pytest.mark.django_db
def test_a_pages_rows_are_its_notifications(world):
    plain = make(world, urgency=3, minutes=1)
    late = make(world, urgency=1, minutes=2, late=True, next_due_label="Update")
    page = selectors.staff_queue_page(selectors.InboxFilters(), size=10)
    assert [row.pk for row in page.items] == [plain.pk, late.pk]
    for row in page.items:
        notification = selectors.with_latest_reply(Notification.objects.all()).get(pk=row.pk)
        assert row.status_label == notification.status_label
        assert (row.type_slug, row.status, row.urgency, row.submitted_at, row.late) == (
            notification.type_slug,
            notification.status,
            notification.urgency,
            notification.submitted_at,
            notification.late,
        )
        assert (row.next_due_on, row.next_due_label) == (
            notification.next_due_on,
            notification.next_due_label,
        )
        assert row.provider_name == notification.provider.name
        assert row.location_name == (notification.location.name if notification.location else None)


@pytest.mark.django_db
def test_a_staff_page_reads_the_notification_the_orm_reads(world):
    notification = make(world, urgency=2, minutes=3)
    NotificationMessage.objects.create(
        notification=notification, kind=MessageKind.ANSWER, body="Here it is", author=world.manager
    )
    found = selectors.staff_notification(notification.reference)
    expected = (
        selectors.with_latest_reply(Notification.objects.all())
        .select_related("provider", "location", "submitted_by", "decided_by", "scheduled_change")
        .get(pk=notification.pk)
    )
    assert {k: v for k, v in vars(found).items() if k != "_state"} == {
        k: v for k, v in vars(expected).items() if k != "_state"
    }
    assert found.latest_reply == MessageKind.ANSWER  # type: ignore[attr-defined]
    assert found.status_label == "Answer received"
    assert (found.provider, found.location, found.submitted_by) == (
        expected.provider,
        expected.location,
        expected.submitted_by,
    )
    for missing in ("NOT-0000-0000", "nonsense", reference_for(notification.pk + 1000)):
        with pytest.raises(Http404):
            selectors.staff_notification(missing)


@pytest.mark.django_db
def test_a_notifications_thread_and_timeline_are_the_orms(world):
    notification = f.submit("death", world.manager, world.locations["Organisation"])
    other = f.submit("death", world.manager, world.locations["Organisation"])
    services.ask_question(notification_id=notification.pk, staff=world.staff, body="When?")
    services.ask_question(notification_id=other.pk, staff=world.staff, body="Not this one")
    NotificationMessage.objects.create(
        notification=notification, kind=MessageKind.STATUS, body="Status", author=world.staff
    )
    thread = page_reads.thread_of(notification)
    expected = list(
        NotificationMessage.objects.filter(notification=notification)
        .exclude(kind=MessageKind.STATUS)
        .select_related("author")
    )
    assert [m.body for m in thread] == ["When?"]
    assert [vars(m) | {"_state": None} for m in thread] == [
        vars(m) | {"_state": None} for m in expected
    ]
    assert thread[0].author == world.staff
    changes = page_reads.status_changes_of(notification)
    assert [(c.pk, c.action, c.actor) for c in changes] == [
        (c.pk, c.action, c.actor) for c in timeline(notification)
    ]
    assert [c.action for c in changes] == ["submit", "ask_question"]


@pytest.mark.django_db
def test_the_latest_answers_are_the_orms(world):
    answered = []
    for _ in range(3):
        notification = f.submit("death", world.manager, world.locations["Organisation"])
        question = services.ask_question(
            notification_id=notification.pk, staff=world.staff, body="When?"
        )
        services.answer_question(question_id=question.pk, user=world.manager, body="Monday")
        answered.append(notification)
    f.submit("death", world.manager, world.locations["Organisation"])  # never answered
    latest = queue_figures.queue_summary(latest=2).latest_answered
    expected = list(
        queue_figures.answered_since_decided()
        .select_related("provider")
        .order_by("-answered_at", "-pk")[:2]
    )
    assert [n.pk for n in latest] == [n.pk for n in expected] == [a.pk for a in answered[:0:-1]]
    for got, want in zip(latest, expected, strict=True):
        assert got.answered_at == want.answered_at  # type: ignore[attr-defined]
        assert got.provider.name == want.provider.name
        assert got.reference == want.reference
    assert [n.pk for n in queue_figures.queue_summary(latest=5).latest_answered] == [
        a.pk for a in reversed(answered)
    ]
