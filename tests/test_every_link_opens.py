"""No page offers its viewer a link that refuses them: every link within the portal, on every
signed-in page of the every-page walk (tests/support/every_page.py), answers that same viewer
with a page or a redirect, never 403, 404 or 405. A regulator page is seen by every staff role
that may open it.

A crawl of the demo found two such links: "send us a change of contact details
notification" shown to staff and applicants, and a case page's link to its notification
(and the decision page's) shown to assessors who may not open the notifications queue."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from tests.support import every_page
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


def _viewers(actor: str) -> list[str]:
    """Who sees the page: the visit's user; for a regulator page, every single-role member of
    staff (a page may offer each role different links)."""
    return list(every_page.STAFF_ROLES) if actor in every_page.STAFF_ROLES else [actor]


def test_no_page_links_its_viewer_to_a_page_that_refuses_them():
    world = every_page.build_every_page_world()
    client = Client()
    seen: set[tuple[str, str]] = set()
    followed: set[tuple[str, str]] = set()
    problems: list[str] = []
    for page_visit in every_page.browser_visits(world):
        visit = page_visit.visit
        if visit.actor == every_page.SIGNED_OUT or visit.session:
            continue
        for viewer in _viewers(visit.actor):
            if (viewer, url_of(visit)) in seen:
                continue
            seen.add((viewer, url_of(visit)))
            sign_in(client, world.users[viewer], visit)
            response = client.get(url_of(visit))
            if response.status_code != 200:
                continue  # a role that may not open this page sees none of its links
            for href in sorted({unescape(found) for found in LINK.findall(response.text)}):
                if href.startswith(settings.STATIC_URL) or (viewer, href) in followed:
                    continue
                followed.add((viewer, href))
                name = _route_name(href)
                if name is None:
                    problems.append(f"{url_of(visit)} as {viewer} links to {href}: no route")
                    continue
                if name in NOT_FOLLOWED:
                    continue
                status = client.get(href).status_code
                if status not in OPENS:
                    problems.append(
                        f"{url_of(visit)} as {viewer} links to {href} ({name}): {status}"
                    )
    assert len(seen) > 300, len(seen)
    assert not problems, "\n".join(problems)
