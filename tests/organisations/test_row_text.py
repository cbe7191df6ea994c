"""What the team page writes per row without a macro or filter per row (view_helpers): the
same text as the macro and filters it replaced."""

import datetime as dt
import uuid

import pytest
from django.template import engines
from django.urls import reverse

from portal.frontend.formats import govuk_date, govuk_datetime
from portal.organisations.permissions import Permission, describe_permissions
from portal.organisations.view_helpers import RowText, href_for, list_or_text

# The macro the team page and the summaries used before.
_MACRO = (
    "{%- macro list_or_text(items) -%}"
    '{%- if items|length > 1 -%}<ul class="govuk-list">{% for item in items %}<li>{{ item }}'
    "</li>{% endfor %}</ul>{%- else -%}{{ items|first }}{%- endif -%}"
    "{%- endmacro -%}{{ list_or_text(items) }}"
)


@pytest.mark.parametrize(
    "items",
    [
        [],
        ["One place"],
        ["O'Brien & Sons", '"Quoted" <b>bold</b>', "&#x27; already an entity"],
        [f"Annex {i}" for i in range(300)],
        ["Nul\x00inside", "<Next> & 'last'"],
    ],
)
def test_list_or_text_is_the_macros_html(items):
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    assert str(list_or_text(items)) == env.from_string(_MACRO).render(items=items)


def test_list_or_text_escapes_a_single_item():
    assert str(list_or_text(["<script>"])) == "&lt;script&gt;"


def test_row_text_writes_what_the_filters_write():
    text = RowText()
    moments = [
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),  # before the clocks go forward
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),  # after: 2:30am in London
        dt.datetime(2026, 6, 30, 23, 15, tzinfo=dt.UTC),  # the next day in London
        dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC),  # midday
        dt.datetime(2026, 12, 5, 0, 0, tzinfo=dt.UTC),  # midnight
    ]
    for moment in moments * 2:  # the second time from what it kept
        assert text.day(moment) == govuk_date(moment)
        assert text.day_and_time(moment) == govuk_datetime(moment)
    assert text.day(moments[2]) == "1 July 2026"


def test_row_text_describes_access_as_the_summary_did():
    text = RowText()
    held: list[str] = [Permission.VIEW_SUBMISSIONS, Permission.DRAFT_NOTIFICATIONS]
    assert text.access(held) == list_or_text(describe_permissions(held))
    assert text.access(list(held)) is text.access(held)  # worked out once


def test_row_links_are_the_reversed_addresses():
    member = href_for("organisations:member", "membership_id", provider_id="1-101614751")
    for pk in (uuid.uuid4(), uuid.UUID(int=1)):
        assert member(pk) == reverse(
            "organisations:member", kwargs={"provider_id": "1-101614751", "membership_id": pk}
        )
