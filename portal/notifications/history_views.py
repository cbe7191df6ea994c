"""The provider's history of notifications (filtered, paged, with drafts, what is still owed
and questions to answer) and its CSV export."""

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe
from markupsafe import Markup

from portal.access import requires
from portal.frontend.formats import ManyDates
from portal.notifications import (
    draft_cards,
    draft_list,
    history_filters,
    history_queries,
    permissions,
    selectors,
)
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.forms import HistoryFilterForm
from portal.notifications.models import STATUS_NAMES
from portal.notifications.references import reference_for
from portal.notifications.sent_rows import SentRowWriter
from portal.register.location_picker import location_options, search_results

HISTORY_PAGE_SIZE = history_queries.PAGE_SIZE
# How far the first pages of the history count: past it the page says "more than" (a count
# reads an index entry for every notification: 15,000 for a delegate at 514 locations,
# 30,000 for a large provider's nominated individual, 3-5 ms of PostgreSQL's CPU a page).
# Every notification stays within reach: a later page counts as far as it needs, so "next"
# goes on to the end, and the filters and the CSV export take all of them.
HISTORY_COUNT_CAP = history_queries.COUNT_CAP


class CountedPaginator(Paginator):
    """A paginator given its count, worked out apart from the rows it pages (a count reads
    the indexes alone where the rows' query would read every row: selectors.history_count)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def count_limit(page: str | None) -> int | None:
    """How far to count for the page asked for (as the paginator reads it): one past the cap,
    or past that page's last row, so that a page knows whether another follows it. None
    (count them all) for a number below 1, which the paginator answers with the last page."""
    try:
        number = 1 if page is None else int(page)
    except ValueError:
        return HISTORY_COUNT_CAP + 1  # the paginator shows the first page
    if number < 1:
        return None
    return max(HISTORY_COUNT_CAP, min(number, 10**9) * HISTORY_PAGE_SIZE) + 1


class _Filtering(NamedTuple):
    form: HistoryFilterForm | None  # None when nothing was sent (no form is built)
    filters: selectors.HistoryFilters
    fields: Callable[[], Markup]  # the filter's fields as HTML


def _history_filters(request: HttpRequest) -> _Filtering:
    # A few locations are a list to choose from; more are searched for (by name, town,
    # postcode or ID), in SQL, so the page reads at most CHECKBOX_LIMIT + 1 of them.
    options, search = history_queries.location_filter_options(request.user)
    if not request.GET:
        unfiltered = selectors.HistoryFilters()
        return _Filtering(
            None, unfiltered, lambda: history_filters.rendered_unsent(options, search)
        )
    form = HistoryFilterForm(request.GET, locations=options, search=search)
    fields = functools.partial(history_filters.rendered, form)
    if not form.is_valid():
        return _Filtering(form, selectors.HistoryFilters(), fields)
    data = form.cleaned_data
    location = (data.get("location") or "").strip()
    return _Filtering(
        form,
        selectors.HistoryFilters(
            location_id="" if search else location,
            location_search=location if search else "",
            type_slug=data.get("notification_type") or "",
            status=data.get("status") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            reference=data.get("reference") or "",
        ),
        fields,
    )


@requires("notifications.view")
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    form, filters, fields = _history_filters(request)
    sent = history_queries.SentPages(request.user, filters)
    limit = count_limit(request.GET.get("page"))
    counted = sent.count(limit)
    paginator = CountedPaginator(sent, HISTORY_PAGE_SIZE, count=counted)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    # Fifty rows and the drafts repeat days and minutes: each written once.
    dates = ManyDates()
    drafts = draft_list.described(history_queries.listed_drafts(request.user))
    return render(
        request,
        "notifications/history.html",
        {
            "form": form,
            "filter_fields": fields(),
            "page_obj": page,
            "sent_rows": SentRowWriter(dates).rows(page.object_list),
            # Counted to the limit: there are more than the cap (the count says how many
            # only up to it).
            "more_than": f"{HISTORY_COUNT_CAP:,}" if limit is not None and counted >= limit else "",
            "drafts": drafts,
            "draft_cards": draft_cards.cards(drafts, dates),
            "owed": history_queries.owed(request.user),
            "questions": history_queries.open_questions(request.user),
            "catalogue": CATALOGUE,
            "filtered": bool(query),
            "query_string": urlencode(query),
            "export_href": reverse("notifications:export")
            + (f"?{urlencode(query)}" if query else ""),
            "today": timezone.localdate(),
            "can_draft": not permissions.scope_for(request.user, permissions.DRAFT).is_empty,
        },
    )


@requires("notifications.view")
@require_safe
def location_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the history's location search (the autocomplete; the search works
    without it): the locations whose notifications this user may see that match `q`."""
    query = request.GET.get("q", "")
    if not isinstance(query, str) or not query.strip():
        return JsonResponse({"results": []})
    options = location_options(permissions.locations_in_scope(request.user))
    return JsonResponse({"results": search_results(options, query)})


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str | None) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: make them plain text."""
    text = "" if value is None else value
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# The export reads plain values, not model instances, in big chunks from a server-side
# cursor, and writes a thousand rows at a time: at national shape (a provider with tens of
# thousands of notifications) every microsecond per row counts. Only text that people or
# imports wrote can start a formula (names, email addresses, labels, register IDs); the rest
# is our own digits and words.
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
_EXPORT_HEADINGS = (
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
)
_EXPORT_ROWS_PER_CHUNK = 1000
_EXPORT_FETCH_SIZE = 5000


def _export_chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_EXPORT_HEADINGS)
    dates = ManyDates()
    type_names: dict[str, str] = {}
    chunk: list[tuple[Any, ...]] = []
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
    ) in rows:
        type_name = type_names.get(type_slug)
        if type_name is None:
            type_name = type_names[type_slug] = _safe_cell(CATALOGUE.name_of(type_slug))
        chunk.append(
            (
                reference_for(pk),
                type_name,
                version,
                _safe_cell(provider_id),
                _safe_cell(location_id),
                _safe_cell(location_name) if location_id else "Provider as a whole",
                dates.datetime(submitted_at),
                _safe_cell(submitted_by),
                STATUS_NAMES.get(status, status),
                dates.date(due_on),
                "Yes" if late else "No",
                _safe_cell(next_due_label),
                dates.date(next_due_on),
            )
        )
        if len(chunk) == _EXPORT_ROWS_PER_CHUNK:
            writer.writerows(chunk)
            chunk.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(chunk)
    yield buffer.getvalue()


@requires("notifications.view")
@require_safe
def export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _history_filters(request).filters
    rows = selectors.history(request.user, filters).values_list(*_EXPORT_COLUMNS)
    response = StreamingHttpResponse(
        _export_chunks(rows.iterator(chunk_size=_EXPORT_FETCH_SIZE)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="notifications-{timezone.localdate().isoformat()}.csv"'
    )
    return response
