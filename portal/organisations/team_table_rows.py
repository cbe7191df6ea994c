"""The rows of the team page's four tables, written here rather than by the template: a page
holds about 160 rows (registered people, members, invitations, requests to join), and each
cell through the template's loop (an escape, a call and a yield through the layout's nested
blocks each) was the largest part of the page's Python. The HTML is byte for byte what
team.html's loops wrote (tests/organisations/test_team_table_rows.py renders both)."""

import datetime as dt
import html
from collections.abc import Callable, Iterable, Sequence
from uuid import UUID

from django.utils import timezone
from markupsafe import Markup

from portal.frontend.govuk_markup.components import tag
from portal.organisations.selectors import RegisteredPerson
from portal.organisations.team_rows import InvitationRow, JoinRequestRow, MemberRow
from portal.organisations.view_helpers import RowText, list_or_text

_SUSPENDED = tag({"text": "Suspended", "classes": "govuk-tag--grey"})
_REVIEW = tag(
    {
        "text": "Review: the person who gave this access has left their role",
        "classes": "govuk-tag--yellow",
    }
)
_REDUNDANT = tag(
    {"text": "Redundant: their registered role gives this access", "classes": "govuk-tag--blue"}
)


def _escaped(text: str) -> str:
    """The text escape() gives, as a plain string: html.escape in C, then markupsafe's
    spelling of the two quotes (only a quote can have become "&#x27;" or "&quot;"). A page
    escapes some five hundred values, and a Markup object for each was a tenth of its rows'
    time."""
    return html.escape(text).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def _person(full_name: str, email: str) -> str:
    """A name above its email address, or the address alone."""
    if not full_name:
        return email
    return (
        f'{_escaped(full_name)}<br><span class="govuk-hint govuk-!-margin-bottom-0">{email}</span>'
    )


def _where(whole_provider: bool, location_names: Sequence[str]) -> str:
    return "All locations" if whole_provider else list_or_text(location_names)


def _action(href: str, link_text: str, which_row: str) -> str:
    """The row's "Action" cell: a link whose hidden words (`which_row`, already escaped) say
    which row it is about, or a screen reader's list of links reads "View", "View", "View"."""
    return (
        '<td class="govuk-table__cell" data-label="Action"><a class="govuk-link"'
        f' href="{_escaped(href)}">{link_text}<span'
        f' class="govuk-visually-hidden"> {which_row}</span></a></td>'
    )


class TeamTableRows:
    """Writes the team page's rows; what they share (permissions described, dates written)
    through the page's `RowText`, and each row's link from its table's `href`."""

    def __init__(
        self,
        text: RowText,
        *,
        member_href: Callable[[UUID], str],
        invitation_href: Callable[[UUID], str],
        join_request_href: Callable[[UUID], str],
    ) -> None:
        self._text = text
        self._member_href = member_href
        self._invitation_href = invitation_href
        self._join_request_href = join_request_href

    def _day(self, moment: dt.datetime) -> str:
        return _escaped(self._text.day(moment))

    def join_requests(self, rows: Iterable[JoinRequestRow]) -> Markup:
        written = []
        for row in rows:
            email = _escaped(row.email)
            action = _action(
                self._join_request_href(row.pk), "Decide", f"on the request from {email}"
            )
            written.append(
                '\n        <tr class="govuk-table__row">\n'
                '          <td class="govuk-table__cell" data-label="Person">'
                f"{_person(row.full_name, email)}</td>\n"
                '          <td class="govuk-table__cell" data-label="Asked on">'
                f"{self._day(row.created_at)}</td>\n"
                f"          {action}\n"
                "        </tr>\n      "
            )
        return Markup("".join(written))  # noqa: S704 (every value escaped above)

    def registered_people(self, people: Iterable[RegisteredPerson]) -> Markup:
        written = []
        for person in people:
            where = _where(person.whole_provider, person.locations)
            if not person.has_account:
                signed_in = "No account yet"
            elif person.last_login:
                signed_in = self._day(person.last_login)
            else:
                signed_in = "Not yet"
            written.append(
                '\n      <tr class="govuk-table__row">\n'
                f'        <td class="govuk-table__cell" data-label="Name">{_escaped(person.name)}</td>\n'
                '        <td class="govuk-table__cell" data-label="Role">'
                f"{list_or_text(person.roles)}</td>\n"
                f'        <td class="govuk-table__cell" data-label="Where">{where}</td>\n'
                f'        <td class="govuk-table__cell" data-label="Last signed in">{signed_in}</td>\n'
                "      </tr>\n    "
            )
        return Markup("".join(written))  # noqa: S704 (every value escaped above)

    def members(self, rows: Iterable[MemberRow], location_names: dict[UUID, list[str]]) -> Markup:
        written = []
        for row in rows:
            email = _escaped(row.email)
            suspended = f"<br>{_SUSPENDED}" if row.status == "suspended" else ""
            review = f"<br>{_REVIEW}" if row.granter_review_since else ""
            redundant = f"<br>{_REDUNDANT}" if row.redundant_since else ""
            where = _where(row.whole_provider, location_names.get(row.pk, []))
            signed_in = self._day(row.last_login) if row.last_login else "Not yet"
            action = _action(self._member_href(row.pk), "View", f"access for {email}")
            written.append(
                '\n      <tr class="govuk-table__row">\n'
                '        <td class="govuk-table__cell" data-label="Person">\n'
                f"          {_person(row.full_name, email)}\n"
                f"          {suspended}\n          {review}\n          {redundant}\n"
                "        </td>\n"
                '        <td class="govuk-table__cell" data-label="What they can do">'
                f"{self._text.access(row.permissions)}</td>\n"
                f'        <td class="govuk-table__cell" data-label="Where">{where}</td>\n'
                f'        <td class="govuk-table__cell" data-label="Last signed in">{signed_in}</td>\n'
                f"        {action}\n"
                "      </tr>\n    "
            )
        return Markup("".join(written))  # noqa: S704 (every value escaped above)

    def invitations(self, rows: Iterable[InvitationRow]) -> Markup:
        written = []
        now = timezone.now()  # once for the page, not a clock read for each row
        for row in rows:
            email = _escaped(row.email)
            if row.status == "expired" or row.expires_at <= now:
                status = "Expired"
            else:
                status = f"Waiting – link works until {_escaped(self._text.day_and_time(row.expires_at))}"
            action = _action(self._invitation_href(row.pk), "View", f"invitation to {email}")
            written.append(
                '\n      <tr class="govuk-table__row">\n'
                f'        <td class="govuk-table__cell" data-label="Email">{email}</td>\n'
                '        <td class="govuk-table__cell" data-label="What they can do">'
                f"{self._text.access(row.permissions)}</td>\n"
                f'        <td class="govuk-table__cell" data-label="Status">{status}</td>\n'
                f"        {action}\n"
                "      </tr>\n    "
            )
        return Markup("".join(written))  # noqa: S704 (every value escaped above)
