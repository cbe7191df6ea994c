"""Reads. Everything a provider-side page reads goes through the user's scope; rows outside
it are reported as not found (Http404), never as forbidden."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from portal.notifications import permissions
from portal.notifications.models import (
    DraftStatus,
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.references import sequence_of
from portal.register.models import Location, Provider


def provider_for(user: Any, provider_id: str) -> Provider:
    provider = Provider.objects.filter(pk=provider_id).first()
    if (
        provider is None
        or provider.pk not in permissions.scope_for(user, permissions.DRAFT).provider_ids
    ):
        raise Http404("No such provider")
    return provider


def location_for(user: Any, provider: Provider, location_id: str) -> Location:
    location = (
        Location.objects.filter(pk=location_id, provider=provider)
        .prefetch_related("activities", "service_types")
        .first()
    )
    if location is None or not permissions.can_notify_for(user, provider, location):
        raise Http404("No such location")
    return location


def draft_for(user: Any, draft_id: Any) -> NotificationDraft:
    draft = (
        NotificationDraft.objects.select_related("provider", "location", "last_edited_by")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None or not permissions.can_edit_draft(user, draft):
        raise Http404("No such draft")
    return draft


def notification_for(user: Any, reference: str) -> Notification:
    notification = (
        Notification.objects.select_related("provider", "location", "submitted_by")
        .filter(pk=sequence_of(reference) or 0)
        .first()
    )
    if notification is None or not permissions.can_view_notification(user, notification):
        raise Http404("No such notification")
    return notification


def thread(notification: Notification) -> list[NotificationMessage]:
    return list(
        NotificationMessage.objects.filter(notification=notification).select_related("author")
    )


@dataclass(frozen=True)
class HistoryFilters:
    location_id: str = ""
    type_slug: str = ""
    status: str = ""
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    reference: str = ""


def history(user: Any, filters: HistoryFilters) -> QuerySet[Notification]:
    """Submitted notifications in the user's scope, newest first."""
    queryset = permissions.visible_to(user, Notification.objects.all())
    if filters.reference:
        return (
            queryset.filter(pk=sequence_of(filters.reference) or 0)
            .select_related("location", "submitted_by")
            .defer("answers")
            .order_by("-pk")
        )
    if filters.location_id:
        queryset = queryset.filter(location_id=filters.location_id)
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
    # Lists never show the answers: leave the biggest column in the table.
    return (
        queryset.select_related("location", "submitted_by")
        .defer("answers")
        .order_by("-submitted_at", "-pk")
    )


def open_drafts(user: Any) -> QuerySet[NotificationDraft]:
    return (
        permissions.drafts_visible_to(
            user, NotificationDraft.objects.filter(status=DraftStatus.OPEN)
        )
        .select_related("location", "last_edited_by", "created_by")
        .order_by("-updated_at")
    )


def owed(user: Any, limit: int = 10) -> list[Notification]:
    """What the provider still has to tell us (returns from absence, plans), soonest first."""
    return list(
        permissions.visible_to(user, Notification.objects.filter(next_due_label__gt=""))
        .select_related("location")
        .defer("answers")
        .order_by("next_due_on", "pk")[:limit]
    )


def open_questions(user: Any, limit: int = 10) -> list[NotificationMessage]:
    scope_q = permissions.scope_for(user, permissions.SUBMIT).filter_q("notification__")
    return list(
        NotificationMessage.objects.filter(scope_q, kind=MessageKind.QUESTION, answered=False)
        .select_related("notification")
        .order_by("created_at")[:limit]
    )


# ---------------------------------------------------------------------------------------
# Regulator staff
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    status: str = NotificationStatus.SUBMITTED
    type_slug: str = ""
    urgency: int | None = None


def staff_inbox(filters: InboxFilters) -> QuerySet[Notification]:
    """Most urgent first, then oldest first: what has waited longest gets seen."""
    queryset = Notification.objects.all()
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.type_slug:
        queryset = queryset.filter(type_slug=filters.type_slug)
    if filters.urgency:
        queryset = queryset.filter(urgency=filters.urgency)
    return (
        queryset.select_related("provider", "location")
        .defer("answers")
        .order_by("-urgency", "submitted_at", "pk")
    )


def staff_notification(reference: str) -> Notification:
    notification = (
        Notification.objects.select_related("provider", "location", "submitted_by", "decided_by")
        .filter(pk=sequence_of(reference) or 0)
        .first()
    )
    if notification is None:
        raise Http404("No such notification")
    return notification
