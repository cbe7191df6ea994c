"""Read rendered pages as a tree (html5lib), so tests assert on elements, not on substrings."""

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import html5lib

Element = Any  # xml.etree element as html5lib builds it


class Page:
    def __init__(self, content: bytes | str):
        text = content.decode() if isinstance(content, bytes) else content
        self.root = html5lib.parse(text, namespaceHTMLElements=False)

    def by_id(self, element_id: str) -> Element:
        found = [el for el in self.root.iter() if el.get("id") == element_id]
        assert len(found) == 1, f"expected one element with id {element_id!r}, found {len(found)}"
        return found[0]

    def has_id(self, element_id: str) -> bool:
        return any(el.get("id") == element_id for el in self.root.iter())

    def all(self, tag: str, css_class: str | None = None) -> list[Element]:
        return [el for el in self.root.iter(tag) if css_class is None or css_class in classes(el)]

    def iter(self) -> Iterator[Element]:
        return iter(self.root.iter())

    @property
    def title(self) -> str:
        return text(self.all("title")[0])

    def error_summary_links(self) -> list[tuple[str, str]]:
        """(text, href) of every link in the GOV.UK error summary."""
        summaries = self.all("div", "govuk-error-summary")
        if not summaries:
            return []
        assert len(summaries) == 1, "more than one error summary"
        return [(text(a), a.get("href")) for a in summaries[0].iter("a")]


def text(element: Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def page_words(response: Any) -> str:
    """The response's page as a reader sees its words: tags gone, white space folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def rel_link(html: str, rel: str) -> str | None:
    """Where the page's link with rel="next" (or "prev", ...) goes, unescaped; None without one."""
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*rel="{rel}"', html)
    return unescape(found.group(1)) if found else None
