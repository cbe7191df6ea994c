"""The form field components `govuk_field` uses, as the GOV.UK macros draw them.

Text inputs, textareas, radios, checkboxes and date inputs with their label or legend, hint
and error message: byte for byte the official markup (tests/frontend compare them), or
Unsupported for parameters not written here, which the official macro then draws.
"""

from typing import Any

from markupsafe import Markup

from portal.frontend.govuk_markup.values import (
    Params,
    Unsupported,
    attributes,
    checked,
    classes,
    content,
    indent,
    optional,
    styled,
    text,
)

_LABEL = frozenset({"text", "html", "classes", "isPageHeading", "attributes"})
_HINT = frozenset({"text", "html", "classes", "attributes"})
_ERROR = frozenset({"text", "html", "classes", "attributes", "visuallyHiddenText"})
_LEGEND = frozenset({"text", "html", "classes", "isPageHeading"})
_FIELDSET = frozenset({"legend", "classes", "attributes", "describedBy"})
_FORM_GROUP = frozenset({"classes", "attributes"})
# What every field with a label takes (`_labelled` and `_form_group` read most of them); each
# field's own set adds the rest of its macro's parameters.
_LABELLED = frozenset(
    {
        "id",
        "name",
        "label",
        "hint",
        "errorMessage",
        "classes",
        "attributes",
        "disabled",
        "describedBy",
        "formGroup",
    }
)


def _label(label: Params, for_id: str, extra_classes: str = "") -> str:
    """govukLabel, trimmed."""
    if not (label.get("html") or label.get("text")):
        return ""
    html = (
        f'<label{styled(f"govuk-label{extra_classes}", label)} for="{for_id}">\n'
        f"  {content(label, 2)}\n</label>"
    )
    if label.get("isPageHeading"):
        return f'<h1 class="govuk-label-wrapper">\n  {indent(html, 2)}\n</h1>'
    return html


def _hint(hint: Params, hint_id: str, extra_classes: str = "") -> str:
    """govukHint, trimmed."""
    return (
        f'<div id="{hint_id}"{styled(f"govuk-hint{extra_classes}", hint)}>\n'
        f"  {content(hint, 2)}\n</div>"
    )


def _error(error: Params, error_id: str) -> str:
    """govukErrorMessage, trimmed."""
    hidden = error.get("visuallyHiddenText", "Error")
    message = content(error, 2)
    if hidden:
        message = f'<span class="govuk-visually-hidden">{text(hidden)}:</span> {message}'
    return f'<p id="{error_id}"{styled("govuk-error-message", error)}>\n  \n  {message}\n  \n</p>'


def _notes(params: Params, field_id: str, described_by: str) -> tuple[str, str]:
    """The hint and error message under a label or legend, and the aria-describedby then."""
    html = ""
    hint = optional(params, "hint", _HINT)
    if hint:
        hint_id = f"{field_id}-hint"
        described_by = f"{described_by} {hint_id}" if described_by else hint_id
        html += f"\n  \n  \n  {indent(_hint(hint, hint_id), 2)}\n"
    html += "\n"
    error = optional(params, "errorMessage", _ERROR)
    if error:
        error_id = f"{field_id}-error"
        described_by = f"{described_by} {error_id}" if described_by else error_id
        html += f"\n  \n  \n  {indent(_error(error, error_id), 2)}\n"
    return html, described_by


def _form_group(params: Params, inside: str) -> str:
    group = optional(params, "formGroup", _FORM_GROUP) or {}
    error = " govuk-form-group--error" if params.get("errorMessage") else ""
    return f"<div{styled(f'govuk-form-group{error}', group)}>{inside}</div>\n"


def _fieldset(fieldset: Params, described_by: str, inner: str, role: str = "") -> str:
    """govukFieldset around `inner` (a component's trimmed HTML), trimmed."""
    legend = checked(fieldset.get("legend", {}), _LEGEND)
    html = f'<fieldset class="govuk-fieldset{classes(fieldset.get("classes"))}"'
    if role:
        html += f' role="{role}"'
    if described_by:
        html += f' aria-describedby="{described_by}"'
    html += f"{attributes(fieldset.get('attributes'))}>\n  "
    if legend.get("html") or legend.get("text"):
        html += f'\n  <legend class="govuk-fieldset__legend{classes(legend.get("classes"))}">\n  '
        if legend.get("isPageHeading"):
            html += (
                f'\n    <h1 class="govuk-fieldset__heading">\n      {content(legend, 6)}\n'
                "    </h1>\n  "
            )
        else:
            html += f"\n    {content(legend, 4)}\n  "
        html += "\n  </legend>\n  "
    html += "\n"
    if inner:
        html += f"\n  {inner}\n"
    return html + "\n</fieldset>"


def _labelled(params: Any, allowed: frozenset[str]) -> tuple[Params, str, Params, str, str]:
    """What a field with a label starts from: its checked parameters, id, label, and the hint
    and error message under the label with the aria-describedby they make."""
    params = checked(params, allowed)
    field_id = text(params.get("id") or params.get("name", ""))
    label = checked(params.get("label"), _LABEL)
    notes, described_by = _notes(params, field_id, _described_by(params))
    return params, field_id, label, notes, described_by


def _described_by(params: Params | None, key: str = "describedBy") -> str:
    """An aria-describedby given in the parameters, escaped as the ids added to it are."""
    value = params.get(key) if params else None
    if not value:
        return ""
    if not isinstance(value, str):
        raise Unsupported
    return text(value)


_INPUT = _LABELLED | {
    "type",
    "value",
    "autocomplete",
    "inputmode",
    "spellcheck",
    "pattern",
    "autocapitalize",
}


def _input_tag(params: Params, field_id: str, described_by: str) -> str:
    spellcheck = params.get("spellcheck")
    # Only true or false are written: the macro leaves out "false" (a string) and None.
    if not isinstance(spellcheck, bool | str | None):
        raise Unsupported
    names: dict[str, Any] = {
        "class": "govuk-input"
        + classes(params.get("classes"))
        + (" govuk-input--error" if params.get("errorMessage") else ""),
        "id": Markup(field_id),  # noqa: S704 (escaped by the caller)
        "name": params.get("name", ""),
        "type": params.get("type") or "text",
        "spellcheck": {
            "value": str(spellcheck).lower() if isinstance(spellcheck, bool) else False,
            "optional": True,
        },
    }
    for name in ("value", "disabled", "aria-describedby", "autocomplete"):
        names[name] = {"optional": True}
    for name in ("autocapitalize", "pattern", "inputmode"):
        names[name] = {"optional": True}
    for name in ("value", "disabled", "autocomplete", "autocapitalize", "pattern", "inputmode"):
        if name in params:
            names[name]["value"] = params[name]
    if described_by:
        names["aria-describedby"]["value"] = Markup(described_by)  # noqa: S704 (escaped ids)
    # The class went through `~` and then the attribute's escape: escaped once, as here.
    names["class"] = Markup(names["class"])  # noqa: S704 (escaped by classes())
    return f"<input{attributes(names)}{attributes(params.get('attributes'))}>"


def text_input(params: Any) -> str:
    params, field_id, label, notes, described_by = _labelled(params, _INPUT)
    before = "\n\n\n\n" + "\n  \n" * (
        bool(params.get("classes")) + bool(params.get("errorMessage"))
    )
    inside = (
        f"\n  {indent(_label(label, field_id), 2)}\n{notes}"
        f"\n  {_input_tag(params, field_id, described_by)}\n\n"
    )
    return before + _form_group(params, inside)


_TEXTAREA = _LABELLED | {"value", "rows", "autocomplete", "spellcheck"}


def textarea(params: Any) -> str:
    params, field_id, label, notes, described_by = _labelled(params, _TEXTAREA)
    error = " govuk-textarea--error" if params.get("errorMessage") else ""
    tag = (
        f'<textarea class="govuk-textarea{error}{classes(params.get("classes"))}" id="{field_id}"'
        f' name="{text(params.get("name", ""))}" rows="{text(params.get("rows") or 5)}"'
    )
    spellcheck = params.get("spellcheck")
    if isinstance(spellcheck, bool):
        tag += f' spellcheck="{str(spellcheck).lower()}"'
    if params.get("disabled"):
        tag += " disabled"
    if described_by:
        tag += f' aria-describedby="{described_by}"'
    if params.get("autocomplete"):
        tag += f' autocomplete="{text(params["autocomplete"])}"'
    tag += f"{attributes(params.get('attributes'))}>{text(params.get('value', ''))}</textarea>"
    inside = f"\n  {indent(_label(label, field_id), 2)}\n{notes}\n\n  {tag}\n\n"
    return "\n\n\n\n" + _form_group(params, inside)


_CHOICES = frozenset(
    {
        "idPrefix",
        "name",
        "items",
        "fieldset",
        "hint",
        "errorMessage",
        "classes",
        "attributes",
        "formGroup",
    }
)
_ITEM = frozenset(
    {
        "value",
        "text",
        "html",
        "checked",
        "hint",
        "conditional",
        "id",
        "disabled",
        "label",
        "attributes",
        "divider",
    }
)
_ITEM_LABEL = frozenset({"classes", "attributes"})
_CONDITIONAL = frozenset({"html"})


def _choice(
    kind: str, params: Params, item: Any, index: int, id_prefix: str, described_by: str
) -> str:
    """One radio or checkbox (`_radioItem` / `_checkboxItem`), as the loop writes it."""
    item = checked(item, _ITEM | ({"name", "behaviour"} if kind == "checkboxes" else set()))
    radios = kind == "radios"
    item_id = text(item["id"]) if item.get("id") else id_prefix + (f"-{index}" if index > 1 else "")
    start = "\n  " if radios else "\n  \n  "
    end = "\n  " if radios else "\n  \n"
    if item.get("divider"):
        return f'{start}\n    <div class="govuk-{kind}__divider">{text(item["divider"])}</div>{end}'
    is_checked = bool(item.get("checked"))
    hint = optional(item, "hint", _HINT)
    has_hint = bool(hint and (hint.get("text") or hint.get("html")))
    hint_id = f"{item_id}-item-hint"
    conditional = optional(item, "conditional", _CONDITIONAL)
    tag = f'<input class="govuk-{kind}__input" id="{item_id}"'
    if radios:
        tag += f' name="{text(params.get("name", ""))}" type="radio"'
        describing = hint_id if has_hint else ""
    else:
        tag += f' name="{text(item.get("name") or params.get("name", ""))}" type="checkbox"'
        describing = f"{described_by} {hint_id if has_hint else ''}".strip()
    tag += f' value="{text(item.get("value", ""))}"'
    tag += " checked" if is_checked else ""
    tag += " disabled" if item.get("disabled") else ""
    if conditional and conditional.get("html"):
        tag += f' data-aria-controls="conditional-{item_id}"'
    if item.get("behaviour"):
        tag += f' data-behaviour="{text(item["behaviour"])}"'
    if describing:
        tag += f' aria-describedby="{describing}"'
    tag += f"{attributes(item.get('attributes'))}>"
    label = optional(item, "label", _ITEM_LABEL) or {}
    label_html = _label(
        {"text": item.get("text"), "html": item.get("html"), "attributes": label.get("attributes")},
        item_id,
        f" govuk-{kind}__label{classes(label.get('classes'))}",
    )
    html = (
        f"{start}\n    " + "\n    " * (3 if radios else 5) + f'<div class="govuk-{kind}__item">\n'
        f"      {tag}\n      {indent(label_html, 6)}\n      "
    )
    if has_hint and hint:
        hint_html = _hint(hint, hint_id, f" govuk-{kind}__hint")
        html += f"\n      {indent(hint_html, 6)}\n      "
    html += "\n    </div>\n    "
    if conditional and conditional.get("html"):
        hidden = "" if is_checked else f" govuk-{kind}__conditional--hidden"
        html += (
            f'\n    <div class="govuk-{kind}__conditional{hidden}" id="conditional-{item_id}">\n'
            f"      {Markup(conditional['html']).strip()}\n    </div>\n    "  # noqa: S704 (caller's HTML)
        )
    return html + end


def _choices(kind: str, params: Any) -> str:
    params = checked(params, _CHOICES | ({"describedBy"} if kind == "checkboxes" else set()))
    id_prefix = text(params.get("idPrefix") or params.get("name", ""))
    fieldset = optional(params, "fieldset", _FIELDSET)
    if fieldset and "legend" not in fieldset:
        raise Unsupported
    described_by = _described_by(params) if kind == "checkboxes" else ""
    described_by = _described_by(fieldset) or described_by
    notes, described_by = _notes(params, id_prefix, described_by)
    items = params.get("items", [])
    if not isinstance(items, list):
        raise Unsupported
    item_described_by = "" if fieldset else described_by
    listed = "".join(
        "\n      "
        + (_choice(kind, params, item, index, id_prefix, item_described_by) if item else "")
        + "\n    "
        for index, item in enumerate(items, start=1)
    )
    inner = (
        f'{notes}\n  <div{styled(f"govuk-{kind}", params)} data-module="govuk-{kind}">\n    \n    '
        f"{listed}\n    \n  </div>\n"
    ).strip()
    if fieldset:
        inner = indent(_fieldset(fieldset, described_by, inner), 2)
    before = "\n" * 7
    if kind == "checkboxes":  # its template sets the fieldset's aria-describedby in an `if`
        before += "\n" + ("\n  \n" if fieldset and fieldset.get("describedBy") else "")
    return before + _form_group(params, f"\n\n  {inner}\n\n")


def radios(params: Any) -> str:
    return _choices("radios", params)


def checkboxes(params: Any) -> str:
    return _choices("checkboxes", params)


_DATE = frozenset(
    {"id", "namePrefix", "items", "fieldset", "hint", "errorMessage", "classes", "formGroup"}
)
_DATE_ITEM = frozenset(
    {"name", "label", "id", "classes", "value", "inputmode", "autocomplete", "pattern"}
)


def date_input(params: Any) -> str:
    params = checked(params, _DATE)
    field_id = text(params.get("id", ""))
    fieldset = optional(params, "fieldset", _FIELDSET)
    if fieldset and "legend" not in fieldset:
        raise Unsupported
    items = params.get("items")
    if not isinstance(items, list) or not items:
        raise Unsupported  # the macro's default day, month and year
    notes, described_by = _notes(params, field_id, _described_by(fieldset))
    inputs = ""
    for item in items:
        item = checked(item, _DATE_ITEM)
        name = str(item.get("name", ""))
        one: dict[str, Any] = {
            "label": {
                "text": item["label"] if item.get("label") else name.capitalize(),
                "classes": "govuk-date-input__label",
            },
            "id": item["id"] if item.get("id") else f"{params.get('id', '')}-{name}",
            "classes": "govuk-date-input__input "
            + (str(item["classes"]) if item.get("classes") else ""),
            "name": f"{params['namePrefix']}-{name}" if params.get("namePrefix") else name,
            "type": "text",
            "inputmode": item.get("inputmode") or "numeric",
        }
        for key in ("value", "autocomplete", "pattern"):
            if key in item:
                one[key] = item[key]
        html = text_input(one).strip()
        inputs += (
            f'\n    <div class="govuk-date-input__item">\n      {indent(html, 6)}\n    </div>\n    '
        )
    id_attribute = f' id="{field_id}"' if params.get("id") else ""
    inner = (
        f'{notes}\n  <div class="govuk-date-input{classes(params.get("classes"))}"{id_attribute}>'
        f"\n    \n    {inputs}\n    \n  </div>\n"
    ).strip()
    if fieldset:
        inner = indent(_fieldset(fieldset, described_by, inner, role="group"), 2)
    return "\n" * 5 + "\n  \n  \n" + _form_group(params, f"\n\n  {inner}\n\n")


_SELECT = _LABELLED | {"items"}
_OPTION = frozenset({"value", "text", "selected", "disabled", "attributes"})


def _option(item: Any) -> str:
    item = checked(item, _OPTION)
    html = "<option"
    if "value" in item:
        value = item["value"]
        html += f' value="{text(str(value).lower() if isinstance(value, bool) else value)}"'
    if item.get("selected"):
        html += " selected"
    if item.get("disabled"):
        html += " disabled"
    return f"{html}{attributes(item.get('attributes'))}>{text(item.get('text', ''))}</option>"


def select(params: Any) -> str:
    params, field_id, label, notes, described_by = _labelled(params, _SELECT)
    items = params.get("items", [])
    if not isinstance(items, list):
        raise Unsupported
    tag = (
        f'<select class="govuk-select{classes(params.get("classes"))}'
        f'{" govuk-select--error" if params.get("errorMessage") else ""}" id="{field_id}"'
        f' name="{text(params.get("name", ""))}"'
    )
    if params.get("disabled"):
        tag += " disabled"
    if described_by:
        tag += f' aria-describedby="{described_by}"'
    tag += f"{attributes(params.get('attributes'))}>\n    "
    if items:
        options = "".join(
            "\n        " + (f"\n        {_option(item)}\n        " if item else "") + "\n      "
            for item in items
        )
        tag += f"\n      {options}\n    "
    tag += "\n  </select>"
    inside = f"\n  {indent(_label(label, field_id), 2)}\n{notes}\n\n  {tag}\n\n"
    return "\n\n\n\n" + _form_group(params, inside)
