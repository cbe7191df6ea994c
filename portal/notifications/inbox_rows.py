"""The staff inbox's rows as tuples, and their table rows written here rather than by the
template: a page shows fifty notifications, and a model for each (with its provider and
location), then a macro, two filters and a dozen escapes per row were most of the page's
Python. The HTML is byte for byte what inbox.html's loop wrote (tests/notifications/
test_staff_inbox_rows.py renders both)."""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup, escape

from portal.frontend.formats import ManyDates
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import REPLY_LABELS, STATUS_NAMES, NotificationStatus
from portal.notifications.references import reference_for


class InboxRow(NamedTuple):
    # `pk`, `urgency` and `submitted_at` are the queue's keyset.
    pk: int
    type_slug: str
    status: str
    urgency: int
    submitted_at: dt.datetime
    late: bool
    next_due_on: dt.date | None
    next_due_label: str
    provider_name: str | None
    location_name: str | None
    # The kind of the provider's latest answer or update (selectors.with_latest_reply).
    latest_reply: str | None

    @property
    def status_label(self) -> str:
        """Notification.status_label for a row of a list (which never reads the scheduled
        change, so never says when an accepted change takes effect)."""
        reply = _REPLY_LABELS.get(self.latest_reply or "")
        if self.status == NotificationStatus.SUBMITTED and reply is not None:
            return reply
        return STATUS_NAMES.get(self.status, self.status)


_REPLY_LABELS = {str(kind): label for kind, label in REPLY_LABELS.items()}

# The columns of InboxRow but the last, which is annotated.
COLUMNS = (
    "pk",
    "type_slug",
    "status",
    "urgency",
    "submitted_at",
    "late",
    "next_due_on",
    "next_due_label",
    "provider__name",
    "location__name",
)

# notifications/_macros.html's STATUS_COLOURS (the history's rows use it too: sent_rows).
STATUS_COLOURS = {
    "submitted": "blue",
    "information_requested": "yellow",
    "reviewed": "green",
    "accepted": "green",
    "rejected": "red",
    "closed": "grey",
}


class InboxRowWriter:
    """Writes rows of the inbox table; each day's text is worked out once per page."""

    def __init__(self, *, today: dt.date, urgency_names: dict[int, str]) -> None:
        self._today = today
        self._urgency_names = urgency_names
        self._dates = ManyDates()
        self._inbox = escape(reverse("notifications_staff:inbox"))
        self._waits: dict[dt.date, str] = {}

    def _waiting(self, submitted_at: dt.datetime) -> str:
        """As `{{ submitted_at | waiting_since(today) }} (since {{ submitted_at | govuk_date }})`."""
        day = timezone.localdate(submitted_at)
        text = self._waits.get(day)
        if text is None:
            days = (self._today - day).days
            waited = "Today" if days <= 0 else f"{days} day{'' if days == 1 else 's'}"
            text = self._waits[day] = f"{waited} (since {self._dates.date(day)})"
        return text

    def row(self, row: InboxRow) -> str:
        reference = reference_for(row.pk)
        tags = ""
        if row.late:
            tags = ' <strong class="govuk-tag govuk-tag--red">Sent late</strong>'
        if row.next_due_label and row.next_due_on and row.next_due_on < self._today:
            tags += ' <strong class="govuk-tag govuk-tag--orange">Update overdue</strong>'
        where = "" if row.provider_name is None else str(escape(row.provider_name))
        if row.location_name is not None:
            where += f"<br>{escape(row.location_name)}"
        colour = STATUS_COLOURS.get(row.status, "grey")
        return (
            '\n        <tr class="govuk-table__row">\n'
            '          <td class="govuk-table__cell" data-label="Reference"><a class="govuk-link"'
            f' href="{self._inbox}{reference}/">{reference}</a></td>\n'
            '          <td class="govuk-table__cell" data-label="Notification">'
            f"{escape(CATALOGUE.name_of(row.type_slug))}{tags}</td>\n"
            '          <td class="govuk-table__cell" data-label="Provider and location">'
            f"{where}</td>\n"
            '          <td class="govuk-table__cell" data-label="Urgency">'
            f"{escape(self._urgency_names[row.urgency])}</td>\n"
            '          <td class="govuk-table__cell" data-label="Waiting">'
            f"{self._waiting(row.submitted_at)}</td>\n"
            '          <td class="govuk-table__cell" data-label="Status">'
            f'<strong class="govuk-tag govuk-tag--{colour}">{escape(row.status_label)}</strong>'
            "</td>\n"
            "        </tr>\n      "
        )

    def rows(self, rows: Iterable[InboxRow]) -> Markup:
        return Markup("".join(map(self.row, rows)))  # noqa: S704 (every value escaped above)
