"""A register change is processed by the real worker, never in the request, and a first
attempt that fails is applied by a retry: the member of staff who made the change sees no
error, and nothing is lost."""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from portal.accounts.models import User
from portal.emails.models import OutboxMessage
from portal.register.events import register_changed
from portal.register.models import RegisterChange
from tests.notifications.helpers import submit
from tests.support.worker import current_test_database_url, wait_until

NEW_EMAIL = "mandy.new@carehome.example"


@pytest.mark.django_db(transaction=True)
def test_a_change_whose_first_processing_fails_is_applied_by_the_workers_retry(
    client, world, workers
):
    if connection.vendor != "postgresql":
        pytest.skip("the failure is a PostgreSQL lock timeout (lock_timeout)")
    manager = world.manager
    old_email = manager.email
    notification = submit(
        "change-contact-details",
        world.nominated["Organisation"],
        None,
        provider=world.providers["Organisation"],
        changes=["person_email"],
        changed_person=manager.person.person_ref,
        new_email=NEW_EMAIL,
    )
    # Someone else holds the account's row (say, a long edit): processing cannot move the
    # account while they do, so its first attempt fails on the lock.
    holder = psycopg.connect(current_test_database_url(), autocommit=False)
    try:
        holder.execute("SELECT id FROM accounts_user WHERE id = %s FOR UPDATE", [manager.pk])
        workers(REGISTER_CHANGE_LOCK_TIMEOUT_MS="200", REGISTER_CHANGE_RETRY_SECONDS="1")

        client.force_login(world.staff)
        response = client.post(reverse("notifications_staff:accept", args=[notification.reference]))
        assert response.status_code == 302  # no error for the member of staff

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
    notification = submit(
        "change-contact-details",
        world.nominated["Organisation"],
        None,
        provider=world.providers["Organisation"],
        changes=["person_email"],
        changed_person=world.manager.person.person_ref,
        new_email=NEW_EMAIL,
    )

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
    change = RegisterChange.objects.get()
    assert change.processed_at is None  # waiting for the worker, which will retry it
