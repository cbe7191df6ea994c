"""Checks shared by the tests of every client of the form kernel's draft pages."""

from django.test import Client

from tests.support.html import Page, text


def assert_asks_before_deleting(client: Client, discard_url: str, *, title: str, keep: str) -> None:
    """The "Are you sure?" page before a draft is deleted: its title, "Yes" posting back to
    the same URL, "No, keep it" back to the draft (`keep`)."""
    confirm = Page(client.get(discard_url).content)
    assert confirm.title.startswith(title)
    assert discard_url in [form.get("action") for form in confirm.all("form")]
    assert [a.get("href") for a in confirm.all("a") if text(a) == "No, keep it"] == [keep]
