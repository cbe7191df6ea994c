"""The history's rows of sent notifications written in Python (sent_rows): the same HTML as
the template loop and macro they replaced, for every branch of each cell, and the history
page draws them in its table as the loop did. A row is read from a notification through the
declared COLUMNS (row_columns.row_from), which refuses a column that does not name its field."""

import datetime as dt
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse

from portal.frontend.formats import ManyDates
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.draft_list import COLUMNS as DRAFT_COLUMNS
from portal.notifications.draft_list import DraftRow
from portal.notifications.models import Notification, NotificationStatus
from portal.notifications.row_columns import row_from
from portal.notifications.sent_rows import COLUMNS, SentRow, SentRowWriter
from portal.register.models import Location
from tests.factories.notifications import submit

# history.html's loop over the page's notifications before sent_rows, as it was.
_LOOP = """{% import "notifications/_macros.html" as m %}{% for item in items %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell" data-label="Reference"><a class="govuk-link" href="{{ history_url }}{{ item.reference }}/">{{ item.reference }}</a></td>
            <td class="govuk-table__cell" data-label="Notification">{{ catalogue.name_of(item.type_slug) }}</td>
            <td class="govuk-table__cell" data-label="For">{{ item.location.name if item.location else "The provider as a whole" }}</td>
            <td class="govuk-table__cell" data-label="Sent">{{ dates.datetime(item.submitted_at) }}</td>
            <td class="govuk-table__cell" data-label="Status">{{ m.status_tag(item) }}</td>
          </tr>
        {% endfor %}"""


def _examples() -> list[Notification]:
    variants: list[dict[str, Any]] = [
        {},
        {"location": None},
        {"location": Location(name='O\'Brien & "Sons" <Care>')},
        {"type_slug": "never-offered<x>"},
        {"status": "retired_status"},
        *[{"status": status} for status in NotificationStatus.values],
        # British summer time, midnight and midday.
        {"submitted_at": dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)},
        {"submitted_at": dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)},
        {"submitted_at": dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)},
    ]
    made = []
    for number, given in enumerate(variants, start=1):
        notification = Notification(
            pk=number * 977,
            type_slug=given.get("type_slug", "death"),
            status=given.get("status", NotificationStatus.SUBMITTED),
            submitted_at=given.get("submitted_at", dt.datetime(2026, 6, 20, 10, 0, tzinfo=dt.UTC)),
        )
        notification.location = given.get("location", Location(name="Sunrise House"))
        made.append(notification)
    return made


def _row_of(notification: Notification) -> SentRow:
    """The tuple the history reads for this notification."""
    return row_from(SentRow, notification, COLUMNS)


def _render(notifications: list[Notification]) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.from_string(_LOOP).render(
        items=notifications,
        history_url=reverse("notifications:history"),
        catalogue=CATALOGUE,
        dates=ManyDates(),
    )


def test_rows_are_the_template_loops_html():
    examples = _examples()
    writer = SentRowWriter(ManyDates())
    expected = _render(examples)
    rows = [_row_of(notification) for notification in examples]
    assert str(writer.rows(rows)) == expected
    assert str(writer.rows(rows)) == expected  # again, from the names and dates it kept
    for notification, row in zip(examples, rows, strict=True):
        assert writer.row(row) == _render([notification])
        # The row's reference and label are the notification's, as a list reads it.
        assert row.reference == notification.reference
        assert row.status_label == notification.status_label


@pytest.mark.django_db
def test_the_history_page_draws_its_rows_in_the_table(client, world):
    home = world.locations["Organisation"]
    sent = [submit("death", world.manager, home), submit("police", world.manager, home)]
    client.force_login(world.nominated["Organisation"])
    html = client.get(reverse("notifications:history")).content.decode()
    listed = sorted(sent, key=lambda n: (n.submitted_at, n.pk), reverse=True)
    rows = str(SentRowWriter(ManyDates()).rows(map(_row_of, listed)))
    assert (
        f'<tbody class="govuk-table__body">\n        \n        {rows}\n        </tbody>'
    ) in html


@pytest.mark.parametrize(
    ("row_type", "columns"),
    [
        (SentRow, (*COLUMNS[:-1], "location__town_city")),
        (SentRow, ("pk", "status", "type_slug", "submitted_at", "location__name")),
        (DraftRow, tuple(c.replace("created_by", "last_edited_by") for c in DRAFT_COLUMNS)),
    ],
)
def test_a_wrong_column_is_refused_not_read_into_a_field(row_type, columns):
    # _row_of and draft_list.row_of read the declared columns; what keeps them from
    # agreeing with a wrong declaration is that each column must name its field.
    with pytest.raises(ValueError, match="has the fields"):
        row_from(row_type, _examples()[0], columns)
