"""Sessions are Django's database sessions; saving an existing one is a single statement, and
loading one is a single plain SELECT that answers as Django's load does."""

import datetime as dt
from importlib import import_module

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.session_store import SessionStore


@pytest.mark.django_db
def test_a_new_session_is_created_and_a_changed_one_saved_in_one_statement():
    store = SessionStore()
    store["step"] = 1
    store.save()  # new: Django's own create (a unique key, inside a transaction)
    key = store.session_key
    store["step"] = 2
    with CaptureQueriesContext(connection) as captured:
        store.save()
    assert [q["sql"].split()[0] for q in captured] == ["UPDATE"]
    assert SessionStore(session_key=key)["step"] == 2


@pytest.mark.django_db
def test_saving_a_session_deleted_meanwhile_is_refused_as_django_refuses_it():
    store = SessionStore()
    store["step"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).delete()  # signed out elsewhere
    store["step"] = 2
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_session_loads_in_one_select_and_an_expired_or_unknown_one_loads_empty():
    store = SessionStore()
    store["step"] = 1
    store.save()
    key = store.session_key
    with CaptureQueriesContext(connection) as captured:
        assert SessionStore(session_key=key).load() == {"step": 1}
    assert [q["sql"].split()[0] for q in captured] == ["SELECT"]

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(session_key=key)
    assert expired.load() == {}
    assert expired.session_key is None  # as Django: saving it makes a new key, never reuses
    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None


def test_the_portal_uses_it(settings):
    # Through the store that also reads the signed-in user (tests/staff/test_signed_in_user.py).
    engine = import_module(settings.SESSION_ENGINE)
    assert issubclass(engine.SessionStore, SessionStore)
