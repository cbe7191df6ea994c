"""Every page of the portal in a real browser: axe finds no WCAG 2.2 A or AA violation, it
reflows at 320 CSS pixels, and the first Tab reaches the skip link with a visible focus.

Driven by the URLconf: every route is visited (tests/support/every_page.py says by whom,
with which objects), listed in NOT_PAGES with the reason it is not an HTML page, or answers
GET with 405 (an action). A new route with none of these fails with "add a sample". One
browser; one context (one signed-in session) for each kind of user.
"""

from collections import defaultdict
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from portal.access import public
from portal.accounts.session_store import SessionStore
from tests.support.browser import assert_accessible, assert_first_tab_reaches_skip_link
from tests.support.every_page import (
    NOT_PAGES,
    SIGNED_OUT,
    PageVisit,
    browser_visits,
    build_every_page_world,
    coverage,
    every_route,
    non_page_visits,
    session_values,
    signed_in_cookie,
)
from tests.support.signed_in_pages import Visit, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _check_page(page: Any, visit: PageVisit) -> str | None:
    """The problem with this page, or None."""
    response = page.goto(url_of(visit.visit))
    if response is None or response.status != visit.visit.status:
        status = response.status if response else "no response"
        return f"answered {status}, expected {visit.visit.status} (at {page.url})"
    if not response.headers.get("content-type", "").startswith("text/html"):
        return f"is not HTML ({response.headers.get('content-type')}): list it in NOT_PAGES"
    try:
        assert_first_tab_reaches_skip_link(page)
        assert_accessible(page)
    except AssertionError as error:
        return str(error)
    return None


def _walk(browser: Any, live_server: Any, world: Any, visits: list[PageVisit]) -> list[str]:
    by_actor: dict[str, list[PageVisit]] = defaultdict(list)
    for visit in visits:
        by_actor[visit.visit.actor].append(visit)
    problems = []
    for actor, actor_visits in by_actor.items():
        key = signed_in_cookie(None if actor == SIGNED_OUT else world.users[actor])
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            for visit in actor_visits:
                cookies = {settings.SESSION_COOKIE_NAME: key, **visit.cookies}
                context.clear_cookies()
                context.add_cookies(
                    [{"name": n, "value": v, "url": live_server.url} for n, v in cookies.items()]
                )
                if visit.visit.session:
                    store = SessionStore(key)
                    store.update(session_values(visit.visit))
                    store.save()
                problem = _check_page(page, visit)
                if problem:
                    problems.append(f"{visit.label}: {problem}")
        finally:
            context.close()
    return problems


def test_every_page_is_accessible_and_starts_with_the_skip_link(browser, live_server):
    world = build_every_page_world()
    visits = browser_visits(world)
    found = coverage(world, [url_of(v.visit) for v in visits])
    assert not found.missing, (
        "Routes no browser visit reaches: add a sample for this route in "
        "tests/support/every_page.py (or tests/support/signed_in_visits.py), or list it in "
        "NOT_PAGES with the reason it is not a page:\n" + "\n".join(found.missing)
    )
    assert not found.not_actions, (
        "Not visited, and GET does not answer 405 as an action would: add a sample for this "
        "route:\n" + "\n".join(found.not_actions)
    )
    problems = _walk(browser, live_server, world, visits)
    assert not problems, f"{len(problems)} of {len(visits)} pages:\n\n" + "\n\n".join(problems)


def test_what_is_not_a_page_is_listed_with_its_reason_and_answers_with_no_page(
    browser, live_server
):
    world = build_every_page_world()
    assert all(reason.strip() for reason in NOT_PAGES.values())
    names = {name for _route, name in every_route()}
    assert not set(NOT_PAGES) - names, "Listed, but no longer a URL"
    context = browser.new_context(base_url=live_server.url)
    try:
        for visit in non_page_visits(world):
            key = signed_in_cookie(world.users[visit.actor])
            context.clear_cookies()
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}]
            )
            response = context.request.get(url_of(visit), max_redirects=0)
            assert response.status == 200, (visit.label, response.status)
            assert not response.headers["content-type"].startswith("text/html"), visit.label
    finally:
        context.close()


# The walk itself must be able to fail: a new route with no sample, a page whose first Tab
# misses the skip link, and a page axe finds fault with are each caught.

_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Test page</title></head><body>{}'
    '<main id="main-content"><h1>Test page</h1>{}</main></body></html>'
)
_SKIP_LINK = '<a href="#main-content" class="govuk-skip-link">Skip to main content</a>'


@public
def no_skip_link(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PAGE.format("", '<a href="/">Home</a>'))


@public
def image_without_alt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PAGE.format(_SKIP_LINK, '<img src="/static/none.png">'))


def test_the_walk_asks_for_a_sample_for_a_new_route_and_fails_a_faulty_page(
    browser, live_server, settings
):
    urlconf = ModuleType("every_page_and_two_more")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("no-skip-link/", no_skip_link, name="no_skip_link"),
        path("image-without-alt/", image_without_alt, name="image_without_alt"),
        path("", include("portal.urls")),
    ]
    settings.ROOT_URLCONF = urlconf
    world = build_every_page_world()
    found = coverage(world, [url_of(v.visit) for v in browser_visits(world)])
    assert found.missing == [
        "/image-without-alt/ (image_without_alt)",
        "/no-skip-link/ (no_skip_link)",
    ]
    assert found.actions
    assert not found.not_actions
    problems = _walk(
        browser,
        live_server,
        world,
        [PageVisit(Visit(name, SIGNED_OUT)) for name in ("no_skip_link", "image_without_alt")],
    )
    assert len(problems) == 2
    assert 'the first Tab reached <a href="/">Home</a>' in problems[0]
    assert '"id": "image-alt"' in problems[1]
