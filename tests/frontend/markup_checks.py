"""Compare a Python renderer (portal.frontend.govuk_markup) with the official macro."""

from typing import Any

from django.template import engines
from markupsafe import Markup

from portal.frontend.govuk_markup import RENDERERS, official_macro

HOSTILE = 'O\'Brien & Sons <script>alert("x")</script>'
HOSTILE_HTML = Markup('<strong>O&#39;Brien &amp; Sons</strong>\n<p class="x">two\n lines</p> ')


def env() -> Any:
    return engines["jinja2"].env  # type: ignore[attr-defined]


def assert_same(folder: str, params: dict[str, Any]) -> None:
    """The renderer draws `params` itself (no fallback) and exactly as the macro does."""
    name, renderer = RENDERERS[folder]
    expected = str(official_macro(env(), folder, name)(params))
    assert renderer(params) == expected, params


def assert_falls_back(folder: str, params: dict[str, Any], unsupported: type[Exception]) -> None:
    """Parameters the renderer was not written for are drawn by the macro, unchanged."""
    name, renderer = RENDERERS[folder]
    expected = str(official_macro(env(), folder, name)(params))
    try:
        renderer(params)
    except unsupported:
        pass
    else:
        raise AssertionError(f"{folder} drew {params} itself")
    assert str(getattr(env().globals["govuk_markup"], name)(params)) == expected
