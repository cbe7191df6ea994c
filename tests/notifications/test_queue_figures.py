"""The staff home's four queue counts, read as one compiled statement, are the ORM's counts of
the inbox filters they stand for: each status, overdue by today's date, answered since our
last decision, the cap, and an empty table."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.compiled_queries import CompiledRows
from portal.notifications import queue_figures, selectors, services
from portal.notifications.models import Notification, NotificationStatus
from portal.notifications.queue_figures import CappedCount
from tests import factories as f
from tests.notifications.test_staff_queue import make


def _orm_counts() -> dict[str, CappedCount]:
    """Each figure as the ORM counts it, capped as before."""

    def capped(queryset):
        limit = queue_figures.QUEUE_COUNT_CAP + 1
        return CappedCount.of(queryset.order_by().values("pk")[:limit].count())

    inbox, filters = selectors.staff_inbox, selectors.InboxFilters
    return {
        "new": capped(inbox(filters())),
        "overdue": capped(inbox(filters(status="", deadline=selectors.Deadline.OVERDUE))),
        "waiting_for_answer": capped(
            inbox(filters(status=NotificationStatus.INFORMATION_REQUESTED))
        ),
        "answers_received": capped(queue_figures.answered_since_decided()),
    }


def _figures() -> dict[str, CappedCount]:
    summary = queue_figures.queue_summary()
    return {name: getattr(summary, name) for name in queue_figures.FIGURES}


def _fill(world) -> None:
    today = timezone.localdate()
    for urgency in (1, 2, 3):
        make(world, urgency=urgency)
    make(world, status=NotificationStatus.INFORMATION_REQUESTED)
    make(world, status=NotificationStatus.INFORMATION_REQUESTED, minutes=5)
    make(world, status=NotificationStatus.ACCEPTED)
    make(world, next_due_label="Update", next_due_on=today - dt.timedelta(days=1))
    make(world, next_due_label="Update", next_due_on=today)  # due today: not overdue yet
    make(world, next_due_label="Update", next_due_on=today + dt.timedelta(days=3))
    answered = f.submit("death", world.manager, world.locations["Organisation"])
    question = services.ask_question(notification_id=answered.pk, staff=world.staff, body="When?")
    services.answer_question(question_id=question.pk, user=world.manager, body="Monday")


@pytest.mark.django_db
def test_an_empty_queue_counts_nothing() -> None:
    assert not Notification.objects.exists()
    assert _figures() == _orm_counts()
    assert all(figure == CappedCount(0, False) for figure in _figures().values())


@pytest.mark.django_db
def test_the_figures_are_the_orms_counts(world) -> None:
    _fill(world)

    figures = _figures()

    assert figures == _orm_counts()
    assert figures["new"].count >= 4
    assert figures["overdue"] == CappedCount(1, False)
    assert figures["waiting_for_answer"] == CappedCount(2, False)
    assert figures["answers_received"] == CappedCount(1, False)


@pytest.mark.django_db
def test_the_figures_follow_the_date(world, monkeypatch) -> None:
    _fill(world)
    later = timezone.localdate() + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)

    assert _figures() == _orm_counts()
    assert _figures()["overdue"] == CappedCount(2, False)


@pytest.mark.django_db
def test_counts_stop_at_the_cap(world, monkeypatch) -> None:
    _fill(world)
    monkeypatch.setattr(queue_figures, "QUEUE_COUNT_CAP", 2)
    # Compiled afresh with the lower cap (the module's statement has the real one in it).
    monkeypatch.setattr(
        queue_figures,
        "_FIGURES",
        CompiledRows(
            queue_figures._figures_on,
            {"today": (dt.date(1901, 1, 1), dt.date(1901, 1, 2))},
            fields={"today": queue_figures.models.DateField()},
            prepared=True,
        ),
    )

    figures = _figures()

    assert figures == _orm_counts()
    assert figures["new"] == CappedCount(2, True)
    assert figures["waiting_for_answer"] == CappedCount(2, False)
    assert figures["overdue"] == CappedCount(1, False)


@pytest.mark.django_db
def test_the_figures_are_one_statement(world, django_assert_num_queries) -> None:
    _fill(world)
    queue_figures.queue_summary()
    assert queue_figures._FIGURES._compiled("default") is not None  # not the ORM's fallback
    with django_assert_num_queries(2):  # the figures, and the latest answered
        queue_figures.queue_summary()
