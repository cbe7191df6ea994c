"""The audit log: one record() service, secrets withheld, and a table the database keeps
insert-only."""

from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.selectors import events_for_target
from portal.audit.services import record, record_about, with_reference
from portal.audit.verbs import AuditVerb
from portal.operations.request_context import request_id_bound


class ExampleVerb(AuditVerb):
    """Verbs for these tests only (record() refuses any verb no catalogue lists)."""

    EMAIL_CHANGED = "example.email_changed"
    SIGNED_UP = "example.signed_up"
    FEED_READ = "example.feed_read"
    DONE = "example.done"
    MORE = "example.more"


@pytest.fixture
def user():
    return User.objects.create_user("manager@care.example", "x" * 12)


@pytest.mark.django_db
def test_record_writes_actor_verb_target_data_and_request_id(user):
    request = RequestFactory().post("/anything", REMOTE_ADDR="203.0.113.7")
    with request_id_bound("req-0123456789abcdef"):
        event = record(
            verb=ExampleVerb.EMAIL_CHANGED,
            actor=user,
            target=user,
            data={"from": "old@care.example", "to": "manager@care.example"},
            request=request,
        )
    stored = AuditEvent.objects.get(id=event.id)
    assert stored.actor == user
    assert stored.actor_label == "manager@care.example"
    assert stored.verb == "example.email_changed"
    assert (stored.target_type, stored.target_id) == ("accounts.user", str(user.pk))
    assert stored.data == {"from": "old@care.example", "to": "manager@care.example"}
    assert stored.request_id == "req-0123456789abcdef"
    assert stored.ip_address == "203.0.113.7"
    assert stored.occurred_at is not None
    assert list(events_for_target(target_type="accounts.user", target_id=str(user.pk))) == [stored]


@pytest.mark.django_db
def test_system_events_and_things_that_are_not_rows():
    event = record(verb=ExampleVerb.FEED_READ, target_type="register.feed", target_id="2026-11-23")
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.request_id == "-"  # outside any request
    labelled = record(verb=ExampleVerb.FEED_READ, actor_label="register import")
    assert labelled.actor_label == "register import"


@pytest.mark.django_db
def test_secrets_in_data_are_withheld_at_any_depth():
    event = record(
        verb=ExampleVerb.SIGNED_UP,
        data={
            "password": "hunter2",
            "new_password": "hunter3",
            "verification_code": "123456",
            "otpSecret": "JBSWY3DPEHPK3PXP",
            "api-key": "k-123",
            "recovery_codes": ["aaaa-bbbb", "cccc-dddd"],
            "attempts": [{"code": "654321", "ok": False}],
            "nested": {"session_token": "abc", "email": "a@care.example"},
            "postcode": "SW1A 1AA",
            "keyboard_only": True,
        },
    )
    stored = AuditEvent.objects.get(id=event.id).data
    assert stored == {
        "password": "[withheld]",
        "new_password": "[withheld]",
        "verification_code": "[withheld]",
        "otpSecret": "[withheld]",
        "api-key": "[withheld]",
        "recovery_codes": "[withheld]",
        "attempts": [{"code": "[withheld]", "ok": False}],
        "nested": {"session_token": "[withheld]", "email": "a@care.example"},
        "postcode": "SW1A 1AA",
        "keyboard_only": True,
    }
    for secret in ("hunter2", "123456", "JBSWY3DP", "k-123", "aaaa", "654321", "abc"):
        assert secret not in str(stored)


class _Referenced:
    """A row known by its reference, as a case or an application is (an event keeps only
    its label and key, so this needs no table)."""

    _meta: ClassVar[Any] = SimpleNamespace(label_lower="example.thing")
    pk = 7
    reference = "EX-0007"


@pytest.mark.django_db
def test_an_event_about_a_referenced_row_names_the_reference(user):
    event = record_about(_Referenced(), verb=ExampleVerb.DONE, actor=user, data={"step": 2})
    stored = AuditEvent.objects.get(id=event.id)
    assert (stored.target_type, stored.target_id) == ("example.thing", "7")
    assert stored.data == {"reference": "EX-0007", "step": 2}
    assert with_reference(_Referenced()) == {"reference": "EX-0007"}


@pytest.mark.django_db
def test_record_joins_the_callers_transaction():
    class Abandoned(Exception):
        pass

    def audited_change_that_fails():
        with transaction.atomic():
            record(verb=ExampleVerb.DONE)
            raise Abandoned

    with pytest.raises(Abandoned):
        audited_change_that_fails()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_model_refuses_updates_and_deletes():
    event = record(verb=ExampleVerb.DONE)
    event.verb = "something.else"
    with pytest.raises(RuntimeError, match="insert-only"):
        event.save()
    with pytest.raises(RuntimeError, match="insert-only"):
        event.delete()


def _refused(sql, params=(), *, truncate_allowed=True):
    """Run `sql` in a savepoint and return the database's error (None if it ran).

    Test connections may TRUNCATE the audit table on PostgreSQL so the suite can empty it
    (settings/test.py); `truncate_allowed=False` takes that back, as on every production
    connection.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if not truncate_allowed:
                cursor.execute("SET LOCAL portal.allow_audit_truncate = 'off'")
            cursor.execute(sql, params)
    except DatabaseError as error:
        return str(error)
    return None


@pytest.mark.django_db
def test_the_database_refuses_raw_update_delete_and_truncate():
    event = record(verb=ExampleVerb.DONE, data={"n": 1})
    update = _refused(
        "UPDATE audit_auditevent SET verb = 'rewritten' WHERE verb = %s", [event.verb]
    )
    delete = _refused("DELETE FROM audit_auditevent WHERE verb = %s", [event.verb])
    delete_all = _refused("DELETE FROM audit_auditevent")
    assert "insert-only (UPDATE refused)" in update
    assert "insert-only (DELETE refused)" in delete
    assert "insert-only (DELETE refused)" in delete_all
    if connection.vendor == "postgresql":
        truncate = _refused("TRUNCATE audit_auditevent", truncate_allowed=False)
        assert "insert-only (TRUNCATE refused)" in truncate
    # Bulk ORM calls skip the model's methods; the database still says no.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(id=event.id).update(verb="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    stored = AuditEvent.objects.get(id=event.id)
    assert (stored.verb, stored.data) == ("example.done", {"n": 1})
    # Inserting is still allowed.
    record(verb=ExampleVerb.MORE)
    assert AuditEvent.objects.count() == 2
