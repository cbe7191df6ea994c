"""The queues' rows as tuples, and their table rows written here rather than by the template:
a page shows fifty cases, and a model for each case (with its provider, location, team and
assignee) then two macros, three display lookups and a dozen escapes per row were most of the
page's Python. The HTML is byte for byte what queue.html's loop wrote (tests/casework/
test_queue_rows.py renders both)."""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup, escape

from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency
from portal.frontend.formats import ManyDates


class QueueRow(NamedTuple):
    # `id`, `queue_rank`, `opened_at` and `due_on` are named as the cursor's keys.
    id: int
    reference: str
    title: str
    kind: str
    urgency: int
    status: str
    queue_rank: int
    opened_at: dt.datetime
    due_on: dt.date | None
    clock_stopped_on: dt.date | None
    closed_at: dt.datetime | None
    provider_name: str | None
    location_name: str | None
    team_name: str | None
    assignee_name: str | None
    assignee_email: str | None


_COLUMNS = (
    "id",
    "reference",
    "title",
    "kind",
    "urgency",
    "status",
    "queue_rank",
    "opened_at",
    "due_on",
    "clock_stopped_on",
    "closed_at",
    "provider__name",
    "location__name",
    "team__name",
    "assignee__full_name",
    "assignee__email",
)


def queue_rows(cases: QuerySet[Case]) -> list[QueueRow]:
    """The rows of `cases`, in its order, in one query of tuples."""
    return [QueueRow._make(row) for row in cases.values_list(*_COLUMNS)]


_KINDS = dict(CaseKind.choices)
_URGENCIES = dict(CaseUrgency.choices)
_STATUSES = dict(CaseStatus.choices)
# The colours of _macros.html's status_tag.
_COLOURS = {"new": "blue", "in_progress": "light-blue", "waiting_for_provider": "yellow"}
_STAND_IN = 987_654_321


class QueueRowWriter:
    """Writes rows of the queue table; each date's text is worked out once per page."""

    def __init__(self, *, today: dt.date, may_assign: bool) -> None:
        self._today = today
        self._may_assign = may_assign
        self._dates = ManyDates()
        before, _, after = reverse("casework:case", args=[_STAND_IN]).partition(str(_STAND_IN))
        self._href = (before, after)

    def _deadline(self, row: QueueRow) -> str:
        """As the deadline macro of _macros.html."""
        if row.status == "closed":
            closed = row.closed_at and timezone.localdate(row.closed_at)
            return f"Closed {self._dates.date(closed)}"
        if row.clock_stopped_on:
            return f"Clock stopped since {self._dates.date(row.clock_stopped_on)}"
        if row.due_on:
            due = self._dates.date(row.due_on)
            if row.due_on < self._today:
                return f'<strong class="govuk-tag govuk-tag--red">Overdue</strong> was due {due}'
            return f"Due {due}"
        return "No deadline"

    def row(self, row: QueueRow) -> str:
        reference, title = escape(row.reference), escape(row.title)
        select = ""
        if self._may_assign:
            select = (
                '<td class="govuk-table__cell">\n'
                '            <div class="govuk-checkboxes govuk-checkboxes--small"'
                ' data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">\n'
                f'              <input class="govuk-checkboxes__input" id="case-{row.id}"'
                f' name="cases" type="checkbox" value="{row.id}">\n'
                '              <label class="govuk-label govuk-checkboxes__label"'
                f' for="case-{row.id}"><span class="govuk-visually-hidden">Select {reference}'
                f" {title}</span></label>\n"
                "            </div></div>\n"
                "          </td>"
            )
        where = ""
        if row.provider_name is not None:
            where = str(escape(row.provider_name))
        if row.location_name is not None:
            where += f"<br>{escape(row.location_name)}"
        if row.provider_name is None and row.location_name is None:
            where = "None"
        who = "Nobody"
        if row.assignee_email is not None:
            who = str(escape(row.assignee_name or row.assignee_email))
        if row.team_name is not None:
            who += (
                f'<br><span class="govuk-hint govuk-!-font-size-16">{escape(row.team_name)}</span>'
            )
        kind = escape(_KINDS.get(row.kind, row.kind))
        urgency = escape(_URGENCIES.get(row.urgency, row.urgency))
        colour = _COLOURS.get(row.status, "grey")
        status = escape(_STATUSES.get(row.status, row.status))
        before, after = self._href
        return (
            '\n        <tr class="govuk-table__row">\n'
            f"          {select}\n"
            '          <td class="govuk-table__cell" data-label="Case"><a class="govuk-link"'
            f' href="{before}{row.id}{after}">{reference}</a><br>{title}<br>'
            f'<span class="govuk-hint govuk-!-font-size-16">{kind}</span></td>\n'
            f'          <td class="govuk-table__cell" data-label="Provider and location">{where}</td>\n'
            f'          <td class="govuk-table__cell" data-label="Urgency">{urgency}</td>\n'
            f'          <td class="govuk-table__cell" data-label="Deadline">{self._deadline(row)}</td>\n'
            '          <td class="govuk-table__cell" data-label="Status">'
            f'<strong class="govuk-tag govuk-tag--{colour}">{status}</strong></td>\n'
            f'          <td class="govuk-table__cell" data-label="Assigned to">{who}</td>\n'
            "        </tr>\n      "
        )

    def rows(self, rows: Iterable[QueueRow]) -> Markup:
        return Markup("".join(map(self.row, rows)))  # noqa: S704 (every value escaped above)
