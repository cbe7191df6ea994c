"""Every staff page asks for a named staff permission, never for `is_staff`.

Walks the URLconf: each view declaring a staff permission refuses (403) a signed-in person
who is not staff, and a member of staff who lacks that one permission, and lets in staff who
hold it. (tests/staff/test_access_matrix.py checks every role against every staff page.)
"""

import re
import uuid

import pytest
from django.urls import get_resolver

from portal import staff_permissions
from portal.accounts.models import User
from portal.home import sections
from portal.notifications.urls import REFERENCE
from portal.staff_permissions import StaffPermission
from tests import factories as f
from tests.support.url_access import walk

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLE = {"int": "999999", "uuid": str(uuid.UUID(int=1)), "str": "1-999", "slug": "x"}


def sample_path(route: str) -> str:
    path = route.replace(REFERENCE, "NOT-0000-0001").replace("^", "").replace("$", "")
    return "/" + _CONVERTER.sub(lambda m: _SAMPLE[m.group(1) or "str"], path)


STAFF_PAGES = sorted(
    (sample_path(route), StaffPermission(permission.removeprefix("staff.")))
    for route, view in walk(get_resolver())
    if (permission := getattr(view, "portal_access", "") or "").startswith("staff.")
)


def test_every_staff_permission_guards_some_page_and_no_page_asks_for_is_staff():
    assert {permission for _path, permission in STAFF_PAGES} == set(StaffPermission)
    assert len(STAFF_PAGES) >= 14


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "permission"), STAFF_PAGES)
def test_a_staff_page_needs_its_named_permission(client, monkeypatch, path, permission):
    client.force_login(User.objects.create_user("someone@care.example", "x" * 12))
    assert client.get(path).status_code == 403
    client.force_login(f.staff_member("inspector@regulator.example"))
    # Past the permission: the page, a 404 for the made-up object, or 405 for a POST-only
    # view, never a refusal.
    assert client.get(path).status_code in (200, 404, 405)
    everything_but = frozenset(StaffPermission) - {permission}
    monkeypatch.setattr(staff_permissions, "staff_permissions_of", lambda _p: everything_but)
    assert client.get(path).status_code == 403


def navigation_of(html: str) -> str:
    start = html.index('class="govuk-service-navigation')
    return html[start : html.index("</nav>", start)]


@pytest.mark.django_db
def test_the_navigation_offers_staff_only_the_sections_they_hold(client, monkeypatch):
    client.force_login(f.staff_member("inspector@regulator.example"))
    everything = navigation_of(client.get("/home/").content.decode())
    assert "Second factor requests" in everything
    assert 'href="/staff/accounts/"' in everything
    only_the_queue = frozenset({StaffPermission.VIEW_NOTIFICATIONS_QUEUE})
    monkeypatch.setattr(sections, "staff_permissions_of", lambda _p: only_the_queue)
    navigation = navigation_of(client.get("/home/").content.decode())
    assert 'href="/regulator/notifications/"' in navigation
    assert 'href="/staff/accounts/"' not in navigation
    assert "Second factor requests" not in navigation
