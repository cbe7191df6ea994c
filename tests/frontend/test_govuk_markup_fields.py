"""Text inputs, textareas, radios, checkboxes and date inputs written in Python
(portal/frontend/govuk_markup/fields.py) are the official macros' markup, byte for byte: for a
matrix of parameters, and for what govuk_field gives for real form fields."""

from typing import Any

import pytest
from markupsafe import Markup

from portal.frontend.govuk_markup.values import Unsupported
from tests.frontend.markup_checks import HOSTILE, HOSTILE_HTML, assert_falls_back, assert_same

LABELS = [
    {"text": "Full name"},
    {"text": HOSTILE, "isPageHeading": True, "classes": "govuk-label--l"},
    {"html": HOSTILE_HTML, "classes": "govuk-label--s"},
    {"text": ""},
]
HINTS = [None, {"text": HOSTILE}, {"html": HOSTILE_HTML, "classes": "h"}]
ERRORS = [
    None,
    {"text": "Enter your full name"},
    {"text": HOSTILE, "visuallyHiddenText": ""},
    {"html": HOSTILE_HTML, "classes": "e", "visuallyHiddenText": "Problem"},
]


def _field(base: dict[str, Any], label: int, hint: int, error: int) -> dict[str, Any]:
    params = {**base, "label": LABELS[label], "errorMessage": ERRORS[error]}
    if HINTS[hint] is not None:
        params["hint"] = HINTS[hint]
    return params


_NOTES = [(label, hint, error) for label in range(4) for hint in range(3) for error in range(4)]
INPUTS = [
    {"id": "id_name", "name": "name", "value": HOSTILE},
    {"id": "id_n", "name": "n", "value": "", "classes": "govuk-input--width-10", "type": "text"},
    {"name": "email", "value": "a@b.example", "type": "email", "spellcheck": False},
    {
        "id": "id_amount",
        "name": "amount",
        "value": "12",
        "inputmode": "decimal",
        "spellcheck": True,
        "autocomplete": "off",
        "attributes": {"data-x": HOSTILE, "required": True},
    },
    {"id": "i&d", "name": "q", "classes": "x", "describedBy": "other", "pattern": "[0-9]*"},
    {"id": "id_t", "name": "t", "value": None, "autocomplete": None, "disabled": True},
    {"id": "id_s", "name": "s", "spellcheck": "false", "inputmode": "numeric"},
]


@pytest.mark.parametrize("notes", _NOTES)
@pytest.mark.parametrize("base", INPUTS)
def test_input(base: dict[str, Any], notes: tuple[int, int, int]) -> None:
    assert_same("input", _field(base, *notes))


TEXTAREAS = [
    {"id": "id_what", "name": "what", "value": HOSTILE, "rows": 5},
    {"name": "w", "value": "", "rows": 8, "classes": "c", "spellcheck": False},
    {
        "id": "id_x",
        "name": "x",
        "autocomplete": "off",
        "attributes": {"data-a": "1"},
        "disabled": 1,
    },
]


@pytest.mark.parametrize("notes", _NOTES)
@pytest.mark.parametrize("base", TEXTAREAS)
def test_textarea(base: dict[str, Any], notes: tuple[int, int, int]) -> None:
    assert_same("textarea", _field(base, *notes))


def _items(conditional: bool) -> list[Any]:
    reveal = {"html": Markup('\n <div class="govuk-form-group">Tell us more</div>\n')}
    return [
        {
            "value": "yes",
            "text": "Yes",
            "checked": True,
            **({"conditional": reveal} if conditional else {}),
        },
        {"value": "no", "text": HOSTILE, "checked": False, "hint": {"text": HOSTILE}},
        {"divider": "or"},
        None,
        {
            "value": "a&b",
            "html": HOSTILE_HTML,
            "hint": {"html": HOSTILE_HTML},
            "conditional": reveal,
        },
        {"value": "x", "text": "X", "id": "own-id", "label": {"classes": "l"}, "disabled": True},
        {"value": "h", "text": "Hint empty", "hint": {"text": ""}, "attributes": {"data-a": "1"}},
    ]


LEGENDS = [
    None,
    {"legend": {"text": "Which?", "classes": "govuk-fieldset__legend--m"}},
    {"legend": {"text": HOSTILE, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}},
    {"legend": {"html": HOSTILE_HTML}, "classes": "f", "describedBy": "extra"},
]


@pytest.mark.parametrize("kind", ["radios", "checkboxes"])
@pytest.mark.parametrize("legend", range(4))
@pytest.mark.parametrize("notes", [(0, h, e) for h in range(3) for e in range(4)])
@pytest.mark.parametrize("conditional", [False, True])
@pytest.mark.parametrize("classes", [None, "govuk-radios--inline", "govuk-checkboxes--small"])
def test_choices(
    kind: str, legend: int, notes: tuple[int, int, int], conditional: bool, classes: str | None
) -> None:
    params: dict[str, Any] = {
        "idPrefix": "id_choice",
        "name": "choice",
        "items": _items(conditional),
        "errorMessage": ERRORS[notes[2]],
    }
    if HINTS[notes[1]] is not None:
        params["hint"] = HINTS[notes[1]]
    if LEGENDS[legend] is not None:
        params["fieldset"] = LEGENDS[legend]
    if classes is not None:
        params["classes"] = classes
    assert_same(kind, params)


def test_choices_without_id_prefix_and_one_checkbox() -> None:
    assert_same("radios", {"name": "n", "items": [{"value": "1", "text": "One"}] * 3})
    assert_same(
        "checkboxes",
        {
            "idPrefix": "id_agree",
            "name": "agree",
            "errorMessage": {"text": "Tick"},
            "hint": {"text": "h"},
            "items": [{"value": "true", "text": "I agree", "checked": False, "name": "own"}],
            "describedBy": "before",
            "attributes": {"data-b": "2"},
            "formGroup": {"classes": "g", "attributes": {"data-g": "1"}},
        },
    )


def _date_items(error_parts: set[str], with_values: bool) -> list[dict[str, Any]]:
    return [
        {
            "name": part,
            "label": part.capitalize(),
            **({"value": value} if with_values else {}),
            "classes": f"govuk-input--width-{4 if part == 'year' else 2}"
            + (" govuk-input--error" if part in error_parts else ""),
            "autocomplete": f"bday-{part}" if part == "day" else None,
        }
        for part, value in (("day", "3"), ("month", HOSTILE), ("year", ""))
    ]


@pytest.mark.parametrize("legend", range(4))
@pytest.mark.parametrize("notes", [(0, h, e) for h in range(3) for e in range(4)])
@pytest.mark.parametrize("error_parts", [set(), {"day"}, {"day", "month", "year"}])
@pytest.mark.parametrize("with_values", [False, True])
def test_date_input(
    legend: int, notes: tuple[int, int, int], error_parts: set[str], with_values: bool
) -> None:
    params: dict[str, Any] = {
        "id": "id_when",
        "namePrefix": "when",
        "items": _date_items(error_parts, with_values),
        "errorMessage": ERRORS[notes[2]],
    }
    if HINTS[notes[1]] is not None:
        params["hint"] = HINTS[notes[1]]
    if LEGENDS[legend] is not None:
        params["fieldset"] = LEGENDS[legend]
    assert_same("date-input", params)


SELECT_ITEMS = [
    [],
    [{"value": "", "text": "Any"}, {"value": "a&b", "text": HOSTILE, "selected": True}],
    [None, {"value": True, "text": "Yes"}, {"text": "No value", "disabled": True}, {"value": 3}],
    [{"value": "x", "text": "X", "selected": False, "attributes": {"data-x": "1"}}],
]


@pytest.mark.parametrize("notes", _NOTES)
@pytest.mark.parametrize("items", range(4))
@pytest.mark.parametrize(
    "base",
    [
        {"id": "id_region", "name": "region"},
        {"name": "r", "classes": "govuk-!-width-full", "disabled": True, "attributes": {"a": 1}},
    ],
)
def test_select(base: dict[str, Any], items: int, notes: tuple[int, int, int]) -> None:
    assert_same("select", {**_field(base, *notes), "items": SELECT_ITEMS[items]})


@pytest.mark.parametrize(
    ("folder", "params"),
    [
        ("select", {"name": "n", "label": {"text": "L"}, "value": "a", "items": []}),
        ("input", {"name": "n", "label": {"text": "L"}, "prefix": {"text": "£"}}),
        ("input", {"name": "n", "label": {"text": "L"}, "spellcheck": 1}),
        ("textarea", {"name": "n", "label": {"text": "L"}, "formGroup": {"afterInput": "x"}}),
        ("radios", {"name": "n", "value": "a", "items": [{"value": "a", "text": "A"}]}),
        ("checkboxes", {"name": "n", "values": ["a"], "items": [{"value": "a", "text": "A"}]}),
        ("radios", {"name": "n", "items": [{"value": "a", "text": "A", "behaviour": "x"}]}),
        ("date-input", {"id": "d", "namePrefix": "d"}),
        ("date-input", {"id": "d", "items": [{"name": "day"}], "attributes": {"a": "b"}}),
    ],
)
def test_anything_else_is_drawn_by_the_macro(folder: str, params: dict[str, Any]) -> None:
    assert_falls_back(folder, params, Unsupported)
