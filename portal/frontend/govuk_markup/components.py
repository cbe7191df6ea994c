"""Buttons, back links, summary lists, the error summary, tags, inset and warning text and
panels as the GOV.UK macros draw them.

Every page has several of these, and the macros spent up to a fifth of a page's CPU on them
(issue 17). Each function takes the macro's parameters and returns the same markup, byte for
byte (tests/frontend/test_govuk_markup*.py compare them), or raises Unsupported for anything
it was not written for.
"""

from typing import Any

from markupsafe import Markup, escape

from portal.frontend.govuk_markup.values import (
    Params,
    Unsupported,
    attributes,
    checked,
    classes,
    content,
    indent,
    styled,
    text,
)

_BUTTON = frozenset(
    {
        "text",
        "html",
        "href",
        "classes",
        "attributes",
        "id",
        "name",
        "value",
        "type",
        "preventDoubleClick",
        "isStartButton",
        "disabled",
    }
)
_START_ICON = (
    '\n  <svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5"'
    ' height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">\n'
    '    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>\n  </svg>'
)


def button(params: Any) -> str:
    params = checked(params, _BUTTON)
    start = bool(params.get("isStartButton"))
    class_names = "govuk-button" + classes(params.get("classes"))
    if start:
        class_names += " govuk-button--start"
    common = f' class="{class_names}" data-module="govuk-button"' + attributes(
        params.get("attributes")
    )
    if params.get("id"):
        common += f' id="{text(params["id"])}"'
    inside = f"\n  {content(params, 2)}{_START_ICON if start else ''}\n"
    before = "\n" + "\n  \n" * (bool(params.get("classes")) + start)
    if params.get("href"):
        return (
            f'{before}\n<a href="{text(params["href"])}" role="button" draggable="false"{common}>'
            f"{inside}</a>\n"
        )
    tag = f'<button type="{text(params.get("type") or "submit")}"'
    if params.get("value"):
        tag += f' value="{text(params["value"])}"'
    if params.get("name"):
        tag += f' name="{text(params["name"])}"'
    if params.get("disabled"):
        tag += ' disabled aria-disabled="true"'
    if "preventDoubleClick" in params:
        if not isinstance(params["preventDoubleClick"], bool | None):
            raise Unsupported  # the macro lower-cases what it is given, Markup included
        tag += f' data-prevent-double-click="{escape(str(params["preventDoubleClick"]).lower())}"'
    return f"{before}\n{tag}{common}>{inside}</button>\n"


_BACK_LINK = frozenset({"text", "html", "href", "classes", "attributes"})


def back_link(params: Any) -> str:
    params = checked(params, _BACK_LINK)
    shown = str(params["html"]) if params.get("html") else text(params.get("text") or "Back")
    return (
        f'\n<a href="{text(params.get("href") or "#")}"'
        f"{styled('govuk-back-link', params)}>{shown}</a>\n"
    )


_SUMMARY_LIST = frozenset({"rows", "classes", "attributes"})
_ROW = frozenset({"key", "value", "actions", "classes"})
_CELL = frozenset({"text", "html", "classes"})
_ACTIONS = frozenset({"items", "classes"})
_ACTION = frozenset({"href", "text", "html", "visuallyHiddenText", "classes", "attributes"})


def _action_link(action: Params) -> str:
    """A row's action link (`_actionLink` of the macro, trimmed), outside any card."""
    action = checked(action, _ACTION)
    # `action.html | safe | indent(4)`: not trimmed, unlike the keys and values.
    html = action.get("html")
    shown = indent(str(Markup(html)), 4) if html else text(action.get("text", ""))  # noqa: S704
    hidden = action.get("visuallyHiddenText")
    if hidden:
        shown += f'<span class="govuk-visually-hidden"> {text(hidden)}</span>'
    return (
        f'<a class="govuk-link{classes(action.get("classes"))}" href="{text(action.get("href", ""))}"'
        f"{attributes(action.get('attributes'))}>{shown}</a>"
    )


def _row_actions(row: Params) -> list[Params]:
    actions = row.get("actions")
    if not actions:
        return []
    actions = checked(actions, _ACTIONS)
    items = actions.get("items")
    if not isinstance(items, list):
        raise Unsupported
    return items


def _row(row: Any, any_actions: bool) -> str:
    row = checked(row, _ROW)
    key, value = checked(row.get("key"), _CELL), checked(row.get("value"), _CELL)
    actions = _row_actions(row)
    no_actions = " govuk-summary-list__row--no-actions" if any_actions and not actions else ""
    html = (
        f'\n  <div class="govuk-summary-list__row{no_actions}{classes(row.get("classes"))}">\n'
        f'    <dt class="govuk-summary-list__key{classes(key.get("classes"))}">\n'
        f"      {content(key, 6)}\n    </dt>\n"
        f'    <dd class="govuk-summary-list__value{classes(value.get("classes"))}">\n'
        f"      {content(value, 6)}\n    </dd>\n    "
    )
    if actions:
        html += (
            f'\n    <dd class="govuk-summary-list__actions{classes(row["actions"].get("classes"))}">'
            "\n      "
        )
        if len(actions) == 1:
            html += indent(_action_link(actions[0]), 6, first=True) + "\n      "
        else:
            html += '\n      <ul class="govuk-summary-list__actions-list">\n        '
            for action in actions:
                html += (
                    '\n        <li class="govuk-summary-list__actions-list-item">\n          '
                    f"{indent(_action_link(action), 8)}\n        </li>\n        "
                )
            html += "\n      </ul>\n      "
        html += "\n    </dd>\n    "
    return html + "\n  </div>\n  "


def summary_list(params: Any) -> str:
    params = checked(params, _SUMMARY_LIST)
    rows = params.get("rows", [])
    if not isinstance(rows, list):
        raise Unsupported
    any_actions = any(bool(row) and bool(_row_actions(checked(row, _ROW))) for row in rows if row)
    listed = "".join("\n  " + (_row(row, any_actions) if row else "") + "\n" for row in rows)
    html = f"<dl{styled('govuk-summary-list', params)}>\n{listed}\n</dl>"
    return "\n\n" + "\n  \n" * len(rows) + html.strip() + "\n"


_ERROR_SUMMARY = frozenset({"titleText", "titleHtml", "errorList", "classes", "attributes"})
_ERROR = frozenset({"text", "html", "href", "attributes"})


def error_summary(params: Any) -> str:
    params = checked(params, _ERROR_SUMMARY)
    errors = params.get("errorList", [])
    if not isinstance(errors, list):
        raise Unsupported
    listed = ""
    if errors:
        listed = '\n        <ul class="govuk-list govuk-error-summary__list">\n        '
        for error in errors:
            error = checked(error, _ERROR)
            if error.get("href"):
                link = (
                    f'<a href="{text(error["href"])}"{attributes(error.get("attributes"))}>'
                    f"{content(error, 12)}</a>"
                )
                listed += f"\n          <li>\n          \n            {link}\n          "
            else:
                listed += (
                    f"\n          <li>\n          \n            {content(error, 10)}\n          "
                )
            listed += "\n          </li>\n        "
        listed += "\n        </ul>\n      "
    return (
        f'\n<div{styled("govuk-error-summary", params)} data-module="govuk-error-summary">\n'
        '  <div role="alert">\n    <h2 class="govuk-error-summary__title">\n'
        f"      {content(params, 6, 'titleHtml', 'titleText')}\n    </h2>\n"
        '    <div class="govuk-error-summary__body">\n      \n      '
        f"{listed}\n    </div>\n  </div>\n</div>\n"
    )


_TAG = frozenset({"text", "html", "classes", "attributes"})


def tag(params: Any) -> str:
    params = checked(params, _TAG)
    return f"\n<strong{styled('govuk-tag', params)}>\n  {content(params, 2)}\n</strong>\n"


_INSET_TEXT = frozenset({"text", "html", "classes", "attributes", "id"})


def inset_text(params: Any) -> str:
    params = checked(params, _INSET_TEXT)
    id_attribute = f' id="{text(params["id"])}"' if params.get("id") else ""
    inset = styled("govuk-inset-text", params)
    return f"\n<div{id_attribute}{inset}>\n  {content(params, 2)}\n</div>\n"


_WARNING_TEXT = frozenset({"text", "html", "classes", "attributes", "iconFallbackText"})


def warning_text(params: Any) -> str:
    params = checked(params, _WARNING_TEXT)
    html = params.get("html")
    shown = str(Markup(html)) if html else text(params.get("text", ""))  # noqa: S704 (caller's)
    return (
        f"\n<div{styled('govuk-warning-text', params)}>\n"
        '  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>\n'
        '  <strong class="govuk-warning-text__text">\n'
        '    <span class="govuk-visually-hidden">'
        f"{text(params.get('iconFallbackText') or 'Warning')}</span>\n"
        f"    {shown}\n  </strong>\n</div>\n"
    )


_PANEL = frozenset(
    {"titleText", "titleHtml", "text", "html", "classes", "attributes", "headingLevel"}
)


def panel(params: Any) -> str:
    params = checked(params, _PANEL)
    level = text(params.get("headingLevel") or 1)
    title = params.get("titleHtml")
    shown = str(Markup(title)) if title else text(params.get("titleText", ""))  # noqa: S704
    body = ""
    if params.get("html") or params.get("text"):
        body = f'\n  <div class="govuk-panel__body">\n    {content(params, 4)}\n  </div>\n  '
    return (
        f"\n<div{styled('govuk-panel govuk-panel--confirmation', params)}>\n"
        f'  <h{level} class="govuk-panel__title">\n    {shown}\n  </h{level}>\n  {body}\n</div>\n'
    )
