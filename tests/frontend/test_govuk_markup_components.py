"""Buttons, back links, summary lists and error summaries written in Python
(portal/frontend/govuk_markup/components.py) are the official macros' markup, byte for byte,
for every shape of parameters the templates pass."""

import itertools
from typing import Any

import pytest
from jinja2.filters import do_indent
from markupsafe import Markup

from portal.frontend.govuk_markup import OFFICIAL_PREFIX
from portal.frontend.govuk_markup.values import Unsupported, indent
from tests.frontend.markup_checks import (
    HOSTILE,
    HOSTILE_HTML,
    assert_falls_back,
    assert_same,
    env,
)


def _combinations(options: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the options, a missing key being one of them (`...`)."""
    keys = list(options)
    found = []
    for values in itertools.product(*(options[key] for key in keys)):
        found.append({k: v for k, v in zip(keys, values, strict=True) if v is not ...})
    return found


BUTTONS = [
    *_combinations(
        {
            "text": ["Save and continue", HOSTILE, ...],
            "html": [..., HOSTILE_HTML],
            "href": [..., "/next?a=1&b=2"],
            "classes": [..., "govuk-button--secondary", ""],
            "preventDoubleClick": [..., True, False],
            "isStartButton": [..., True],
            "attributes": [..., {"formnovalidate": True, "data-x": 'a"b'}, {}],
        }
    ),
    {"text": "Remove", "name": "step", "value": "remove:1-1", "id": "remove", "type": "submit"},
    {"text": "Off", "disabled": True, "type": "button", "name": "", "value": ""},
    {"text": "None", "preventDoubleClick": None, "id": 'x"y'},
    {"text": 3, "attributes": 'data-raw="1"'},
]


@pytest.mark.parametrize("params", BUTTONS)
def test_button(params: dict[str, Any]) -> None:
    assert_same("button", params)


BACK_LINKS = _combinations(
    {
        "href": ["/back?a=1&b=2", "", ...],
        "text": [..., HOSTILE, ""],
        "html": [..., HOSTILE_HTML],
        "classes": [..., "govuk-!-display-none-print"],
        "attributes": [..., {"data-module": "back"}],
    }
)


@pytest.mark.parametrize("params", BACK_LINKS)
def test_back_link(params: dict[str, Any]) -> None:
    assert_same("back-link", params)


def _row(key: Any, value: dict[str, Any], actions: Any = ..., **extra: Any) -> dict[str, Any]:
    row = {"key": key, "value": value, **extra}
    if actions is not ...:
        row["actions"] = actions
    return row


_CHANGE = {"href": "/change?x=1&y=2", "text": "Change", "visuallyHiddenText": HOSTILE}
_ROWS = [
    _row({"text": "Name"}, {"text": HOSTILE}),
    _row({"text": HOSTILE, "classes": "k"}, {"html": HOSTILE_HTML, "classes": "v"}),
    _row({"html": Markup("<b>Key</b>")}, {"text": None}, {"items": [_CHANGE]}),
    _row(
        {"text": "Two actions"},
        {"text": ""},
        {
            "items": [
                _CHANGE,
                {
                    "href": "/remove",
                    "html": HOSTILE_HTML,
                    "classes": "govuk-link--no-visited-state",
                },
                {"href": "/x", "text": "Go", "attributes": {"aria-label": HOSTILE}},
            ],
            "classes": "acts",
        },
        classes="row-class",
    ),
    _row({"text": "No actions listed"}, {"text": "x"}, {"items": []}),
    _row({"text": 12}, {"text": 0}, {"items": [{"href": "/a", "text": "Change"}]}),
]


@pytest.mark.parametrize(
    "rows",
    [
        [],
        _ROWS[:1],
        _ROWS[:2],
        _ROWS,
        [None, _ROWS[2], {}, _ROWS[0]],
        [_ROWS[4], _ROWS[1]],
        [_ROWS[3]],
    ],
)
@pytest.mark.parametrize(
    "extra", [{}, {"classes": "govuk-summary-list--no-border"}, {"attributes": {"id": "s"}}]
)
def test_summary_list(rows: list[Any], extra: dict[str, Any]) -> None:
    assert_same("summary-list", {"rows": rows, **extra})


ERROR_LISTS = [
    [],
    [{"text": "Enter your name", "href": "#id_name"}],
    [
        {"text": HOSTILE, "href": "#id_a&b"},
        {"html": HOSTILE_HTML, "href": "#main-content"},
        {"text": "No link"},
        {"html": HOSTILE_HTML},
        {"text": "Attrs", "href": "#x", "attributes": {"data-x": "1"}},
    ],
]


@pytest.mark.parametrize("errors", ERROR_LISTS)
@pytest.mark.parametrize(
    "extra",
    [
        {"titleText": "There is a problem"},
        {"titleText": HOSTILE, "classes": "extra"},
        {"titleHtml": HOSTILE_HTML, "attributes": {"tabindex": "-1"}},
    ],
)
def test_error_summary(errors: list[Any], extra: dict[str, Any]) -> None:
    assert_same("error-summary", {"errorList": errors, **extra})


SMALL = {
    "tag": _combinations(
        {
            "text": ["Submitted", HOSTILE, ...],
            "html": [..., HOSTILE_HTML],
            "classes": [..., "govuk-tag--red"],
            "attributes": [..., {"id": "t"}],
        }
    ),
    "inset-text": _combinations(
        {
            "text": ["We will email you", HOSTILE, ...],
            "html": [..., HOSTILE_HTML],
            "classes": [..., "govuk-!-margin-top-0"],
            "id": [..., "i&d"],
            "attributes": [..., {"data-x": True}],
        }
    ),
    "warning-text": _combinations(
        {
            "text": ["You cannot undo this", HOSTILE, ...],
            "html": [..., HOSTILE_HTML],
            "iconFallbackText": [..., "Warning", HOSTILE, ""],
            "classes": [..., "x"],
            "attributes": [..., {"id": "w"}],
        }
    ),
    "panel": _combinations(
        {
            "titleText": ["Notification sent", HOSTILE, ...],
            "titleHtml": [..., HOSTILE_HTML],
            "text": [..., "Your reference is NOT-0000-0042", ""],
            "html": [..., HOSTILE_HTML],
            "headingLevel": [..., 2],
            "classes": [..., "p"],
        }
    ),
}


@pytest.mark.parametrize(
    ("folder", "params"),
    [(folder, params) for folder, shapes in SMALL.items() for params in shapes],
)
def test_tag_inset_warning_and_panel(folder: str, params: dict[str, Any]) -> None:
    assert_same(folder, params)


@pytest.mark.parametrize(
    ("folder", "params"),
    [
        ("tag", {"text": "T", "id": "x"}),
        ("panel", {"titleText": "T", "caller": None}),
        ("button", {"text": "Save", "unknown": 1}),
        ("button", {"text": "Save", "attributes": {"x": {"val": "y"}}}),
        ("back-link", {"href": "/", "attributes": ["x"]}),
        ("summary-list", {"rows": [], "card": {"title": {"text": "Card"}}}),
        ("summary-list", {"rows": [_row({"text": "K"}, {"text": "V"}, {"items": [{"x": 1}]})]}),
        ("error-summary", {"titleText": "T", "descriptionText": "D", "errorList": []}),
    ],
)
def test_anything_else_is_drawn_by_the_macro(folder: str, params: dict[str, Any]) -> None:
    assert_falls_back(folder, params, Unsupported)


@pytest.mark.parametrize(
    "html",
    ["", "one", "one\ntwo", "\n\nthree\n\n", "a\r\nb\x0bc\u2028d\x1ce", "  lead\n\n  x\n"],
)
@pytest.mark.parametrize("first", [False, True])
def test_indent_is_jinjas_filter(html: str, first: bool) -> None:
    expected = do_indent(Markup(html), 4, first)  # noqa: S704 (test text)
    assert indent(html, 4, first) == str(expected)


def test_templates_importing_a_macro_get_the_renderer_and_call_blocks_the_macro() -> None:
    jinja = env()
    imported = jinja.get_template("govuk_frontend_jinja/components/inset-text/macro.html")
    assert imported.module.govukInsetText is jinja.globals["govuk_markup"].govukInsetText
    page = (
        '{% from "PREFIX/components/inset-text/macro.html" import govukInsetText %}'
        '{% from "PREFIX/components/button/macro.html" import govukButton %}'
        '{{ govukButton({"text": who}) }}'
        '{% call govukInsetText({"classes": "c"}) %}<p>{{ who }}</p>{% endcall %}'
        '{{ govukInsetText({"text": who}) }}'
    )
    ours = jinja.from_string(page.replace("PREFIX", "govuk_frontend_jinja")).render(who=HOSTILE)
    official = jinja.from_string(page.replace("PREFIX", OFFICIAL_PREFIX)).render(who=HOSTILE)
    assert ours == official
    assert "<p>O&#39;Brien &amp; Sons &lt;script&gt;" in ours
