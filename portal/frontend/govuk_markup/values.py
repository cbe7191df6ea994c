"""What the GOV.UK Frontend macros do to the values they are given, in Python.

`{{ params.text }}` shows nothing for a missing key and escapes anything else ("None" for
None); `params.html | safe | trim | indent(n)` passes our own HTML through as it is, trimmed and
indented; `govukAttributes` writes attributes with the whitespace its loop leaves behind. A
renderer raises Unsupported for any parameter outside the shapes written here, and the real
macro draws it instead.
"""

from collections.abc import Mapping, Set
from typing import Any

from markupsafe import Markup, escape


class Unsupported(Exception):
    """These parameters are drawn by the official macro."""


Params = Mapping[str, Any]


def checked(params: Any, allowed: Set[str]) -> Params:
    """`params` as a mapping of only the keys a renderer knows, or Unsupported."""
    if not isinstance(params, dict) or not params.keys() <= allowed:
        raise Unsupported
    return params


def optional(params: Params, key: str, allowed: Set[str]) -> Params | None:
    """A nested mapping parameter (`hint`, `label`...), None when missing or falsy."""
    value = params.get(key)
    if not value:
        return None
    return checked(value, allowed)


def text(value: Any = "") -> str:
    """`{{ value }}` with autoescaping: a missing value is given as the default ""."""
    return str(escape(value))


def content(params: Params, width: int, html: str = "html", plain: str = "text") -> str:
    """`params.html | safe | trim | indent(width) if params.html else params.text`."""
    value = params.get(html)
    if value:
        return indent(str(Markup(value)).strip(), width)  # noqa: S704 (the caller's HTML)
    return text(params.get(plain, ""))


def indent(html: str, width: int, first: bool = False) -> str:
    """Jinja's `indent` filter on HTML already escaped. The filter itself, given Markup,
    escapes every line again as it joins them: a page of radios has a thousand lines."""
    spaces = " " * width
    first_line, *lines = (html + "\n").splitlines()
    if lines:
        first_line += "\n" + "\n".join(spaces + line if line else line for line in lines)
    return spaces + first_line if first else first_line


def classes(value: Any) -> str:
    """`{%- if value %} {{ value }}{% endif %}` after a class name."""
    return f" {escape(value)}" if value else ""


_OPEN, _EACH, _CLOSE = "\n    ", "\n        \n      \n    ", "\n  "
_ONLY_NAME, _SKIPPED = "\n        \n    ", "\n    "


def _attribute(name: Any, value: Any) -> tuple[str, str]:
    """The whitespace govukAttributes' loop leaves for one attribute, and the attribute."""
    if isinstance(value, Mapping):
        if "val" in value:
            raise Unsupported  # a "safe" mapping: rare, left to the macro
        is_optional = value.get("optional") is True
        shown = value.get("value", "")
        if is_optional and shown is True:
            return _ONLY_NAME, f" {escape(name)}"
        missing = "value" not in value or shown is None or shown is False
        if is_optional and missing:
            return _SKIPPED, ""
        return _EACH, f' {escape(name)}="{escape(shown)}"'
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif not isinstance(value, str | int | float) and value is not None:
        raise Unsupported
    return _EACH, f' {escape(name)}="{escape(value)}"'


def attributes(value: Any) -> str:
    """`govukAttributes(value)`: a string as it is, a mapping as name="value" pairs."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if not isinstance(value, Mapping):
        raise Unsupported
    spaces, written = [_OPEN], []
    for name, item in value.items():
        space, attribute = _attribute(name, item)
        spaces.append(space)
        written.append(attribute)
    spaces.append(_CLOSE)
    return "".join(spaces) + "".join(written)


def styled(block: str, params: Params) -> str:
    """` class="<block> <params' classes>"` and the params' attributes: how a component's
    outer element (and a label's, hint's, error's) opens."""
    return f' class="{block}{classes(params.get("classes"))}"{attributes(params.get("attributes"))}'
