"""The decision page of a case: what the staff member may do now, and doing it.

Seeing the page needs VIEW_CASES; each action also needs the permission its domain asks for
(the handler says which), and the domain's service checks it again under its row lock."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.access import requires
from portal.accounts.sessions import signed_in_user
from portal.casework import handlers
from portal.casework.links import link_to_subject
from portal.casework.models import Case
from portal.staff_permissions import StaffPermission, staff_permissions_of


def _case(case_id: int) -> Case:
    case = Case.objects.select_related("provider", "location", "team", "assignee")
    found = case.filter(pk=case_id).first()
    if found is None:
        raise Http404("No such case")
    return found


@requires(StaffPermission.VIEW_CASES.required)
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, case_id: int) -> HttpResponseBase:
    case = _case(case_id)
    staff = signed_in_user(request)
    handler = handlers.handler_for(case.kind)
    subject = handler.load(case.subject_id) if handler is not None else None
    chosen = request.POST.get("action", "") if request.method == "POST" else ""
    chosen = chosen or request.GET.get("action", "")
    outcome = handlers.Outcome()
    if request.method == "POST":
        outcome = handlers.decide(
            case=case, action=chosen, data=request.POST, staff=staff, request=request
        )
        if outcome.done:
            messages.success(request, outcome.message)
            return redirect("casework_decisions:decision", case_id=case.pk)
    offers = handlers.offers_for(case, staff, subject) if subject is not None else []
    current = next((offer for offer in offers if offer.action.name == chosen), None)
    if current is not None and outcome.form is not None:
        current.form = outcome.form
    return _page(request, case, handler, subject, offers, current, outcome)


def _page(
    request: HttpRequest,
    case: Case,
    handler: handlers.CaseHandler | None,
    subject: object,
    offers: list[handlers.Offer],
    current: handlers.Offer | None,
    outcome: handlers.Outcome,
) -> HttpResponse:
    # A refusal with no form to carry it (the action is not available now, or unknown).
    problem = str(outcome.error) if outcome.error is not None and outcome.form is None else ""
    return render(
        request,
        "casework/decision.html",
        {
            "case": case,
            "subject_found": subject is not None,
            # The item's own staff page, for those whose permission opens it (casework.links).
            "link": link_to_subject(case, staff_permissions_of(signed_in_user(request)))
            if subject is not None
            else None,
            "available": [offer for offer in offers if offer.available],
            "unavailable": [offer for offer in offers if not offer.available],
            "current": current if current is not None and current.available else None,
            "form": current.form if current is not None and current.available else None,
            "problem": problem,
            "handled": handler is not None,
        },
        status=409 if outcome.error is not None else (400 if outcome.form else 200),
    )
