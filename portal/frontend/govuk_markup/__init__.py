"""GOV.UK Frontend components written in Python, drawing the official macros' markup.

Templates keep importing `govukButton` and friends from "govuk_frontend_jinja/components/…";
for the components below that name serves a one-line template whose `govukButton` is
`govuk_markup.govukButton`: the Python renderer, which hands any parameters it was not written
for (and `{% call %}`) to the official macro, kept under OFFICIAL_PREFIX.
"""

from collections.abc import Callable
from typing import Any

from jinja2 import BaseLoader, Environment, TemplateNotFound
from markupsafe import Markup

from portal.frontend.govuk_markup import components, fields
from portal.frontend.govuk_markup.values import Unsupported

OFFICIAL_PREFIX = "govuk_frontend_official"

# macro file's component folder -> (macro name, renderer)
RENDERERS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "button": ("govukButton", components.button),
    "back-link": ("govukBackLink", components.back_link),
    "summary-list": ("govukSummaryList", components.summary_list),
    "error-summary": ("govukErrorSummary", components.error_summary),
    "tag": ("govukTag", components.tag),
    "inset-text": ("govukInsetText", components.inset_text),
    "warning-text": ("govukWarningText", components.warning_text),
    "panel": ("govukPanel", components.panel),
    "input": ("govukInput", fields.text_input),
    "textarea": ("govukTextarea", fields.textarea),
    "radios": ("govukRadios", fields.radios),
    "checkboxes": ("govukCheckboxes", fields.checkboxes),
    "date-input": ("govukDateInput", fields.date_input),
    "select": ("govukSelect", fields.select),
}


def official_macro(env: Environment, folder: str, name: str) -> Any:
    """The govuk-frontend-jinja macro itself."""
    template = env.get_template(f"{OFFICIAL_PREFIX}/components/{folder}/macro.html")
    return getattr(template.module, name)


class Renderers:
    """`govuk_markup` in templates: one attribute per macro name."""

    def __init__(self, env: Environment) -> None:
        for folder, (name, renderer) in RENDERERS.items():
            setattr(self, name, _with_fallback(env, folder, name, renderer))


def _with_fallback(
    env: Environment, folder: str, name: str, renderer: Callable[[Any], str]
) -> Callable[..., Markup]:
    official: list[Any] = []

    def render(*args: Any, **kwargs: Any) -> Markup:
        if len(args) == 1 and not kwargs:
            try:
                return Markup(renderer(args[0]))  # noqa: S704 (every value escaped)
            except Unsupported:
                pass
        if not official:
            official.append(official_macro(env, folder, name))
        return Markup(official[0](*args, **kwargs))  # noqa: S704 (the macro's output)

    render.__name__ = name
    return render


class OverridesLoader(BaseLoader):
    """ "components/<folder>/macro.html" for the components written in Python."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        parts = template.split("/")
        if len(parts) == 3 and parts[0] == "components" and parts[2] == "macro.html":
            entry = RENDERERS.get(parts[1])
            if entry is not None:
                return f"{{% set {entry[0]} = govuk_markup.{entry[0]} %}}", None, lambda: True
        raise TemplateNotFound(template)
