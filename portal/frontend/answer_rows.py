"""Check-your-answers rows as the GOV.UK summary list takes them, built in Python.

The `answers` macro (portal/forms/jinja2/forms/_macros.html) built each row's dictionaries
and its change link in Jinja, a macro call per row: on an application's check page (about 65
answers) that loop cost more than drawing the list. The same items, escaped the same way;
tests/forms/test_answer_rows.py compares the page markup with the macro's (the blank lines the
macro's loop left between the heading and the list aside).
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from markupsafe import Markup, escape

from portal.frontend.reversing import url


class AnswerRow(Protocol):
    """One answer as the forms engine summarises it (portal.forms.engine.SummaryRow)."""

    @property
    def label(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def page_key(self) -> str: ...
    @property
    def multiline(self) -> bool: ...
    @property
    def files(self) -> Sequence[Any]: ...


def answer_items(
    rows: Sequence[AnswerRow],
    change_href: Callable[[str], Any] | None = None,
    file_rows: Callable[[Sequence[Any]], Any] | None = None,
) -> list[dict[str, Any]]:
    """The summary list's rows: `change_href(page_key)` links each to its page; `file_rows`
    (the template's macro) draws a file answer's files."""
    items: list[dict[str, Any]] = []
    for row in rows:
        if row.files and file_rows is not None:
            value_html = Markup(file_rows(row.files))  # noqa: S704 (the macro's markup)
        elif row.multiline:
            value_html = escape(row.value).replace("\n", Markup("<br>"))
        else:
            value_html = escape(row.value)
        item: dict[str, Any] = {"key": {"text": row.label}, "value": {"html": value_html}}
        if change_href is not None:
            change = {"href": change_href(row.page_key), "text": "Change"}
            change["visuallyHiddenText"] = row.label.lower()
            item["actions"] = {"items": [change]}
        items.append(item)
    return items


def change_links(page_url: str, draft_id: Any) -> Callable[[str], Markup]:
    """Each page's address (the URL name `page_url`, taking the draft's id and the page's
    key), coming back to check the answers."""

    # A page asks several questions: its address is worked out once.
    by_page: dict[str, Markup] = {}

    def change_href(page_key: str) -> Markup:
        href = by_page.get(page_key)
        if href is None:
            href = by_page[page_key] = escape(url(page_url, draft_id, page_key)) + Markup(
                "?return=check"
            )
        return href

    return change_href
