"""Email through the outbox and the real worker: nothing lost, nothing sent twice.

The worker tests start `manage.py run_worker` as a subprocess against the test database and
the loopback SMTP server, and kill it the way a dying machine would (SIGKILL).
"""

import datetime as dt
import logging
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.emails.models import OutboxMessage, OutboxStatus
from portal.emails.services import deliver, queue_email, queue_emails, requeue_overdue
from portal.emails.tasks import deliver_emails
from portal.operations import sweeper
from portal.operations.models import WorkerHeartbeat
from tests.support.smtp import free_port
from tests.support.test_site.fixture import use_test_site
from tests.support.worker import wait_until

ADDRESS = "manager@care-home.example"


@pytest.fixture
def site(settings):
    use_test_site(settings)


def queue_notice(number=1, priority=False, to=ADDRESS):
    return queue_email(
        to=to,
        template="test_notice",
        context={"name": "Sam", "number": number},
        priority=priority,
    )


def status_of(message):
    message.refresh_from_db()
    return message.status


def delivery_tasks():
    return DBTaskResult.objects.filter(task_path="portal.emails.tasks.deliver_email")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_mail_queued_while_no_worker_runs_is_delivered_once_one_starts(site, workers, mail):
    message = queue_notice()
    time.sleep(0.5)
    assert status_of(message) == OutboxStatus.PENDING
    assert mail.received == []

    worker = workers()
    (received,) = mail.wait_for(ADDRESS, timeout=30)
    assert received.subject == "Test notice 1 from Provider Portal"
    assert "This is test notice 1." in received.body
    assert received.message["Message-ID"] == message.message_id
    wait_until(lambda: status_of(message) == OutboxStatus.SENT, what="the outbox to say sent")
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.sent_at is not None
    # The worker reports for /healthz while it runs.
    assert WorkerHeartbeat.objects.filter(pid=worker.pid).exists()
    time.sleep(1.5)  # a few sweeper cycles: still exactly one message
    assert len(mail.to(ADDRESS)) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_delivery_neither_loses_nor_duplicates(site, workers, mail):
    message = queue_notice()
    mail.data_delay = 60.0  # the server holds its reply to DATA...
    first = workers()
    mail.wait_for_data(timeout=30)  # ...so the worker is mid-send when it dies
    first.kill()
    assert mail.received == []  # the server never accepted it
    mail.data_delay = 0.0
    assert status_of(message) == OutboxStatus.PENDING
    (task,) = delivery_tasks()
    assert task.status == TaskResultStatus.RUNNING  # orphaned by the dead worker

    second = workers()
    mail.wait_for(ADDRESS, timeout=30)
    wait_until(lambda: status_of(message) == OutboxStatus.SENT, what="the outbox to say sent")
    time.sleep(3)  # several sweeper cycles later, still exactly once
    assert len(mail.to(ADDRESS)) == 1
    message.refresh_from_db()
    assert message.attempts == 1  # the killed attempt rolled back with its transaction
    (task,) = delivery_tasks()  # recovered, not duplicated
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    assert "Recovered 1 task(s) left running by stopped workers" in second.log()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_smtp_down_then_back_up_the_message_goes_once(site, workers, mail):
    message = queue_notice()
    dead_port = free_port()  # nothing listens here
    failing = workers(EMAIL_PORT=dead_port, EMAIL_MAX_ATTEMPTS=20)
    wait_until(
        lambda: OutboxMessage.objects.get(id=message.id).attempts >= 2,
        what="two failed attempts",
    )
    failing.stop()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now() - dt.timedelta(seconds=10)
    assert mail.received == []

    workers()
    mail.wait_for(ADDRESS, timeout=30)
    wait_until(lambda: status_of(message) == OutboxStatus.SENT, what="the outbox to say sent")
    message.refresh_from_db()
    assert message.last_error == ""
    time.sleep(1.5)
    assert len(mail.to(ADDRESS)) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_priority_worker_sends_codes_and_leaves_ordinary_mail(site, workers, mail):
    ordinary = queue_notice(number=1, to="ordinary@care-home.example")
    code = queue_notice(number=2, priority=True, to="code@care-home.example")
    workers(queues="priority_email")
    mail.wait_for("code@care-home.example", timeout=30)
    wait_until(lambda: status_of(code) == OutboxStatus.SENT, what="the code to be sent")
    time.sleep(1.5)
    assert status_of(ordinary) == OutboxStatus.PENDING
    assert mail.to("ordinary@care-home.example") == []


# In-process: the delivery service and the sweeper, step by step.


@pytest.mark.django_db
def test_priority_mail_goes_on_its_own_queue(site):
    ordinary = queue_notice(number=1)
    code = queue_notice(number=2, priority=True)
    tasks = {task.args_kwargs["args"][0]: task for task in delivery_tasks()}
    assert tasks[str(code.id)].queue_name == "priority_email"
    assert tasks[str(ordinary.id)].queue_name == "default"
    assert tasks[str(code.id)].priority > tasks[str(ordinary.id)].priority


@pytest.mark.django_db
def test_outbox_row_and_task_are_written_in_the_callers_transaction(site):
    class Abandoned(Exception):
        pass

    seen_inside = []

    def change_then_fail():
        with transaction.atomic():
            queue_notice()
            seen_inside.append((OutboxMessage.objects.count(), delivery_tasks().count()))
            raise Abandoned

    with pytest.raises(Abandoned):
        change_then_fail()
    assert seen_inside == [(1, 1)]
    assert OutboxMessage.objects.count() == 0
    assert delivery_tasks().count() == 0

    with transaction.atomic():
        queue_notice()
    assert OutboxMessage.objects.count() == 1
    assert delivery_tasks().count() == 1


@pytest.mark.django_db
def test_smtp_down_backs_off_then_gives_up_and_says_so(site, settings, caplog, mail):
    caplog.set_level(logging.INFO)
    settings.EMAIL_PORT = free_port()  # nothing listens here
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BASE_SECONDS = 5
    message = queue_notice()
    delays = []
    for attempt in (1, 2):
        before = timezone.now()
        assert deliver(str(message.id)) == "retry"
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.status == OutboxStatus.PENDING
        assert message.last_error.startswith("ConnectionRefusedError")
        delays.append(round((message.next_attempt_at - before).total_seconds()))
        retry = delivery_tasks().order_by("-enqueued_at").first()
        assert retry.run_after == message.next_attempt_at  # the retry waits its turn
    assert delays == [5, 10]  # exponential backoff

    assert deliver(str(message.id)) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    gave_up = [r for r in caplog.records if r.getMessage().startswith("Gave up on email")]
    assert len(gave_up) == 1
    assert gave_up[0].levelno == logging.ERROR
    # Failed mail is never retried by the sweeper, nor sent by a stray task.
    assert deliver(str(message.id)) == "already failed"
    assert requeue_overdue(older_than=dt.timedelta(0)) == 0
    assert mail.received == []


@pytest.mark.django_db
def test_delivery_is_idempotent(site, mail):
    message = queue_notice()
    assert deliver(str(message.id)) == "sent"
    assert deliver(str(message.id)) == "already sent"
    assert deliver("00000000-0000-0000-0000-000000000000") == "missing"
    assert len(mail.to(ADDRESS)) == 1


@pytest.mark.django_db
def test_sweeper_requeues_overdue_mail_only_when_no_task_is_on_its_way(site):
    message = queue_notice()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutboxMessage.objects.filter(id=message.id).update(next_attempt_at=long_ago)
    # Its task is still waiting: nothing to do.
    assert requeue_overdue(older_than=dt.timedelta(minutes=1)) == 0
    # The task failed unexpectedly (say the database dropped mid-task): queue it again.
    delivery_tasks().update(status=TaskResultStatus.FAILED)
    assert requeue_overdue(older_than=dt.timedelta(minutes=1)) == 1
    assert delivery_tasks().filter(status=TaskResultStatus.READY).count() == 1
    assert requeue_overdue(older_than=dt.timedelta(minutes=1)) == 0  # not again


@pytest.mark.django_db
def test_sweeper_recovers_only_tasks_whose_worker_stopped_beating(site, settings):
    settings.WORKER_STALE_SECONDS = 30
    queue_notice(number=1)
    queue_notice(number=2)
    started = timezone.now() - dt.timedelta(minutes=5)
    sweeper.beat(worker_id="alive", queues="*", started_at=started)
    sweeper.beat(worker_id="dead", queues="*", started_at=started)
    WorkerHeartbeat.objects.filter(worker_id="dead").update(last_seen_at=started)
    first, second = delivery_tasks().order_by("enqueued_at")
    for task, owner in ((first, "alive"), (second, "dead")):
        task.claim(owner)
    delivery_tasks().update(started_at=started)
    assert sweeper.recover_orphaned_tasks() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == TaskResultStatus.RUNNING  # a live worker's long task is left alone
    assert second.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_one_email_to_many_people_costs_the_same_statements_however_many(site, mail):
    few = [f"manager{n}@care-home.example" for n in range(2)]
    many = [f"manager{n}@care-home.example" for n in range(2, 40)]
    counts, queued = [], []
    for addresses in (few, many):
        with CaptureQueriesContext(connection) as captured:
            queued.append(
                queue_emails(
                    to=addresses, template="test_notice", context={"name": "Sam", "number": 3}
                )
            )
        counts.append(len(captured))
    assert counts == [2, 2]  # the outbox rows, then one delivery task
    assert OutboxMessage.objects.filter(template="test_notice").count() == 40
    assert DBTaskResult.objects.filter(task_path=deliver_emails.module_path).count() == 2
    # The sweeper sees a message waiting in a batch as on its way.
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(hours=1))
    assert requeue_overdue(older_than=dt.timedelta(minutes=1)) == 0
    # The batch delivers each of its messages once.
    assert deliver_emails.call([str(message.id) for message in queued[0]]) == ["sent", "sent"]
    assert [len(mail.to(address)) for address in few] == [1, 1]
    assert "This is test notice 3." in mail.to(few[0])[0].body
