"""A register change is processed by the real worker, never in the request, and a first
attempt that fails is applied by a retry: whoever made the change sees no error, and
nothing is lost."""

import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse

from portal.accounts.models import User
from portal.emails.models import OutboxMessage
from portal.register.events import person_register_changed, register_changed
from portal.register.models import RegisterChange
from tests import factories as f
from tests.factories.notifications import submit_email_change
from tests.support.worker import current_test_database_url, wait_until

NEW_EMAIL = "mandy.new@carehome.example"


def register_gives_a_new_email(person, new_email):
    """What the register import does with a contact feed that holds a new address."""
    with transaction.atomic():
        old = person.email
        person.email = new_email
        person.save(update_fields=["email", "updated_at"])
        person_register_changed(
            person=person, reason="email changed", data={"old_email": old, "new_email": new_email}
        )


@pytest.mark.django_db(transaction=True)
def test_a_change_whose_first_processing_fails_is_applied_by_the_workers_retry(world, workers):
    if connection.vendor != "postgresql":
        pytest.skip("the failure is a PostgreSQL lock timeout (lock_timeout)")
    manager = world.manager
    old_email = manager.email
    # Someone else holds the account's row (say, a long edit): processing cannot move the
    # account while they do, so its first attempt fails on the lock.
    holder = psycopg.connect(current_test_database_url(), autocommit=False)
    try:
        holder.execute("SELECT id FROM accounts_user WHERE id = %s FOR UPDATE", [manager.pk])
        register_gives_a_new_email(manager.person, NEW_EMAIL)
        workers(REGISTER_CHANGE_LOCK_TIMEOUT_MS="200", REGISTER_CHANGE_RETRY_SECONDS="1")
        change = wait_until(
            lambda: RegisterChange.objects.filter(attempts__gte=1).first(),
            what="the first attempt",
        )
        assert "lock timeout" in change.last_error
        assert change.processed_at is None
        assert User.objects.get(pk=manager.pk).email == old_email  # rolled back, not half done
    finally:
        holder.rollback()
        holder.close()

    # The sweeper puts the change back once its back-off has passed; the retry applies it.
    done = wait_until(
        lambda: RegisterChange.objects.filter(pk=change.pk, processed_at__isnull=False).first(),
        what="the retry",
    )
    assert done.attempts == 2
    assert done.last_error == ""
    assert User.objects.get(pk=manager.pk).email == NEW_EMAIL
    told = set(OutboxMessage.objects.filter(template="email_changed").values_list("to", flat=True))
    assert told == {old_email, NEW_EMAIL}


@pytest.mark.django_db
def test_a_failing_receiver_never_gives_the_member_of_staff_an_error(
    client, world, django_capture_on_commit_callbacks
):
    location = world.locations["Organisation"]
    deputy = f.make_person(given="Dee")  # a registered person with no account
    f.give_role(deputy, "registered_manager", location.provider, location)
    notification, _ = submit_email_change(world, "dee.new@carehome.example", deputy)

    def broken(sender, **kwargs):
        raise RuntimeError("a receiver that fails")

    register_changed.connect(broken)
    try:
        client.force_login(world.staff)
        # Whatever runs once the request's transaction commits runs here too.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("notifications_staff:accept", args=[notification.reference])
            )
    finally:
        register_changed.disconnect(broken)
    assert response.status_code == 302
    change = RegisterChange.objects.get(person=deputy)
    assert change.processed_at is None  # waiting for the worker, which will retry it
