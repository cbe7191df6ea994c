"""The Jinja2 environment for every page: our templates plus the GOV.UK Frontend macros."""

import itertools
import logging
import weakref
from collections import ChainMap
from collections.abc import Callable, KeysView, Mapping, MutableMapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)
from markupsafe import Markup

from portal.frontend import answer_rows, formats
from portal.frontend.context_processors import service_constants
from portal.frontend.govuk_forms import form_has_errors, govuk_error_summary, govuk_field
from portal.frontend.govuk_markup import OFFICIAL_PREFIX, OverridesLoader, Renderers
from portal.frontend.reversing import static, url

logger = logging.getLogger(__name__)


class _Globals(ChainMap[str, Any]):
    """A template's globals whose keys() is a real dict view. Jinja subtracts the keys of an
    imported template's globals at every `{% from ... import %}` (about twenty a page), and
    ChainMap's own view answers that one key at a time in Python (30 µs each)."""

    def keys(self) -> KeysView[str]:
        return dict.fromkeys(itertools.chain.from_iterable(self.maps)).keys()


class PortalEnvironment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> ChainMap[str, Any]:
        return _Globals({} if d is None else d, self.globals)


# Per environment: (URLconf, script prefix, template name, values) -> the HTML.
_rendered: "weakref.WeakKeyDictionary[Environment, dict[tuple[Any, ...], Markup]]" = (
    weakref.WeakKeyDictionary()
)
# Parts rendered for given values (the header, per set of navigation items: its "Your team"
# names a provider) are forgotten together past this many, so the dictionary stays small.
_KEPT_WITH_VALUES = 2048


def _frozen(value: Any) -> Any:
    """`value` as a key: lists and dicts (navigation items) as tuples."""
    if isinstance(value, Mapping):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def _rendered_once(env: Environment) -> Callable[..., Markup]:
    """`rendered_once(name, **values)` in templates: a part of the layout that is the same
    for every request (the phase banner, the footer: settings and URLs only), or for every
    request with the same `values` (the header and its navigation items), is rendered the
    first time and its HTML reused, instead of running its GOV.UK macros on every page."""

    def rendered_once(name: str, **values: Any) -> Markup:
        kept = _rendered.setdefault(env, {})
        key: tuple[Any, ...] = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
        if values:
            key += (_frozen(values),)
        html = kept.get(key)
        if html is None:
            # The output of one of our templates, which escape as every page does.
            page_part = env.get_template(name).render({**service_constants(), **values})
            if values and len(kept) >= _KEPT_WITH_VALUES:
                kept.clear()
            html = kept[key] = Markup(page_part)  # noqa: S704
        return html

    return rendered_once


def _forget_rendered(**_signal: Any) -> None:
    _rendered.clear()  # a test changed a setting the HTML may show


setting_changed.connect(_forget_rendered, dispatch_uid="portal.frontend.jinja.forget_rendered")


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options.setdefault("extensions", []).append("jinja2.ext.do")
    # HTML is escaped; plain-text email templates (.txt) are not, or "O'Brien & Sons"
    # would arrive as "O&#39;Brien &amp; Sons".
    options["autoescape"] = select_autoescape(
        disabled_extensions=("txt",), default_for_string=True, default=True
    )
    # Every template stays compiled for the life of the process (there are a few hundred;
    # Jinja's default keeps 400 and would compile again past that). Django turns auto_reload
    # off when DEBUG is. With JINJA2_BYTECODE_CACHE (production, benchmarks) a new worker
    # loads compiled templates from disk instead of compiling them (keyed by each template's
    # source, so a deploy never reads stale code): measured in README "Where the time goes".
    options.setdefault("cache_size", -1)
    if settings.JINJA2_BYTECODE_CACHE:
        try:
            options["bytecode_cache"] = FileSystemBytecodeCache()
        except (OSError, RuntimeError):  # no safe temporary directory: compile, as without it
            logger.warning("Jinja2 bytecode cache unavailable; templates are compiled per worker")
    env = PortalEnvironment(**options)  # autoescape: select_autoescape above
    # "govuk_frontend_jinja/components/button/macro.html" and the other hot components are
    # Python (govuk_markup); every other file, and the official macros under their own
    # prefix, come from the package.
    official = PackageLoader("govuk_frontend_jinja")
    env.loader = ChoiceLoader(
        [
            loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": ChoiceLoader([OverridesLoader(), official]),
                    OFFICIAL_PREFIX: official,
                }
            ),
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
            "rendered_once": _rendered_once(env),
            "govuk_markup": Renderers(env),
            "answer_items": answer_rows.answer_items,
            "change_links": answer_rows.change_links,
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
