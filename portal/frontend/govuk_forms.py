"""Render Django forms through the GOV.UK Frontend macros.

Templates call `govuk_field(form["name"], label_is_heading=True, ...)`; the adapter picks the
GOV.UK component from the field's widget, fills in value, label, hint and error message, and
calls the official macro, so every form has the Design System's markup and accessibility.
`govuk_error_summary(form)` links each error to the input it belongs to.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from jinja2 import Environment, pass_environment
from markupsafe import Markup, escape

from portal.frontend.govuk_fields import GovukDateWidget, GovukTimeWidget
from portal.frontend.showable import shown_back

_MACROS = {
    "input": ("input", "govukInput"),
    "password": ("password-input", "govukPasswordInput"),
    "textarea": ("textarea", "govukTextarea"),
    "character_count": ("character-count", "govukCharacterCount"),
    "radios": ("radios", "govukRadios"),
    "checkboxes": ("checkboxes", "govukCheckboxes"),
    "select": ("select", "govukSelect"),
    "date": ("date-input", "govukDateInput"),
    "file": ("file-upload", "govukFileUpload"),
    "error_summary": ("error-summary", "govukErrorSummary"),
}


def _macro(env: Environment, kind: str) -> Any:
    folder, name = _MACROS[kind]
    # The Python renderer where there is one (portal/frontend/govuk_markup), straight away.
    fast = getattr(env.globals.get("govuk_markup"), name, None)
    if fast is not None:
        return fast
    template = env.get_template(f"govuk_frontend_jinja/components/{folder}/macro.html")
    return getattr(template.module, name)


def _first_error(bound: forms.BoundField) -> dict[str, str] | None:
    if not bound.errors:
        return None
    return {"text": shown_back(str(bound.errors[0]))}


def _label(bound: forms.BoundField, as_heading: bool, classes: str | None) -> dict[str, Any]:
    label: dict[str, Any] = {"text": str(bound.label)}
    if as_heading:
        label["isPageHeading"] = True
        label["classes"] = classes or "govuk-label--l"
    elif classes:
        label["classes"] = classes
    return label


def _legend(bound: forms.BoundField, as_heading: bool, classes: str | None) -> dict[str, Any]:
    legend: dict[str, Any] = {"text": str(bound.label)}
    if as_heading:
        legend["isPageHeading"] = True
        legend["classes"] = classes or "govuk-fieldset__legend--l"
    else:
        legend["classes"] = classes or "govuk-fieldset__legend--m"
    return {"legend": legend}


def _hint(bound: forms.BoundField) -> dict[str, str] | None:
    return {"text": str(bound.help_text)} if bound.help_text else None


def _attributes(widget: forms.Widget, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Widget attrs that the macro does not take as named parameters."""
    skipped = {"id", "name", "class", "maxlength", "autocomplete", "inputmode", "spellcheck"}
    skipped.update(skip)
    return {key: value for key, value in widget.attrs.items() if key not in skipped}


def _choice_items(
    bound: forms.BoundField, conditional: Mapping[str, str] | None, multiple: bool
) -> list[dict[str, Any]]:
    field = bound.field
    value = bound.value()
    if value is None or value == "":
        selected: set[str] = set()
    elif multiple and isinstance(value, list | tuple | set):
        selected = {str(v) for v in value}
    else:
        selected = {str(value)}
    hints: Mapping[str, str] = getattr(field, "choice_hints", {})
    items: list[dict[str, Any]] = []
    for choice_value, choice_label in field.choices:  # type: ignore[attr-defined]
        if choice_value == "" and not multiple:
            continue
        if choice_value == "divider":
            items.append({"divider": str(choice_label)})
            continue
        key = str(choice_value)
        item: dict[str, Any] = {
            "value": key,
            "text": str(choice_label),
            "checked": key in selected,
        }
        if key in hints:
            item["hint"] = {"text": hints[key]}
        if conditional and key in conditional:
            item["conditional"] = {"html": Markup(conditional[key])}  # noqa: S704 (our HTML)
        items.append(item)
    return items


def _select(
    env: Environment, params: dict[str, Any], choices: Iterable[tuple[Any, Any]], value: Any
) -> Markup:
    """The GOV.UK select: the macro draws the label, hint, error and the select element, and
    the options are written here. The macro spends about 25 microseconds of Jinja per option,
    so a list of 500 colleagues cost 12 ms a page; these are the same <option> elements."""
    chosen = str(value)  # as the items were: an unbound form's None selects nothing
    # escape() and an f-string: Markup.format goes through string.Formatter, three times slower.
    options = "".join(
        f'<option value="{escape(key)}"{" selected" if key == chosen else ""}>'
        f"{escape(str(label))}</option>\n"
        for key, label in ((str(choice_value), label) for choice_value, label in choices)
    )
    html = str(_macro(env, "select")({**params, "items": []}))
    # The select's own closing tag is the last one: the label, hint and error are escaped text.
    before, closing, after = html.rpartition("</select>")
    return Markup(before + options + closing + after)  # noqa: S704 (escaped above, or the macro's)


@pass_environment
def govuk_field(
    env: Environment,
    bound: forms.BoundField,
    *,
    label_is_heading: bool = False,
    label_classes: str | None = None,
    classes: str | None = None,
    conditional: Mapping[str, str] | None = None,
    **extra: Any,
) -> Markup:
    """One form field as the GOV.UK component that suits its widget."""
    widget = bound.field.widget
    field_id = bound.auto_id or f"id_{bound.html_name}"
    error = _first_error(bound)
    hint = _hint(bound)
    params: dict[str, Any] = {"id": field_id, "name": bound.html_name, "errorMessage": error}
    if hint:
        params["hint"] = hint
    if classes:
        params["classes"] = classes

    if isinstance(widget, forms.HiddenInput):
        # Django's own escaped rendering, of the value as a page may show it.
        shown = widget.render(bound.html_name, shown_back(bound.value()), {"id": field_id})
        return Markup(shown)  # noqa: S704

    if isinstance(widget, GovukDateWidget):
        parts = widget.parts_in_error(bound.errors.as_data() if bound.errors else [])
        values = widget.part_values(bound.value())
        params.pop("name")
        params.update(
            namePrefix=bound.html_name,
            fieldset=_legend(bound, label_is_heading, label_classes),
            items=[
                {
                    "name": part,
                    "label": part.capitalize(),
                    "value": shown_back(values.get(part, "")),
                    "classes": (
                        f"govuk-input--width-{4 if part == 'year' else 2}"
                        + (" govuk-input--error" if error and part in parts else "")
                    ),
                    "autocomplete": widget.autocomplete_for(part),
                }
                for part in ("day", "month", "year")
            ],
        )
        return Markup(_macro(env, "date")(params))  # noqa: S704

    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        multiple = isinstance(widget, forms.CheckboxSelectMultiple)
        params.pop("id")
        params.update(
            idPrefix=field_id,
            fieldset=_legend(bound, label_is_heading, label_classes),
            items=_choice_items(bound, conditional, multiple),
        )
        if classes is None and not multiple and len(params["items"]) == 2:
            params["classes"] = "govuk-radios--inline" if extra.pop("inline", False) else None
        return Markup(_macro(env, "checkboxes" if multiple else "radios")(params))  # noqa: S704

    if isinstance(widget, forms.CheckboxInput):
        params.pop("id")
        params.update(
            idPrefix=field_id,
            items=[
                {
                    "value": "true",
                    "text": str(bound.label),
                    "checked": bool(bound.value()),
                }
            ],
        )
        return Markup(_macro(env, "checkboxes")(params))  # noqa: S704

    label = _label(bound, label_is_heading, label_classes)
    params["label"] = label
    value = bound.value()

    if isinstance(widget, forms.Select):
        return _select(env, params, bound.field.choices, value)  # type: ignore[attr-defined]

    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        attributes = _attributes(widget, skip={"type"})
        if attributes:
            params["attributes"] = attributes
        if widget.attrs.get("multiple"):
            params["multiple"] = True
        return Markup(_macro(env, "file")(params))  # noqa: S704

    # Whatever the field, a typed value is shown back without what no page can show.
    params["value"] = "" if value is None else shown_back(str(value))
    if widget.attrs.get("autocomplete"):
        params["autocomplete"] = widget.attrs["autocomplete"]
    attributes = _attributes(widget, skip={"type", "required", "maxlength", "rows"})
    if attributes:
        params["attributes"] = attributes

    if isinstance(widget, forms.PasswordInput):
        params.setdefault("autocomplete", "current-password")
        params["value"] = ""
        return Markup(_macro(env, "password")(params))  # noqa: S704

    if isinstance(widget, forms.Textarea):
        params["rows"] = widget.attrs.get("rows", 5)
        max_length = getattr(bound.field, "max_length", None)
        if max_length:
            params["maxlength"] = max_length
            return Markup(_macro(env, "character_count")(params))  # noqa: S704
        return Markup(_macro(env, "textarea")(params))  # noqa: S704

    params["type"] = getattr(widget, "input_type", "text")
    if isinstance(widget, GovukTimeWidget):
        params["type"] = "text"
        params.setdefault("classes", "govuk-input--width-5")
    if isinstance(widget, forms.NumberInput):
        # GOV.UK asks for text inputs with a numeric keyboard, not type=number (whose
        # min/max/step the browser would enforce with its own inaccessible messages).
        params["type"] = "text"
        # Whole numbers get the digits keyboard; amounts need the one with a decimal point.
        takes_decimals = isinstance(bound.field, forms.DecimalField | forms.FloatField)
        params["inputmode"] = "decimal" if takes_decimals else "numeric"
        params["spellcheck"] = False
        for number_only in ("min", "max", "step"):
            params.get("attributes", {}).pop(number_only, None)
    if isinstance(widget, forms.EmailInput):
        params["spellcheck"] = False
        params.setdefault("autocomplete", "email")
    if widget.attrs.get("inputmode"):
        params["inputmode"] = widget.attrs["inputmode"]
    if widget.attrs.get("spellcheck") is not None:
        params["spellcheck"] = widget.attrs["spellcheck"]
    params.update(extra)
    return Markup(_macro(env, "input")(params))  # noqa: S704


def _error_target(bound: forms.BoundField) -> str:
    if bound.is_hidden:
        return "main-content"  # nothing to type into: as the form's own errors
    field_id = bound.auto_id or f"id_{bound.html_name}"
    widget = bound.field.widget
    if isinstance(widget, GovukDateWidget):
        parts = widget.parts_in_error(bound.errors.as_data())
        return f"{field_id}-{parts[0] if parts else 'day'}"
    return field_id


@pass_environment
def govuk_error_summary(
    env: Environment,
    *forms_with_errors: forms.BaseForm,
    problem: str = "",
    problem_target: str = "",
) -> Markup:
    """The error summary at the top of the page: every error, each linking to its input;
    first the page's `problem`, a refusal of no one field (linking to `problem_target`, the
    id of what it concerns, if given)."""
    items: list[dict[str, str]] = []
    if problem:
        items.append(
            {"text": problem, **({"href": f"#{problem_target}"} if problem_target else {})}
        )
    for form in forms_with_errors:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append({"text": shown_back(str(message)), "href": "#main-content"})
        for bound in form:
            if bound.errors:
                text = shown_back(str(bound.errors[0]))  # Django's may hold the value sent
                items.append({"text": text, "href": f"#{_error_target(bound)}"})
    if not items:
        return Markup("")
    return Markup(  # noqa: S704
        _macro(env, "error_summary")({"titleText": "There is a problem", "errorList": items})
    )


def form_has_errors(*forms_to_check: forms.BaseForm | None) -> bool:
    return any(form is not None and form.is_bound and bool(form.errors) for form in forms_to_check)


def escape_text(value: str) -> Markup:
    return escape(value)
