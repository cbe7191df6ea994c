"""Register changes are durable events: written with the change, processed once by the
worker's task, and retried (never lost) when a receiver fails."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.accounts.models import User
from portal.register.events import person_register_changed, register_changed, replay_unprocessed
from portal.register.models import RegisterChange
from portal.register.processing import process_change
from portal.register.tasks import process_register_change
from tests import factories as f

pytestmark = pytest.mark.django_db


def processing_tasks():
    return DBTaskResult.objects.filter(task_path=process_register_change.module_path)


def test_the_change_and_its_task_commit_or_roll_back_with_the_register_change():
    person = f.make_person()

    def failing_register_change():
        with transaction.atomic():
            person_register_changed(person=person, reason="role ended")
            raise RuntimeError("the register change failed")

    with pytest.raises(RuntimeError):
        failing_register_change()
    assert not RegisterChange.objects.exists()
    assert not processing_tasks().exists()
    change = person_register_changed(person=person, reason="role ended")
    (task,) = processing_tasks()
    assert task.args_kwargs["args"] == [change.pk]


def test_processing_runs_every_receiver_once_and_marks_the_change_processed():
    person = f.make_person()
    change = person_register_changed(person=person, reason="role ended", data={"x": 1})
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["person_id"], kwargs["reason"], kwargs["data"]))

    register_changed.connect(receiver)
    try:
        assert process_change(change.pk) == "processed"
        assert process_change(change.pk) == "already processed"
    finally:
        register_changed.disconnect(receiver)
    assert received == [(person.pk, "role ended", {"x": 1})]
    change.refresh_from_db()
    assert change.processed_at is not None
    assert change.attempts == 1


def test_a_failing_receiver_undoes_the_attempt_and_the_replay_applies_it(settings):
    settings.REGISTER_CHANGE_RETRY_SECONDS = 60
    person = f.make_person(email="before@care.example")
    user = f.make_user(person=person)
    user.email = "before@care.example"
    user.save()
    # As the register import does (staff acceptance waits for the account's owner instead).
    with transaction.atomic():
        person.email = "after@care.example"
        person.save(update_fields=["email", "updated_at"])
        change = person_register_changed(person=person, reason="email changed")
    failures = ["delegation is down"]

    def flaky(sender, **kwargs):
        if failures:
            raise RuntimeError(failures.pop())

    register_changed.connect(flaky)  # runs after accounts moved the email
    try:
        assert process_change(change.pk) == "retry"
        change.refresh_from_db()
        assert change.processed_at is None
        assert change.attempts == 1
        assert change.last_error == "RuntimeError: delegation is down"
        assert change.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
        # Everything the attempt did is undone: the account did not move.
        assert User.objects.get(pk=user.pk).email == "before@care.example"

        # Not due yet, and its first task is still on record as waiting: nothing to replay.
        assert replay_unprocessed() == 0
        processing_tasks().delete()  # as if that task had run (it has)
        assert replay_unprocessed() == 0  # still backing off
        RegisterChange.objects.update(next_attempt_at=timezone.now())
        assert replay_unprocessed() == 1
        assert replay_unprocessed() == 0  # its task is waiting: not queued twice
        assert process_change(change.pk) == "processed"
    finally:
        register_changed.disconnect(flaky)
    change.refresh_from_db()
    assert change.processed_at is not None
    assert change.attempts == 2
    assert change.last_error == ""
    assert User.objects.get(pk=user.pk).email == "after@care.example"
