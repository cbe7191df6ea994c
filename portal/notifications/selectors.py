"""Reads. Everything a provider-side page reads goes through the user's scope; rows outside
it are reported as not found (Http404), never as forbidden."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from portal.access import Principal
from portal.compiled_queries import CompiledObjects
from portal.forms.models import DraftStatus
from portal.notifications import page_reads, permissions
from portal.notifications.inbox_rows import COLUMNS as INBOX_COLUMNS
from portal.notifications.inbox_rows import InboxRow
from portal.notifications.models import (
    STATUS_NAMES,
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.references import sequence_of
from portal.notifications.sent_rows import COLUMNS as SENT_ROW_COLUMNS
from portal.notifications.sent_rows import SentRow
from portal.register.location_kinds import location_with_kinds
from portal.register.location_picker import search_filter
from portal.register.models import Location, Provider
from portal.register.selectors import provider_by_id


def provider_for(user: Principal | None, provider_id: str) -> Provider:
    provider = provider_by_id(provider_id)
    if (
        provider is None
        or provider.pk not in permissions.scope_for(user, permissions.DRAFT).provider_ids
    ):
        raise Http404("No such provider")
    return provider


def location_for(user: Principal | None, provider: Provider, location_id: str) -> Location:
    # With its activities and service types, as the API reads it (compiled once).
    location = location_with_kinds(provider.pk, location_id)
    if location is None or not permissions.can_notify_for(user, provider, location):
        raise Http404("No such location")
    return location


# Every draft page reads its draft: compiled once (no draft has these IDs).
_DRAFT = CompiledObjects.by_key(
    NotificationDraft.objects.select_related("provider", "location", "last_edited_by"),
    (UUID(int=1), UUID(int=2)),
)


def draft_for(user: Principal | None, draft_id: Any) -> NotificationDraft:
    draft: NotificationDraft | None = _DRAFT.one(draft_id)
    if draft is None or not permissions.can_edit_draft(user, draft):
        raise Http404("No such draft")
    return draft


def notification_for(user: Principal | None, reference: str) -> Notification:
    notification = permissions.visible_notification(user, reference)
    if notification is None:
        raise Http404("No such notification")
    return notification


def with_last_staff_email(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """Annotate `last_staff_email`: who at the regulator last dealt with each notification
    (asked the latest question, or else decided it), to tell them of an update. Read in the
    same statement as the notification."""
    last_asker = (
        NotificationMessage.objects.filter(notification=OuterRef("pk"), kind=MessageKind.QUESTION)
        .order_by("-created_at")
        .values("author__email")[:1]
    )
    return queryset.annotate(
        last_staff_email=Coalesce(Subquery(last_asker), F("decided_by__email"))
    )


def thread(notification: Notification) -> list[NotificationMessage]:
    # Status changes are the timeline's (status_timeline); older rows kept them here too.
    return page_reads.thread_of(notification)


ACTION_NAMES = {
    "submit": "Sent",
    "mark_reviewed": "Marked as reviewed",
    "ask_question": "Information requested",
    "close": "Closed",
    "accept": "Change accepted",
    "reject": "Change rejected",
    "provider_update": "Update from the provider",
    "questions_answered": "Questions answered",
    "recorded": "Status recorded",
    "email_change_confirmed": "New email address confirmed by the person",
    "email_change_stopped": "New email address stopped",
    "email_change_expired": "New email address not confirmed in time",
    "email_change_replaced": "New email address replaced by a newer change",
}


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    what: str
    status: str
    status_name: str
    by: str
    reason: str


def status_timeline(notification: Notification) -> list[TimelineEntry]:
    """The notification's status changes, oldest first, from the workflow's log."""
    return [
        TimelineEntry(
            at=change.at,
            what=ACTION_NAMES.get(change.action, change.action.replace("_", " ").capitalize()),
            status=change.to_status,
            status_name=STATUS_NAMES.get(change.to_status, change.to_status),
            by=change.actor_label,
            reason=change.reason,
        )
        for change in page_reads.status_changes_of(notification)
    ]


@dataclass(frozen=True)
class HistoryFilters:
    location_id: str = ""
    location_search: str = ""  # many locations: a name, town, postcode or ID (the picker's)
    type_slug: str = ""
    status: str = ""
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    reference: str = ""


def history_matching(user: Principal | None, filters: HistoryFilters) -> QuerySet[Notification]:
    """The notifications the filters ask for, in no order and before the user's scope (a
    page's count and rows both start from it: built once)."""
    queryset = Notification.objects.all()
    if filters.reference:
        return queryset.filter(pk=sequence_of(filters.reference) or 0)
    if filters.location_id:
        queryset = queryset.filter(location_id=filters.location_id)
    if filters.location_search:
        # Only among the user's own locations: PostgreSQL then reads their few rows, not the
        # whole register's, and counts each match's notifications off notif_location_history
        # (searched across the register, it scanned every notification: 60-200 ms).
        matching = (
            permissions.locations_in_scope(user)
            .filter(search_filter(filters.location_search))
            .order_by()
        )
        queryset = queryset.filter(location_id__in=matching.values("pk"))
    if filters.type_slug:
        queryset = queryset.filter(type_slug=filters.type_slug)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    tz = timezone.get_current_timezone()
    if filters.submitted_from:
        start = dt.datetime.combine(filters.submitted_from, dt.time.min, tzinfo=tz)
        queryset = queryset.filter(submitted_at__gte=start)
    if filters.submitted_to:
        end = dt.datetime.combine(
            filters.submitted_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz
        )
        queryset = queryset.filter(submitted_at__lt=end)
    return queryset


def history(user: Principal | None, filters: HistoryFilters) -> QuerySet[Notification]:
    """Submitted notifications in the user's scope, newest first."""
    queryset = permissions.visible_to(user, history_matching(user, filters))
    # Lists never show the answers: leave the biggest column in the table.
    queryset = queryset.select_related("location", "submitted_by").defer("answers")
    if filters.reference:
        return queryset.order_by("-pk")
    return queryset.order_by("-submitted_at", "-pk")


def history_count(
    user: Principal | None,
    filters: HistoryFilters,
    matching: QuerySet[Notification] | None = None,
    up_to: int | None = None,
) -> int:
    """How many notifications `history` lists (no more than `up_to`, if given), counted from
    the indexes alone (see `permissions.count_visible`); `matching`:
    `history_matching(user, filters)`, if made."""
    if matching is None:
        matching = history_matching(user, filters)
    return permissions.count_visible(user, matching, up_to)


def history_rows(
    user: Principal | None,
    filters: HistoryFilters,
    matching: QuerySet[Notification] | None = None,
) -> QuerySet[Notification]:
    """`history`, in its order: the notifications the history page's table lists."""
    if matching is None:
        matching = history_matching(user, filters)
    rows = permissions.visible_to(user, matching)
    if filters.reference:
        return rows.order_by("-pk")
    return rows.order_by("-submitted_at", "-pk")


class HistoryPages:
    """`history_rows` as the history's paginator slices it: each page's IDs first, then only
    their rows. The IDs sort from notif_location_history alone under a location filter; as
    one query PostgreSQL fetched every row of the searched location (8,000 at the national
    provider: 8 ms) to sort them for one page."""

    def __init__(
        self,
        user: Principal | None,
        filters: HistoryFilters,
        matching: QuerySet[Notification] | None = None,
    ) -> None:
        self.rows = history_rows(user, filters, matching)

    def __getitem__(self, page: slice) -> list[SentRow]:
        ids = self.rows.values("pk")[page]
        # Only what a row shows, as tuples: the rest of each notification (and a model
        # instance for it and its location) would be made fifty times a page for nothing.
        rows = (
            Notification.objects.filter(pk__in=ids)
            .order_by(*self.rows.query.order_by)
            .values_list(*SENT_ROW_COLUMNS)
        )
        return [SentRow(*row) for row in rows]


def open_drafts(user: Principal | None) -> QuerySet[NotificationDraft]:
    return open_drafts_in(permissions.scope_for(user, permissions.DRAFT))


def open_drafts_in(scope: permissions.NotifierScope) -> QuerySet[NotificationDraft]:
    """open_drafts where `scope` (the drafting permission's) lets someone work."""
    return (
        NotificationDraft.objects.filter(status=DraftStatus.OPEN)
        .filter(scope.filter_q())
        .select_related("location", "last_edited_by", "created_by")
        .order_by("-updated_at")
    )


def owed(user: Principal | None, limit: int = 10) -> list[Notification]:
    """What the provider still has to tell us (returns from absence, plans), soonest first."""
    return list(owed_in(permissions.scope_for(user, permissions.VIEW), limit))


def owed_in(scope: permissions.NotifierScope, limit: int) -> QuerySet[Notification]:
    """owed where `scope` (the viewing permission's) lets someone see.

    The first `limit` IDs come from the owed indexes alone, then only their rows: read in one
    go, PostgreSQL fetched every owed row in scope (5,000 at a national provider, 8-20 ms)
    to sort them; the IDs sort from the index (1 ms)."""
    owed_in_scope = Notification.objects.filter(next_due_label__gt="").filter(scope.filter_q())
    soonest = owed_in_scope.order_by("next_due_on", "pk").values("pk")[:limit]
    return (
        Notification.objects.filter(pk__in=soonest)
        .select_related("location")
        .only("type_slug", "next_due_label", "next_due_on", "location__name")
        .order_by("next_due_on", "pk")
    )


def open_questions(user: Principal | None, limit: int = 10) -> list[NotificationMessage]:
    return list(open_questions_in(permissions.scope_for(user, permissions.SUBMIT), limit))


def open_questions_in(
    scope: permissions.NotifierScope, limit: int
) -> QuerySet[NotificationMessage]:
    """open_questions where `scope` (the sending permission's) lets someone answer."""
    return (
        NotificationMessage.objects.filter(
            scope.filter_q("notification__"), kind=MessageKind.QUESTION, answered=False
        )
        # The lists show the question's date and its notification's reference and type;
        # both rows' answers (JSON) and bodies stay in the table.
        .select_related("notification")
        .only("created_at", "notification__type_slug")
        .order_by("created_at")[:limit]
    )


# ---------------------------------------------------------------------------------------
# Regulator staff
# ---------------------------------------------------------------------------------------


# How far the queue counts before it says "more than": a count is a scan of every matching
# row, and past this number nobody needs the exact figure to decide what to do next.
QUEUE_COUNT_CAP = 10_000
URGENCY_LEVELS = (3, 2, 1)
# The columns a queue row shows: the answers (the largest column) stay in the table.
QUEUE_COLUMNS = (
    "type_slug",
    "status",
    "urgency",
    "submitted_at",
    "late",
    "due_on",
    "next_due_on",
    "next_due_label",
    "provider__name",
    "location__name",
)


class Deadline(models.TextChoices):
    # Named as the tags in the list name them.
    LATE = "late", "Sent late"
    OVERDUE = "overdue", "Update overdue"


@dataclass(frozen=True)
class InboxFilters:
    status: str = NotificationStatus.SUBMITTED
    type_slug: str = ""
    urgency: int | None = None
    deadline: str = ""
    # An exact reference, provider ID or location ID (already normalised by the form).
    reference: str = ""
    register_id: str = ""


def staff_inbox(filters: InboxFilters, *, today: dt.date | None = None) -> QuerySet[Notification]:
    """The notifications that match the filters, in no order (see `staff_queue_page`).
    `today`: the day "overdue" is counted from (today's, unless a compiled query stands one
    in)."""
    queryset = Notification.objects.all()
    if filters.reference:
        queryset = queryset.filter(pk=sequence_of(filters.reference) or 0)
    if filters.register_id:
        # One column, not "provider OR location": each then reads off its own index.
        if Provider.objects.filter(pk=filters.register_id).exists():
            queryset = queryset.filter(provider_id=filters.register_id)
        else:
            queryset = queryset.filter(location_id=filters.register_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.type_slug:
        queryset = queryset.filter(type_slug=filters.type_slug)
    if filters.urgency:
        queryset = queryset.filter(urgency=filters.urgency)
    if filters.deadline == Deadline.LATE:
        queryset = queryset.filter(late=True)
    elif filters.deadline == Deadline.OVERDUE:
        # A due date is only ever set with its label, so the date alone says it: one
        # condition the planner can estimate, read off notif_queue_owed.
        queryset = queryset.filter(next_due_on__lt=today or timezone.localdate())
    return queryset


@dataclass(frozen=True)
class QueuePage:
    items: list[InboxRow]
    # Exact up to QUEUE_COUNT_CAP; `count_capped` says there are more than that.
    count: int
    count_capped: bool
    # Ids to continue from (`after`) or go back from (`before`); None at either end.
    next_after: int | None
    previous_before: int | None
    # The page asked for started from a notification that no longer exists.
    cursor_lost: bool = False


def _queue_rows(
    queryset: QuerySet[Any],
    *,
    levels: tuple[int, ...],
    bound: tuple[int, dt.datetime, int] | None,
    forwards: bool,
    limit: int,
) -> list[InboxRow]:
    """Up to `limit` rows in queue order (most urgent first, then longest waiting), from
    just past `bound` (a notification's urgency, submitted time and id) in either direction.

    One query per urgency level, each ordered by (submitted_at, id) alone, so every one is
    a range read off an index however deep the page is (an OFFSET would read and throw away
    every row before it)."""
    rows: list[InboxRow] = []
    for level in levels if forwards else tuple(reversed(levels)):
        if len(rows) >= limit:
            break
        part = queryset.filter(urgency=level)
        if bound is not None:
            urgency, submitted_at, pk = bound
            if (level > urgency) if forwards else (level < urgency):
                continue  # this level is wholly on the side already seen
            if level == urgency and forwards:
                part = part.filter(submitted_at__gte=submitted_at).exclude(
                    submitted_at=submitted_at, pk__lte=pk
                )
            elif level == urgency:
                part = part.filter(submitted_at__lte=submitted_at).exclude(
                    submitted_at=submitted_at, pk__gte=pk
                )
        order = ("submitted_at", "pk") if forwards else ("-submitted_at", "-pk")
        rows.extend(map(InboxRow._make, part.order_by(*order)[: limit - len(rows)]))
    return rows


def with_latest_reply(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """Each notification with the kind of the provider's latest answer or update, which
    `Notification.status_label` shows. Worked out only for the rows a page returns."""
    latest = (
        NotificationMessage.objects.filter(
            notification=OuterRef("pk"), kind__in=(MessageKind.ANSWER, MessageKind.UPDATE)
        )
        .order_by("-created_at", "-id")
        .values("kind")[:1]
    )
    return queryset.annotate(latest_reply=Subquery(latest))


def staff_queue_page(
    filters: InboxFilters, *, after: int | None = None, before: int | None = None, size: int
) -> QueuePage:
    """One page of the regulator's queue, found from the notification it continues from
    (keyset pagination): the same few queries on page 1 and page 20,000."""
    matching = staff_inbox(filters)
    capped = matching.order_by().values("pk")[: QUEUE_COUNT_CAP + 1].count()
    # Tuples, not models with their provider and location: fifty of those were most of
    # the Python the page spent reading.
    listed = with_latest_reply(matching).values_list(*INBOX_COLUMNS, "latest_reply")
    levels = (filters.urgency,) if filters.urgency else URGENCY_LEVELS
    cursor_id = after or before
    cursor = None
    if cursor_id:
        cursor = (
            Notification.objects.filter(pk=cursor_id)
            .values_list("urgency", "submitted_at", "pk")
            .first()
        )
    forwards = not (before and cursor)
    rows = _queue_rows(listed, levels=levels, bound=cursor, forwards=forwards, limit=size + 1)
    more_before = cursor is not None
    more = len(rows) > size
    rows = rows[:size]
    if not forwards:
        if not more:
            # Back at the start: show a whole first page rather than the few rows left.
            rows = _queue_rows(listed, levels=levels, bound=None, forwards=True, limit=size + 1)
            more, more_before = len(rows) > size, False
            rows = rows[:size]
        else:
            rows.reverse()
            more, more_before = True, True
    if rows:
        next_after = rows[-1].pk if more else None
        previous_before = rows[0].pk if more_before else None
    else:
        # Past the end (the rest were decided meanwhile): offer the way back.
        next_after, previous_before = None, cursor[2] if cursor else None
    return QueuePage(
        items=rows,
        count=min(capped, QUEUE_COUNT_CAP),
        count_capped=capped > QUEUE_COUNT_CAP,
        next_after=next_after,
        previous_before=previous_before,
        cursor_lost=bool(cursor_id) and cursor is None,
    )


# A staff page's notification, compiled once (no notification has these ids): building the
# query, with its five joins and the latest reply, took longer than running it.
_STAFF_NOTIFICATION = CompiledObjects.by_key(
    with_latest_reply(Notification.objects.all()).select_related(
        "provider", "location", "submitted_by", "decided_by", "scheduled_change"
    ),
    (-1, -2),
)


def staff_notification(reference: str) -> Notification:
    notification: Notification | None = _STAFF_NOTIFICATION.one(sequence_of(reference) or 0)
    if notification is None:
        raise Http404("No such notification")
    return notification
