"""Reading the parts of a page the home's tests look at."""

from typing import Any

from tests.support.html import Page, classes, text


def navigation(response: Any) -> list[tuple[str, str, str]]:
    """(text, href, aria-current or "") of each item in the GOV.UK service navigation."""
    page = Page(response.content)
    items = []
    for item in page.all("li", "govuk-service-navigation__item"):
        link = next(item.iter("a"))
        items.append((text(link), link.get("href"), link.get("aria-current") or ""))
    return items


def nav_texts(response: Any) -> list[str]:
    return [name for name, _href, _current in navigation(response)]


def main_links(response: Any) -> dict[str, str]:
    """Link text -> href for every link in the page's main content."""
    main = Page(response.content).root.find(".//main")
    return {text(a): a.get("href") for a in main.iter("a")}


def main_text(response: Any) -> str:
    return text(Page(response.content).root.find(".//main"))


def sentences_without_links(response: Any, *phrases: str) -> list[str]:
    """Paragraphs and list items of the main content that say one of `phrases` (like
    "apply" or "send us") with no link in them."""
    main = Page(response.content).root.find(".//main")
    found = []
    for element in main.iter():
        if element.tag not in ("p", "li") or "govuk-service-navigation__item" in classes(element):
            continue
        words = text(element).lower()
        if any(phrase in words for phrase in phrases) and not list(element.iter("a")):
            found.append(text(element))
    return found


def summary(response: Any) -> dict[str, str]:
    """Key -> value of each row of the page's GOV.UK summary lists."""
    page = Page(response.content)
    rows = {}
    for row in page.all("div", "govuk-summary-list__row"):
        key = next(el for el in row.iter("dt") if "govuk-summary-list__key" in classes(el))
        value = next(el for el in row.iter("dd") if "govuk-summary-list__value" in classes(el))
        rows[text(key)] = text(value)
    return rows
