"""The Jinja2 environment for every page: our templates plus the GOV.UK Frontend macros."""

from typing import Any

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

from portal.frontend import formats
from portal.frontend.govuk_forms import form_has_errors, govuk_error_summary, govuk_field


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options.setdefault("extensions", []).append("jinja2.ext.do")
    # HTML is escaped; plain-text email templates (.txt) are not, or "O'Brien & Sons"
    # would arrive as "O&#39;Brien &amp; Sons".
    options["autoescape"] = select_autoescape(
        disabled_extensions=("txt",), default_for_string=True, default=True
    )
    env = Environment(**options)  # noqa: S701 (autoescape is select_autoescape above)
    env.loader = ChoiceLoader(
        [
            loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "govuk_field": govuk_field,
            "govuk_error_summary": govuk_error_summary,
            "form_has_errors": form_has_errors,
            "get_messages": messages.get_messages,
            "now": timezone.now,
        }
    )
    env.filters.update(
        {
            "govuk_date": formats.govuk_date,
            "govuk_datetime": formats.govuk_datetime,
            "waiting_since": formats.waiting_since,
        }
    )
    return env
