"""The shared per-request path keeps what does not depend on the request (README "Where the
time goes"): the layout's fixed parts, URLs and static addresses. Kept answers must be the
ones Django would give, and must follow a change of setting, URLconf or script prefix."""

import pytest
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.templatetags.static import static as django_static
from django.urls import clear_script_prefix, reverse, set_script_prefix

from portal.frontend import jinja, reversing
from tests.support.html import Page, text


def _env():
    engine = engines["jinja2"]
    assert isinstance(engine, Jinja2)
    return engine.env


def test_kept_urls_and_static_addresses_are_djangos():
    assert reversing.url("pages:contact") == reverse("pages:contact")
    team = reversing.url("organisations:team", provider_id="1-101")
    assert team == reverse("organisations:team", kwargs={"provider_id": "1-101"})
    assert reversing.url("organisations:team", provider_id="1-102") != team
    assert reversing.static("portal/portal.css") == django_static("portal/portal.css")


def test_a_kept_url_follows_the_script_prefix():
    plain = reversing.url("pages:contact")
    set_script_prefix("/portal/")
    try:
        assert reversing.url("pages:contact") == "/portal" + plain
    finally:
        clear_script_prefix()
    assert reversing.url("pages:contact") == plain


def test_a_url_maker_makes_djangos_urls_under_the_prefix_it_was_made_under():
    draft = "0b5c4f3e-7a43-4c1e-9d51-2f0c4a6b8e11"
    assert reversing.url_maker("notifications:draft")(draft) == reverse(
        "notifications:draft", args=[draft]
    )
    plain = reversing.url_maker("notifications:discard")(draft)
    set_script_prefix("/portal/")
    try:
        assert reversing.url_maker("notifications:discard")(draft) == "/portal" + plain
    finally:
        clear_script_prefix()
    assert reversing.url_maker("notifications:discard")(draft) == plain


def test_a_kept_static_address_follows_a_change_of_setting(settings):
    before = reversing.static("portal/portal.css")
    settings.STATIC_URL = "/assets/"
    assert reversing.static("portal/portal.css") == "/assets/portal/portal.css" != before


def _one(page: Page, tag: str, css_class: str):
    [element] = page.all(tag, css_class)
    return element


@pytest.mark.django_db
def test_the_layouts_fixed_parts_are_rendered_once_and_follow_settings(client, settings):
    first = Page(client.get("/").content)
    banner = _one(first, "div", "govuk-phase-banner")
    assert "beta" in text(banner)
    assert next(banner.iter("a")).get("href") == reverse("pages:contact")
    footer_links = [a.get("href") for a in _one(first, "footer", "govuk-footer").iter("a")]
    assert reverse("pages:accessibility") in footer_links
    once = _env().globals["rendered_once"]
    assert once("layouts/footer.html") is once("layouts/footer.html")  # kept, not re-rendered

    settings.SERVICE_PHASE = "alpha"
    settings.REGULATOR_NAME = "Another Regulator"
    again = Page(client.get("/").content)
    assert "alpha" in text(_one(again, "div", "govuk-phase-banner"))
    assert "Another Regulator" in text(_one(again, "footer", "govuk-footer"))


def test_globals_keys_are_every_layers_and_imports_still_see_them():
    env = _env()
    names = set(env.make_globals({"only_here": 1}).keys())
    assert names == {"only_here", *env.globals}
    # A template with globals of its own makes Jinja give its imports those too.
    template = env.from_string(
        '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
        '{{ govukButton({"text": only_here, "href": url("pages:contact")}) }}',
        globals={"only_here": "Go"},
    )
    rendered = template.render()
    assert "Go" in rendered
    assert reverse("pages:contact") in rendered


def test_the_header_is_kept_per_set_of_navigation_items(monkeypatch):
    once = _env().globals["rendered_once"]
    home = [{"text": "Home", "href": "/home/", "current": True}]
    team = [*home, {"text": "Your team", "href": "/team/1-101/"}]
    other_team = [*home, {"text": "Your team", "href": "/team/1-102/"}]
    first = once("layouts/header.html", service_url="/home/", navigation_items=team)
    assert once("layouts/header.html", service_url="/home/", navigation_items=list(team)) is first
    other = once("layouts/header.html", service_url="/home/", navigation_items=other_team)
    assert 'href="/team/1-101/"' in first
    assert 'href="/team/1-101/"' not in other
    assert 'href="/team/1-102/"' in other
    assert 'aria-current="page"' in first
    marked_elsewhere = [{"text": "Home", "href": "/home/", "active": True}, team[1]]
    assert 'aria-current="page"' not in once(
        "layouts/header.html", service_url="/home/", navigation_items=marked_elsewhere
    )
    # Past the limit the kept headers are forgotten together, not kept without bound.
    monkeypatch.setattr(jinja, "_KEPT_WITH_VALUES", 1)
    assert once("layouts/header.html", service_url="/", navigation_items=[]) is not first
    assert len(jinja._rendered[_env()]) <= 1 + 2  # this header and the fixed parts
