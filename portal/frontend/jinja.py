"""The Jinja2 environment for every page: our templates plus the GOV.UK Frontend macros."""

import itertools
import logging
from collections import ChainMap
from collections.abc import KeysView, MutableMapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.utils import timezone
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)

from portal.frontend import formats
from portal.frontend.govuk_forms import form_has_errors, govuk_error_summary, govuk_field
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
    env = PortalEnvironment(**options)  # noqa: S701 (autoescape is select_autoescape above)
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
