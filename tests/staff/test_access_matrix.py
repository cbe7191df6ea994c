"""Every staff role by every staff URL, as policy.

The staff URLs are read from the URL resolver (every view whose declared access is a staff
permission), so pages other engineers add later are covered without touching this file, and
the expected answer for each role comes from ROLE_PERMISSIONS. Providers, signed-out visitors,
members whose access ended and members without a second factor are refused.
"""

import pytest
from django.urls import get_resolver, reverse

from portal.staff.roles import ROLE_PERMISSIONS, StaffRole
from portal.staff_permissions import StaffPermission
from tests import factories as f
from tests.support.url_access import walk
from tests.test_staff_permissions import sample_path

pytestmark = pytest.mark.django_db

STAFF_URLS = sorted(
    (sample_path(route), StaffPermission(access.removeprefix("staff.")))
    for route, view in walk(get_resolver())
    if (access := getattr(view, "portal_access", "") or "").startswith("staff.")
)
# Past the permission: the page, a 404 for a made-up object, or 405 for a POST-only view.
LET_IN = (200, 404, 405)


def test_the_staff_urls_include_staff_administration():
    paths = {path for path, _permission in STAFF_URLS}
    assert {"/regulator/staff/", "/regulator/staff/invite/", "/regulator/staff/teams/"} <= paths
    assert len(STAFF_URLS) >= 20


@pytest.mark.parametrize("role", StaffRole.values)
def test_each_role_reaches_exactly_the_pages_its_permissions_open(client, role):
    client.force_login(f.staff_member(f"{role}@regulator.example", roles=[role]))
    held = ROLE_PERMISSIONS[role]
    wrong = []
    for path, permission in STAFF_URLS:
        status = client.get(path).status_code
        expected_in = permission in held
        if (status in LET_IN) != expected_in or (not expected_in and status != 403):
            wrong.append((path, permission.value, status))
    assert wrong == []


def test_roles_together_hold_the_union_of_their_permissions(client):
    roles = [StaffRole.INSPECTOR, StaffRole.ADMINISTRATOR]
    client.force_login(f.staff_member("two.roles@regulator.example", roles=roles))
    held = ROLE_PERMISSIONS[roles[0]] | ROLE_PERMISSIONS[roles[1]]
    for path, permission in STAFF_URLS:
        assert (client.get(path).status_code in LET_IN) == (permission in held), path


def test_providers_and_regulator_accounts_without_a_staff_record_are_refused(client):
    provider_user = f.nominated_individual(f.make_provider())
    bare_regulator_account = f.make_user("no.record@regulator.example")
    bare_regulator_account.is_staff = True  # the flag alone grants nothing
    bare_regulator_account.save()
    for user in (provider_user, bare_regulator_account):
        client.force_login(user)
        refused = {path: client.get(path).status_code for path, _permission in STAFF_URLS}
        assert set(refused.values()) == {403}, user.email


def test_signed_out_visitors_are_asked_to_sign_in(client):
    for path, _permission in STAFF_URLS:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:sign_in")), path


def test_a_member_whose_access_ended_reaches_nothing(client):
    member = f.staff_member("ended@regulator.example")
    member.staff_member.ended_at = member.date_joined
    member.staff_member.save()
    client.force_login(member)
    for path, _permission in STAFF_URLS:
        assert client.get(path).status_code == 403, path


def test_a_member_without_a_second_factor_is_sent_to_set_one_up(client):
    member = f.staff_member("no.factor@regulator.example", second_factor=False)
    for path, _permission in STAFF_URLS:
        client.force_login(member)
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("accounts:set_up_authenticator"), path
    # The set-up page takes them from there (the password was proven when they signed in).
    assert client.get(reverse("accounts:set_up_authenticator")).status_code == 200
