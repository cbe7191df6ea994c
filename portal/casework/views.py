"""The back office's queue of cases, under /regulator/cases/: my cases, my teams', unassigned
and all, with filters and pages; "get next"; and each case's page (summary, link to its item,
assignment, internal notes, history). Seeing needs the staff permission `view_cases`;
reassigning many cases at once `assign_cases` (team leaders)."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from portal.access import requires
from portal.accounts.sessions import signed_in_user
from portal.casework import selectors, services
from portal.casework.errors import BULK_MAX
from portal.casework.forms import BulkReassignForm, ColleagueForm, NoteForm, QueueFilterForm
from portal.casework.links import link_to_subject
from portal.casework.models import Case, CaseStatus
from portal.casework.queue_rows import QueueRowWriter
from portal.casework.selectors import QUEUE_NAMES, Queue
from portal.errors import ServiceError
from portal.frontend.queue_filters import queue_filter
from portal.staff_permissions import StaffPermission, has_staff_permission, staff_permissions_of

PAGE_SIZE = 50
VIEW = StaffPermission.VIEW_CASES.required
ASSIGN = StaffPermission.ASSIGN_CASES.required
_QUEUE_URLS = {
    Queue.MINE: "casework:mine",
    Queue.TEAM: "casework:team",
    Queue.UNASSIGNED: "casework:unassigned",
    Queue.ALL: "casework:all",
}


def _queue_page(
    request: HttpRequest, queue: Queue, *, bulk_form: BulkReassignForm | None = None
) -> HttpResponse:
    user = signed_in_user(request)
    chosen = queue_filter(QueueFilterForm, request, selectors.OPEN)
    form = chosen.form
    filters = form.filters() if form.is_valid() else selectors.QueueFilters()
    page = selectors.queue_page(
        queue,
        user,
        filters,
        after=request.GET.get("after", "")[:80],
        before=request.GET.get("before", "")[:80],
        size=PAGE_SIZE,
    )
    may_assign = has_staff_permission(user, StaffPermission.ASSIGN_CASES)
    colleagues = selectors.colleague_choices() if may_assign else []
    today = timezone.localdate()
    return render(
        request,
        "casework/queue.html",
        {
            "queue": queue,
            "queue_name": QUEUE_NAMES[queue],
            "queues": [(q, QUEUE_NAMES[q], reverse(_QUEUE_URLS[q])) for q in Queue],
            "form": form,
            "page": page,
            "rows": QueueRowWriter(today=today, may_assign=may_assign).rows(page.items),
            "query_string": chosen.query_string,
            "filtered": chosen.filtered,
            "may_assign": may_assign,
            "bulk_form": bulk_form or BulkReassignForm(colleagues=colleagues, case_ids=[]),
            "bulk_max": BULK_MAX,
            "here": request.get_full_path(),
        },
    )


@requires(VIEW)
@require_safe
def queue_view(request: HttpRequest, queue: str) -> HttpResponse:
    return _queue_page(request, Queue(queue))


def _case(case_id: int) -> Case:
    try:
        return selectors.case_for_staff(case_id)
    except Case.DoesNotExist as missing:
        raise Http404("No such case") from missing


def _case_page(request: HttpRequest, case_id: int, **extra: Any) -> HttpResponse:
    case = _case(case_id)
    user = signed_in_user(request)
    context: dict[str, Any] = {
        "case": case,
        "link": link_to_subject(case, staff_permissions_of(user)),
        "notes": selectors.notes(case),
        "history": selectors.history(case),
        "note_form": NoteForm(),
        "give_form": ColleagueForm(colleagues=selectors.colleague_choices(case.kind)),
        "is_mine": case.assignee_id == user.pk,
        "may_assign": has_staff_permission(user, StaffPermission.ASSIGN_CASES),
        "is_closed": case.status == CaseStatus.CLOSED,
        "today": timezone.localdate(),
        "problem": "",
        "problem_target": "assignment",
    }
    context.update(extra)
    status = 400 if context["problem"] or extra.get("form_errors") else 200
    return render(request, "casework/case.html", context, status=status)


@requires(VIEW)
@require_safe
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, case_id)


def _run(
    request: HttpRequest, case_id: int, action: Any, success: str, **kwargs: Any
) -> HttpResponseBase:
    try:
        action(case_id=case_id, staff=signed_in_user(request), request=request, **kwargs)
    except ServiceError as error:
        if error.code == "casework.not_found":
            raise Http404("No such case") from error
        return _case_page(request, case_id, problem=str(error))
    messages.success(request, success)
    return redirect("casework:case", case_id=case_id)


@requires(VIEW)
@require_POST
def take(request: HttpRequest, case_id: int) -> HttpResponseBase:
    return _run(request, case_id, services.take, "You have taken this case.")


@requires(VIEW)
@require_POST
def release(request: HttpRequest, case_id: int) -> HttpResponseBase:
    return _run(request, case_id, services.release, "The case is back in the unassigned queue.")


@requires(VIEW)
@require_POST
def give(request: HttpRequest, case_id: int) -> HttpResponseBase:
    form = ColleagueForm(request.POST, colleagues=selectors.colleague_choices())
    if not form.is_valid():
        return _case_page(request, case_id, give_form=form, form_errors=True)
    return _run(
        request,
        case_id,
        services.give_to,
        "The case has been given to your colleague.",
        colleague_id=form.cleaned_data["colleague"],
    )


@requires(VIEW)
@require_POST
def add_note(request: HttpRequest, case_id: int) -> HttpResponseBase:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case_id, note_form=form, form_errors=True)
    return _run(
        request,
        case_id,
        services.add_internal_note,
        "Your note has been added.",
        body=form.cleaned_data["body"],
        submission_key=form.cleaned_data["submission_key"],
    )


@requires(VIEW)
@require_POST
def get_next(request: HttpRequest) -> HttpResponseBase:
    case = services.get_next(staff=signed_in_user(request), request=request)
    if case is None:
        messages.info(request, "There are no unassigned cases waiting in your teams.")
        return redirect("casework:mine")
    messages.success(request, f"You have taken {case.reference}: {case.title}.")
    return redirect("casework:case", case_id=case.pk)


@requires(ASSIGN)
@require_POST
def reassign(request: HttpRequest) -> HttpResponseBase:
    posted = [value for value in request.POST.getlist("cases") if value.isdigit()]
    form = BulkReassignForm(
        request.POST,
        colleagues=selectors.colleague_choices(),
        case_ids=[int(value) for value in posted[: BULK_MAX + 1]],
    )
    back = request.POST.get("queue", Queue.ALL)
    queue = Queue(back) if back in Queue.__members__.values() else Queue.ALL
    if not form.is_valid():
        return _queue_page(request, queue, bulk_form=form)
    try:
        moved = services.reassign_in_bulk(
            case_ids=form.cleaned_data["cases"],
            staff=signed_in_user(request),
            colleague_id=form.cleaned_data["colleague"],
            request=request,
        )
    except ServiceError as error:
        form.add_error(None, str(error))
        return _queue_page(request, queue, bulk_form=form)
    count = len(moved)
    messages.success(request, f"{count} case{'' if count == 1 else 's'} reassigned.")
    return redirect(_QUEUE_URLS[queue])
