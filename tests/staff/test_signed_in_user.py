"""Reading the signed-in user (the authentication backend): one statement compiled once per
database, giving the user, their staff record and second factors as the ORM reads them."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from portal.staff import access
from portal.staff.auth import StaffAwareModelBackend
from portal.staff.roles import StaffRole
from portal.staff_permissions import StaffPermission, staff_permissions_of
from tests import factories as f


def test_the_compiled_read_gives_what_the_orm_gives(db):
    inspector = f.staff_member("ivy.inspector@regulator.example", roles=[StaffRole.INSPECTOR])
    no_factor = f.staff_member("nat.new@regulator.example", second_factor=False)
    provider_side = f.make_user("pat.provider@example.com")
    for user in (inspector, no_factor, provider_side):
        ours = access.user_with_standing(str(user.pk))
        theirs = access.users_with_standing().get(pk=user.pk)
        assert ours is not None
        assert {k: v for k, v in vars(ours).items() if k != "_state"} == {
            k: v for k, v in vars(theirs).items() if k != "_state"
        }
        assert getattr(ours, "staff_has_totp") == (user is inspector)  # noqa: B009
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
            member = getattr(ours, "staff_member", None)
            if user is provider_side:
                assert member is None
            else:
                assert member is not None
                assert member.roles == theirs.staff_member.roles
                assert member.user is ours
        assert queries.captured_queries == []
    assert access._USER_ROWS._by_alias[DEFAULT_DB_ALIAS] is not None


def test_the_backend_reads_the_user_and_standing_in_one_statement(db):
    inspector = f.staff_member("ivy.inspector@regulator.example", roles=[StaffRole.INSPECTOR])
    backend = StaffAwareModelBackend()
    backend.get_user(inspector.pk)  # compiled on first use
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        user = backend.get_user(str(inspector.pk))
        assert user is not None
        assert StaffPermission.VIEW_CASES in staff_permissions_of(user)
    assert len(queries.captured_queries) == 1


def test_no_user_for_an_unknown_inactive_or_malformed_key(db):
    gone = f.make_user("gone@example.com", is_active=False)
    backend = StaffAwareModelBackend()
    assert backend.get_user(gone.pk) is None
    assert backend.get_user(gone.pk + 1000) is None
    assert backend.get_user("not a number") is None
