"""The home page's reads of join requests and invitations, compiled once per database, give
what their ORM querysets give: the same rows, in order, with the same related objects."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.organisations import services
from portal.organisations.access import access_for
from portal.organisations.permissions import Permission
from portal.organisations.selectors import _join_requests_at, join_requests_to_decide
from portal.organisations.services.invitations import _pending_for
from tests.factories.accounts import make_user
from tests.organisations.helpers import expire, invite


def _fields(objects, *related):
    return [
        {f.attname: getattr(o, f.attname) for f in o._meta.concrete_fields}
        | {name: getattr(o, name).pk for name in related}
        for o in objects
    ]


def test_join_requests_to_decide_are_the_orm_rows(world):
    for number in range(3):
        asker = make_user(f"asker{number}@example.com")
        services.request_to_join(user=asker, provider=world.p, message=f"Please {number}")
    services.request_to_join(user=make_user("elsewhere@example.com"), provider=world.q, message="")
    for name in ("ni", "rm_a", "delegate_team_whole", "delegate_view_a"):
        user = world.users[name]
        held = frozenset(
            provider_id
            for provider_id, access in access_for(user).items()
            if access.has_anywhere(Permission.MANAGE_TEAM)
        )
        for limit in (2, 10):
            found = join_requests_to_decide(user, limit=limit)
            expected = list(_join_requests_at(held, limit)) if held else []
            assert _fields(found, "user", "provider") == _fields(expected, "user", "provider")
            assert [j.provider.name for j in found] == [j.provider.name for j in expected]
    found = join_requests_to_decide(world.users["ni"], limit=2)
    assert len(found) == 2
    # Users and providers come with the rows.
    with CaptureQueriesContext(connection) as queries:
        [(j.user.email, j.provider.name) for j in found]
    assert not queries.captured_queries


def test_pending_invitations_are_the_orm_rows(world):
    first, _ = invite(world, "invitee@example.com")
    invite(world, "invitee@example.com", provider=world.q, by="other_provider")
    gone, _ = invite(world, "other@example.com")
    expire(gone, days=1)
    for email in ("invitee@example.com", "INVITEE@example.com", "other@example.com", "x@y.z"):
        found = services.pending_invitations_for_email(email)
        expected = list(_pending_for(email.lower(), timezone.now()))
        assert _fields(found, "provider") == _fields(expected, "provider")
        assert [i.provider.name for i in found] == [i.provider.name for i in expected]
    found = services.pending_invitations_for_email("invitee@example.com")
    assert len(found) == 2
    assert found[0].pk == first.pk
    assert found[0].permissions == first.permissions
