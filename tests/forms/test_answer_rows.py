"""Check-your-answers drawn with rows built in Python (portal/frontend/answer_rows.py): the
same markup as the `answers` and `check_answers` macros that built them in Jinja (to the
byte, but for the blank lines the old loop left before each list), for plain, multi-line
and file answers, text that needs escaping, and empty sections."""

import re
from uuid import UUID

import pytest
from django.template import engines

from portal.forms.engine import SummaryRow, SummarySection
from portal.forms.fields import AttachedFile
from portal.forms.vocabulary import FileState

# The two macros as they were, before the rows were built in Python.
_BEFORE = """{% from "govuk_frontend_jinja/components/summary-list/macro.html" import govukSummaryList %}
{% from "forms/_macros.html" import file_rows %}
{% macro answers(sections, change_href=None) -%}
  {% for section in sections %}
    <h2 class="govuk-heading-m">{{ section.title }}</h2>
    {% set rows = [] %}
    {% for row in section.rows %}
      {% set value_html %}{% if row.files %}{{ file_rows(row.files) }}{% elif row.multiline %}{{ row.value | e | replace("\\n", "<br>" | safe) }}{% else %}{{ row.value }}{% endif %}{% endset %}
      {% set item = {"key": {"text": row.label}, "value": {"html": value_html}} %}
      {% if change_href %}
        {% do item.update({"actions": {"items": [{"href": change_href(row.page_key), "text": "Change", "visuallyHiddenText": row.label | lower}]}}) %}
      {% endif %}
      {% do rows.append(item) %}
    {% endfor %}
    {{ govukSummaryList({"rows": rows, "classes": "govuk-!-margin-bottom-9"}) }}
  {% endfor %}
{%- endmacro %}
{% macro check_answers(sections, page_url, draft_id) -%}
  {%- macro change_href(page_key) %}{{ url(page_url, draft_id, page_key) }}?return=check{% endmacro -%}
  {{ answers(sections, change_href=change_href) }}
{%- endmacro %}
{% if page_url %}{{ check_answers(sections, page_url, draft_id) }}{% else %}{{ answers(sections) }}{% endif %}"""

_AFTER = """{% import "forms/_macros.html" as n %}
{% if page_url %}{{ n.check_answers(sections, page_url, draft_id) }}{% else %}{{ n.answers(sections) }}{% endif %}"""


def _blank_lines_folded(html: str) -> str:
    """The markup with runs of blank lines after a tag folded to one line break (the old
    loop's `{% set %}` lines left a blank line per row between a heading and its list)."""
    return re.sub(r">\n(?:[ ]*\n)+", ">\n", html.strip())


DRAFT = UUID("12345678-1234-5678-1234-567812345678")

FILES = (
    AttachedFile("7", "report <final>.pdf", 123_456, FileState.CLEAN, href="/files/7?a=1&b=2"),
    AttachedFile("8", "O'Brien.png", 99, FileState.PENDING),
    AttachedFile("9", "virus.docx", 5_000_000, FileState.INFECTED),
)

SECTIONS = [
    SummarySection(
        "About you & <yours>",
        [
            SummaryRow("Your name", "O'Brien & Sons <Care>", "about", "name"),
            SummaryRow(
                "What happened?", "Line one\nLine <two> & more\n", "event", "what", multiline=True
            ),
            SummaryRow("Number of beds", "1,200", "about", "beds"),
            SummaryRow("Date (optional)", "Not given", "about-you", "date"),
        ],
    ),
    SummarySection("Nothing here", []),
    SummarySection(
        "Documents",
        [
            SummaryRow("Statement", "", "files", "statement", multiline=True, files=FILES),
            SummaryRow("Choices", "One\nTwo", "files", "choices", multiline=True),
        ],
    ),
]


@pytest.mark.parametrize(
    ("page_url", "draft_id"),
    [
        ("", None),
        ("applications:page", DRAFT),
        ("applications:part_page", DRAFT),
        ("notifications:draft_page", DRAFT),
    ],
)
@pytest.mark.parametrize("sections", [SECTIONS, SECTIONS[:1], SECTIONS[1:2], []])
def test_the_answers_are_drawn_as_the_macros_drew_them(page_url, draft_id, sections) -> None:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    values = {"sections": sections, "page_url": page_url, "draft_id": draft_id}

    before = env.from_string(_BEFORE).render(values)
    after = env.from_string(_AFTER).render(values)

    assert _blank_lines_folded(after) == _blank_lines_folded(before)
    assert ("?return=check" in after) == bool(page_url and sections and sections[0].rows)
