"""No page offers its viewer a link that refuses them: every link within the portal, on every
signed-in page of the every-page walk (tests/support/every_page.py), answers that same viewer
with a page or a redirect, never 403, 404 or 405.

A crawl of the demo found two such links: "send us a change of contact details
notification" shown to staff and applicants, and a case page's link to its notification
shown to assessors who may not open the notifications queue."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from tests.support.every_page import SIGNED_OUT, browser_visits, build_every_page_world
from tests.support.signed_in_visits import sign_in, url_of

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a\b[^>]*?\bhref="(/[^"#]*)')
# Following these would end the viewer's session part-way through the walk.
NOT_FOLLOWED = frozenset({"accounts:sign_out"})
OPENS = frozenset({200, 301, 302, 303})


def _route_name(path: str) -> str | None:
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return None


def test_no_page_links_its_viewer_to_a_page_that_refuses_them():
    world = build_every_page_world()
    client = Client()
    followed: set[tuple[str, str]] = set()
    problems: list[str] = []
    pages = 0
    for page_visit in browser_visits(world):
        visit = page_visit.visit
        if visit.actor == SIGNED_OUT or visit.session:
            continue
        sign_in(client, world.users[visit.actor], visit)
        html = client.get(url_of(visit)).content.decode()
        pages += 1
        for href in sorted({unescape(found) for found in LINK.findall(html)}):
            if href.startswith(settings.STATIC_URL) or (visit.actor, href) in followed:
                continue
            followed.add((visit.actor, href))
            name = _route_name(href)
            if name is None:
                problems.append(f"{visit.label} links to {href}, which is no route")
                continue
            if name in NOT_FOLLOWED:
                continue
            status = client.get(href).status_code
            if status not in OPENS:
                problems.append(f"{visit.label} links to {href} ({name}), which answers {status}")
    assert pages > 200, pages
    assert not problems, "\n".join(problems)
