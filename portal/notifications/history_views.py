"""The provider's history of notifications (filtered, paged, with drafts, what is still owed
and questions to answer) and its CSV export."""

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.access import requires
from portal.frontend.formats import govuk_date, govuk_datetime
from portal.notifications import draft_list, permissions, selectors
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.forms import HistoryFilterForm
from portal.notifications.models import NotificationStatus
from portal.notifications.references import reference_for
from portal.register.models import Location

HISTORY_PAGE_SIZE = 50


def _history_filters(
    request: HttpRequest, locations: list[Location]
) -> tuple[HistoryFilterForm, selectors.HistoryFilters]:
    form = HistoryFilterForm(request.GET or None, locations=locations)
    if not request.GET or not form.is_valid():
        return form, selectors.HistoryFilters()
    data = form.cleaned_data
    return form, selectors.HistoryFilters(
        location_id=data.get("location") or "",
        type_slug=data.get("notification_type") or "",
        status=data.get("status") or "",
        submitted_from=data.get("submitted_from"),
        submitted_to=data.get("submitted_to"),
        reference=data.get("reference") or "",
    )


def _scope_locations(user: Any) -> list[Location]:
    return list(permissions.locations_in_scope(user)[:500])


@requires("notifications.view")
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    locations = _scope_locations(request.user)
    form, filters = _history_filters(request, locations)
    paginator = Paginator(selectors.history(request.user, filters), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "notifications/history.html",
        {
            "form": form if request.GET else None,
            "filter_form": form,
            "page_obj": page,
            "drafts": draft_list.described(selectors.open_drafts(request.user)[:20]),
            "owed": selectors.owed(request.user),
            "questions": selectors.open_questions(request.user),
            "catalogue": CATALOGUE,
            "filtered": bool(query),
            "query_string": urlencode(query),
            "export_href": reverse("notifications:export")
            + (f"?{urlencode(query)}" if query else ""),
            "today": timezone.localdate(),
            "can_draft": not permissions.scope_for(request.user, permissions.DRAFT).is_empty,
        },
    )


def _safe_cell(value: Any) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


# The export reads plain values, not model instances (several times faster for a provider
# with tens of thousands of notifications), and sends them in chunks of rows.
_EXPORT_COLUMNS = (
    "pk",
    "type_slug",
    "version",
    "provider_id",
    "location_id",
    "location__name",
    "submitted_at",
    "submitted_by__email",
    "status",
    "due_on",
    "late",
    "next_due_label",
    "next_due_on",
)
_EXPORT_ROWS_PER_CHUNK = 500
_STATUS_NAMES = dict(NotificationStatus.choices)


@requires("notifications.view")
@require_safe
def export(request: HttpRequest) -> StreamingHttpResponse:
    locations = _scope_locations(request.user)
    _form, filters = _history_filters(request, locations)
    rows = selectors.history(request.user, filters).values_list(*_EXPORT_COLUMNS)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                "Reference",
                "Type",
                "Form version",
                "Provider ID",
                "Location ID",
                "Location",
                "Sent",
                "Sent by",
                "Status",
                "Deadline",
                "Late",
                "Still to tell us",
                "Due by",
            ]
        )
        chunk: list[str] = []
        for (
            pk,
            type_slug,
            version,
            provider_id,
            location_id,
            location_name,
            submitted_at,
            submitted_by,
            status,
            due_on,
            late,
            next_due_label,
            next_due_on,
        ) in rows.iterator(chunk_size=2000):
            chunk.append(
                writer.writerow(
                    [
                        _safe_cell(value)
                        for value in (
                            reference_for(pk),
                            CATALOGUE.name_of(type_slug),
                            version,
                            provider_id,
                            location_id or "",
                            location_name if location_id else "Provider as a whole",
                            govuk_datetime(submitted_at),
                            submitted_by,
                            _STATUS_NAMES.get(status, status),
                            govuk_date(due_on),
                            "Yes" if late else "No",
                            next_due_label,
                            govuk_date(next_due_on),
                        )
                    ]
                )
            )
            if len(chunk) == _EXPORT_ROWS_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="notifications-{timezone.localdate().isoformat()}.csv"'
    )
    return response
