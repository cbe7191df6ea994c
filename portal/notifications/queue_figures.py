"""The regulator's notification queue at a glance (the staff home page): four counts, each
matching an inbox filter, and the notifications most recently answered.

The four counts are one statement, compiled once and prepared: as four ORM counts the page
spent more Python building them than PostgreSQL spent counting, and paid four round trips.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.compiled_queries import CompiledObjects, CompiledRows
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.selectors import (
    QUEUE_COLUMNS,
    QUEUE_COUNT_CAP,
    Deadline,
    InboxFilters,
    staff_inbox,
)


@dataclass(frozen=True)
class CappedCount:
    """A count that stops at QUEUE_COUNT_CAP (see there why)."""

    count: int
    capped: bool

    @classmethod
    def of(cls, counted: int) -> "CappedCount":
        """From a count of at most QUEUE_COUNT_CAP + 1 rows."""
        return cls(count=min(counted, QUEUE_COUNT_CAP), capped=counted > QUEUE_COUNT_CAP)


def answered_since_decided() -> QuerySet[Notification]:
    """Notifications back in the queue as new because the provider answered our question
    after our last decision on them (or we have made none), latest answer first.

    Only notifications ever answered can match: their IDs, from the answers' own index
    (notif_message_answers), are a plain semi-join PostgreSQL may start from, and only those
    notifications are then checked against their answers' dates. With the date test alone
    in the semi-join it could only read every new notification and look each up among the
    answers (a scan of the whole table: 15-25 ms at 50,000 notifications with 21 answers;
    now under 1 ms). Where most new notifications were answered, it still reads them all."""
    every_answer = NotificationMessage.objects.filter(kind=MessageKind.ANSWER)
    answers = every_answer.filter(notification=models.OuterRef("pk"))
    # Every answer follows the submission, so with no decision yet any answer counts.
    since = Coalesce(models.OuterRef("decided_at"), models.OuterRef("submitted_at"))
    after_decision = answers.filter(created_at__gt=since)
    return (
        Notification.objects.filter(status=NotificationStatus.SUBMITTED)
        .filter(pk__in=every_answer.values("notification_id"))
        .filter(models.Exists(after_decision))
        .annotate(
            answered_at=models.Subquery(
                answers.order_by("-created_at", "-pk").values("created_at")[:1]
            )
        )
    )


class _CountUpToCap(models.Subquery):
    """How many rows `queryset` has, counting no further than QUEUE_COUNT_CAP + 1."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"

    def __init__(self, queryset: QuerySet[Any]) -> None:
        limited = queryset.order_by().values("pk")[: QUEUE_COUNT_CAP + 1]
        super().__init__(limited, output_field=models.IntegerField())


FIGURES = ("new", "overdue", "waiting_for_answer", "answers_received")


def _figures_on(today: dt.date) -> QuerySet[Any]:
    """The four counts as one row. Uncorrelated subqueries, so PostgreSQL works each out
    once; the outer table only gives them a row to sit on (none when it is empty, when
    every count is 0)."""
    waiting = InboxFilters(status=NotificationStatus.INFORMATION_REQUESTED)
    return (
        Notification.objects.order_by()
        .annotate(
            new=_CountUpToCap(staff_inbox(InboxFilters())),
            overdue=_CountUpToCap(
                staff_inbox(InboxFilters(status="", deadline=Deadline.OVERDUE), today=today)
            ),
            waiting_for_answer=_CountUpToCap(staff_inbox(waiting)),
            answers_received=_CountUpToCap(answered_since_decided()),
        )
        .values_list(*FIGURES)[:1]
    )


# Two days no due date is on, standing in for today while the statement is compiled.
_FIGURES = CompiledRows(
    _figures_on,
    {"today": (dt.date(1901, 1, 1), dt.date(1901, 1, 2))},
    fields={"today": models.DateField()},
    prepared=True,
)


@dataclass(frozen=True)
class QueueSummary:
    """The regulator's queue at a glance, each figure matching an inbox filter."""

    new: CappedCount
    overdue: CappedCount
    waiting_for_answer: CappedCount
    answers_received: CappedCount
    # The notifications most recently answered, each with `answered_at`.
    latest_answered: list[Notification]


def queue_summary(latest: int = 5) -> QueueSummary:
    rows = _FIGURES.rows(today=timezone.localdate())
    new, overdue, waiting, answered = rows[0] if rows else (0, 0, 0, 0)
    return QueueSummary(
        new=CappedCount.of(new),
        overdue=CappedCount.of(overdue),
        waiting_for_answer=CappedCount.of(waiting),
        answers_received=CappedCount.of(answered),
        latest_answered=_latest_answered(latest).objects(),
    )


_LATEST_ANSWERED: dict[int, CompiledObjects] = {}


def _latest_answered(latest: int) -> CompiledObjects:
    """The `latest` notifications most recently answered, compiled once (the staff home
    page reads them on every visit; building the query cost more than running it)."""
    if latest not in _LATEST_ANSWERED:
        _LATEST_ANSWERED[latest] = CompiledObjects(
            lambda: (
                answered_since_decided()
                .select_related("provider")
                .only(*QUEUE_COLUMNS)
                .order_by("-answered_at", "-pk")[:latest]
            ),
            {},  # no values: not prepared, as EXECUTE takes at least one
        )
    return _LATEST_ANSWERED[latest]
