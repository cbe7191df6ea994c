"""Checks every HTML page the test client renders must pass."""

import re
from collections import Counter

import html5lib
from html5lib.constants import namespaces

_XHTML = namespaces["html"]


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def check_html_page(content: str, path: str) -> None:
    """Parses as HTML5; one h1; <title> starts with the h1; unique ids; forms well made."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        document = parser.parse(content)
    except html5lib.html5parser.ParseError as error:
        line = getattr(parser, "errors", [])
        raise AssertionError(f"{path}: not valid HTML5: {error} {line[:1]}") from error

    def find_all(tag: str):
        return document.iter(f"{{{_XHTML}}}{tag}")

    headings = list(find_all("h1"))
    assert len(headings) == 1, f"{path}: expected exactly one h1, found {len(headings)}"
    h1 = _text(headings[0])
    titles = list(find_all("title"))
    assert len(titles) == 1, f"{path}: expected one <title>"
    title = _text(titles[0]).removeprefix("Error: ")
    assert title.startswith(h1), f"{path}: title {title!r} does not start with h1 {h1!r}"

    ids = Counter(el.get("id") for el in document.iter() if el.get("id"))
    duplicates = [value for value, count in ids.items() if count > 1]
    assert not duplicates, f"{path}: duplicate ids {duplicates}"

    for form in find_all("form"):
        assert form.get("action") is not None, f"{path}: a form has no action attribute"
        if (form.get("method") or "get").lower() == "post":
            names = {i.get("name") for i in form.iter(f"{{{_XHTML}}}input")}
            assert "csrfmiddlewaretoken" in names, f"{path}: a POST form has no CSRF token"
