"""The history's table of sent notifications, its rows written here rather than by the
template: fifty rows a page, each through the template's loop, a macro and a dozen escapes,
were about a ninth of the page's Python. The HTML is byte for byte what history.html's loop
wrote (tests/notifications/test_sent_rows.py renders both).

The rows are read as tuples (`SentRow`), not as a notification and its location each: making
a hundred model instances a page was a tenth of the history's Python."""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from markupsafe import Markup, escape

from portal.frontend.formats import ManyDates
from portal.frontend.reversing import url
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.inbox_rows import STATUS_COLOURS
from portal.notifications.models import STATUS_NAMES
from portal.notifications.references import reference_for


class SentRow(NamedTuple):
    """What a row of the sent notifications shows (read as COLUMNS)."""

    pk: int
    type_slug: str
    status: str
    submitted_at: dt.datetime
    location_name: str | None  # None: about the provider as a whole

    @property
    def reference(self) -> str:
        return reference_for(self.pk)

    @property
    def status_label(self) -> str:
        """Notification.status_label as a list reads it (no reply annotated, no scheduled
        change read): the status's name."""
        return STATUS_NAMES.get(self.status, self.status)


COLUMNS = ("pk", "type_slug", "status", "submitted_at", "location__name")


class SentRowWriter:
    """Writes rows of the sent notifications' table; dates through the page's `ManyDates`."""

    def __init__(self, dates: ManyDates) -> None:
        self._dates = dates
        self._history = escape(url("notifications:history"))
        self._names: dict[str, str] = {}

    def _name_of(self, type_slug: str) -> str:
        name = self._names.get(type_slug)
        if name is None:
            name = self._names[type_slug] = str(escape(CATALOGUE.name_of(type_slug)))
        return name

    def row(self, item: SentRow) -> str:
        reference = escape(item.reference)
        where = (
            "The provider as a whole" if item.location_name is None else escape(item.location_name)
        )
        colour = STATUS_COLOURS.get(item.status, "grey")
        return (
            '\n          <tr class="govuk-table__row">\n'
            '            <td class="govuk-table__cell" data-label="Reference"><a class="govuk-link"'
            f' href="{self._history}{reference}/">{reference}</a></td>\n'
            '            <td class="govuk-table__cell" data-label="Notification">'
            f"{self._name_of(item.type_slug)}</td>\n"
            f'            <td class="govuk-table__cell" data-label="For">{where}</td>\n'
            '            <td class="govuk-table__cell" data-label="Sent">'
            f"{escape(self._dates.datetime(item.submitted_at))}</td>\n"
            '            <td class="govuk-table__cell" data-label="Status">'
            f'<strong class="govuk-tag govuk-tag--{escape(colour)}">'
            f"{escape(item.status_label)}</strong></td>\n"
            "          </tr>\n        "
        )

    def rows(self, items: Iterable[SentRow]) -> Markup:
        return Markup("".join(map(self.row, items)))  # noqa: S704 (every value escaped above)
