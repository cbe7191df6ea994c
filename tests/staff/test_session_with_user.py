"""Reading a session also reads its signed-in user (portal/staff/session_store.py): one
statement for both, giving the user as the backend's own read does (the reference), and
never a user the session does not name or Django's checks would refuse."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.models import SignedInSession, User
from portal.staff import access
from portal.staff.auth import _request_user
from portal.staff.roles import StaffRole
from portal.staff.session_store import SessionStore
from portal.staff_permissions import StaffPermission, staff_permissions_of
from tests import factories as f


def signed_in_key(user: User) -> str:
    client = Client()
    client.force_login(user)  # as a sign-in does: a SignedInSession row for the key
    key = client.session.session_key
    assert key is not None
    assert SignedInSession.objects.filter(session_key=key, user=user).exists()
    return key


def user_of(key: str) -> tuple[Any, int]:
    """The user a request with this session key is signed in as, and how many statements
    reading the session and the user took (the middleware's path)."""
    request = RequestFactory().get("/")
    request.session = SessionStore(key)
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        user = _request_user(request)
        bool(user.is_authenticated)
    return user, len(queries.captured_queries)


def fields(user: User) -> dict[str, Any]:
    return {k: v for k, v in vars(user).items() if k not in {"_state", "_staff_standing"}}


def test_the_user_read_with_the_session_is_the_backends_own_read(db):
    ended = f.staff_member("eve.ended@regulator.example")
    ended.staff_member.ended_at = timezone.now()
    ended.staff_member.save()
    users = [
        f.staff_member("ivy.inspector@regulator.example", roles=[StaffRole.INSPECTOR]),
        f.staff_member("nat.new@regulator.example", second_factor=False),
        ended,
        f.make_user("pat.provider@example.com"),
    ]
    for user in users:
        ours, statements = user_of(signed_in_key(user))
        reference = access.user_with_standing(user.pk)
        assert reference is not None
        assert statements == 1  # the session and the user together
        assert isinstance(ours, User)
        assert fields(ours) == fields(reference)
        access.remember_standing(reference)
        assert access.staff_standing(ours) == access.staff_standing(reference)
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as later:
            member = getattr(ours, "staff_member", None)
            assert (member is None) == (not user.is_staff)
            if member is not None:
                assert member.user is ours
                assert member.roles == reference.staff_member.roles
        assert later.captured_queries == []


def test_a_signed_in_staff_member_holds_their_permissions_for_that_one_statement(db):
    inspector = f.staff_member("ivy.inspector@regulator.example", roles=[StaffRole.INSPECTOR])
    user, statements = user_of(signed_in_key(inspector))
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        assert StaffPermission.VIEW_CASES in staff_permissions_of(user)
    assert (statements, queries.captured_queries) == (1, [])


def test_a_row_naming_another_user_is_not_trusted(db):
    owner = f.make_user("owner@example.com")
    other = f.make_user("other@example.com")
    key = signed_in_key(owner)
    SignedInSession.objects.filter(session_key=key).update(user=other)
    user, statements = user_of(key)
    assert user == owner  # the session's own user, read by key
    assert statements == 2


def test_without_a_signed_in_row_the_user_is_read_by_key(db):
    owner = f.make_user("owner@example.com")
    key = signed_in_key(owner)
    SignedInSession.objects.filter(session_key=key).delete()
    user, statements = user_of(key)
    assert (user, statements) == (owner, 2)


def test_a_changed_password_signs_the_session_out(db):
    owner = f.make_user("owner@example.com")
    key = signed_in_key(owner)
    owner.set_password("a different passphrase entirely")
    owner.save()
    user, _ = user_of(key)
    assert isinstance(user, AnonymousUser)  # Django's session hash check still runs


@pytest.mark.parametrize("change", ["deactivated", "deleted", "expired", "signed out"])
def test_no_user_for_a_session_that_no_longer_signs_in(db, change):
    owner = f.make_user("owner@example.com")
    key = signed_in_key(owner)
    if change == "deactivated":
        User.objects.filter(pk=owner.pk).update(is_active=False)
    elif change == "deleted":
        owner.delete()
    elif change == "expired":
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1)
        )
    else:
        SessionStore(key).delete()
    user, _ = user_of(key)
    assert isinstance(user, AnonymousUser)


def test_the_user_is_offered_once_and_only_for_the_key_it_was_read_with(db):
    owner = f.make_user("owner@example.com")
    key = signed_in_key(owner)
    store = SessionStore(key)
    user_id = store[SESSION_KEY]  # loads the session, and the user with it
    assert store.take_signed_in_user("0") is None  # not the session's user: not offered
    assert store.take_signed_in_user(user_id) is None  # and gone once asked for

    store = SessionStore(key)
    store.load()
    store.cycle_key()
    assert store.take_signed_in_user(user_id) is None  # the key changed since

    store = SessionStore(store.session_key)  # the signed-in row followed the new key
    user, statements = user_of(store.session_key or "")
    assert (user, statements) == (owner, 1)


def test_a_session_without_a_user_reads_as_before(db):
    store = SessionStore()
    store["step"] = 1
    store.create()
    again = SessionStore(store.session_key)
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        assert again.load() == {"step": 1}
    assert len(queries.captured_queries) == 1
    assert again.take_signed_in_user(1) is None
    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
