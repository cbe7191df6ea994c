"""The registration assessor's pages: the list of applications (filtered, paginated), an
application's page (answers, parts, documents, timeline, deadlines) and one form for each
regulator action, each calling the applications services. Views are thin: the services
check the assessor permission, the lifecycle and every rule again."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires
from portal.applications import completeness, selectors, staff_forms, staff_reads
from portal.applications.definitions import CATALOGUE
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.forms import posted
from portal.applications.models import Application
from portal.applications.services import assessment, decisions, recorded_representations
from portal.applications.stages import FINISHED_STAGES, Stage
from portal.forms import engine
from portal.register.views import pagination
from portal.staff_permissions import StaffPermission, has_staff_permission

VIEW = StaffPermission.VIEW_APPLICATIONS.required
ASSESS = StaffPermission.ASSESS_APPLICATIONS.required
PAGE_SIZE = 50
APPOINTMENT_STAGES = frozenset({Stage.IN_ASSESSMENT, Stage.AWAITING_APPLICANT})

# A service call: (application, staff, the form's cleaned data, request).
Run = Callable[[Application, Any, dict[str, Any], HttpRequest], Any]


@dataclass(frozen=True)
class StaffAction:
    """One thing an assessor can do: its page, form, the lifecycle action it takes (None when
    it changes no stage) and the service it calls, given the form's `fields` by the same
    names (or `run` for a call that needs more than that)."""

    slug: str
    title: str
    button: str
    form: type[forms.Form]
    lifecycle_action: str | None
    service: Callable[..., Any]
    done: str
    warning: str = ""
    fields: tuple[str, ...] = ()
    run: Run | None = None

    def perform(
        self, application: Application, staff: Any, data: dict[str, Any], request: HttpRequest
    ) -> Any:
        if self.run is not None:
            return self.run(application, staff, data, request)
        answers = {name: data[name] for name in self.fields}
        return self.service(application_id=application.pk, staff=staff, request=request, **answers)


ACTIONS: dict[str, StaffAction] = {
    action.slug: action
    for action in (
        StaffAction(
            "assign-to-me",
            "Assess this application yourself",
            "Assign it to me",
            staff_forms.ConfirmForm,
            None,
            assessment.assign_assessor,
            "You are now assessing this application",
            run=lambda a, staff, data, r: assessment.assign_assessor(
                application_id=a.pk, staff=staff, assessor=staff, request=r
            ),
        ),
        StaffAction(
            "validate",
            "Validate the application",
            "Validate",
            staff_forms.ConfirmForm,
            "validate",
            assessment.validate,
            "Application validated: the assessment has started",
            "The applicant is told it is complete, and the 10-week decision clock starts.",
        ),
        StaffAction(
            "return",
            "Return the application",
            "Return the application",
            staff_forms.ReturnForm,
            "return",
            assessment.return_application,
            "Application returned to the applicant with your reasons",
            run=lambda a, staff, data, r: assessment.return_application(
                application_id=a.pk,
                staff=staff,
                reasons=data["reasons"],
                reopen_part_ids=data.get("reopen") or [],
                request=r,
            ),
        ),
        StaffAction(
            "request-information",
            "Ask the applicant for information",
            "Send the request",
            staff_forms.RequestInformationForm,
            "request_information",
            assessment.request_information,
            "Request sent: the clock is stopped until the applicant answers",
            fields=("body", "respond_by"),
        ),
        StaffAction(
            "record-appointment",
            "Record an interview or site visit",
            "Record it",
            staff_forms.AppointmentForm,
            None,
            assessment.record_appointment,
            "Recorded: the applicant can see it",
            fields=("kind", "on", "with_whom", "notes"),
        ),
        StaffAction(
            "grant",
            "Grant the application",
            "Grant and serve the notice of decision",
            staff_forms.GrantForm,
            "grant",
            decisions.grant,
            "Granted: the notice of decision is served",
            fields=("reasons", "agreed_conditions"),
        ),
        StaffAction(
            "serve-proposal",
            "Serve a notice of proposal",
            "Serve the notice of proposal",
            staff_forms.ProposalForm,
            "serve_proposal",
            decisions.serve_proposal,
            "Notice of proposal served: the applicant has 28 days for representations",
            "After this the applicant can no longer withdraw the application.",
            fields=("kind", "reasons", "conditions"),
        ),
        StaffAction(
            "record-representations",
            "Record representations received in writing",
            "Record the representations",
            staff_forms.RecordedRepresentationsForm,
            "make_representations",
            recorded_representations.record_representations,
            "Representations recorded: you can now decide",
            fields=("body",),
        ),
        StaffAction(
            "representations-window-passed",
            "Record that the 28 days passed without representations",
            "Record it",
            staff_forms.ConfirmForm,
            "representations_window_passed",
            decisions.representations_window_passed,
            "Recorded: you can now decide",
        ),
        StaffAction(
            "withdraw-proposal",
            "Withdraw the proposal",
            "Withdraw the proposal",
            staff_forms.WithdrawProposalForm,
            "withdraw_proposal",
            decisions.withdraw_proposal,
            "Proposal withdrawn: the assessment continues",
            fields=("reason",),
        ),
        StaffAction(
            "adopt-proposal",
            "Adopt the proposal",
            "Adopt and serve the notice of decision",
            staff_forms.AdoptProposalForm,
            "adopt_proposal",
            decisions.adopt_proposal,
            "Notice of decision served: 28 days to appeal",
            fields=("reasons",),
        ),
        StaffAction(
            "record-appeal",
            "Record an appeal to the tribunal",
            "Record the appeal",
            staff_forms.ConfirmForm,
            "record_appeal",
            decisions.record_appeal,
            "Appeal recorded: the decision waits for the tribunal",
        ),
        StaffAction(
            "appeal-outcome",
            "Record the tribunal's decision",
            "Record the decision",
            staff_forms.AppealOutcomeForm,
            "appeal_concluded",
            decisions.appeal_concluded,
            "The tribunal's decision is recorded",
            run=lambda a, staff, data, r: decisions.appeal_concluded(
                application_id=a.pk, staff=staff, allowed=data["allowed"] == "yes", request=r
            ),
        ),
        StaffAction(
            "take-effect",
            "Put the decision into effect on the register",
            "Change the register",
            staff_forms.ConfirmForm,
            "take_effect",
            decisions.take_effect,
            "The register now shows the decision",
            "The register changes at once; everyone affected gets or loses access.",
        ),
        StaffAction(
            "close-refused",
            "Close the refused application",
            "Close it",
            staff_forms.ConfirmForm,
            "close_refused",
            decisions.close_refused,
            "The refusal is final",
        ),
    )
}


def refusal_of(action: StaffAction, application: Application, user: Any) -> str | None:
    """Why `action` cannot be taken now (None: it can)."""
    if action.lifecycle_action is not None:
        return application.lifecycle.refusal(application, action.lifecycle_action, user)
    if action.slug == "record-appointment" and application.stage not in APPOINTMENT_STAGES:
        return "Interviews and site visits are recorded during the assessment."
    if action.slug == "assign-to-me":
        if application.stage in FINISHED_STAGES:
            return "This application is finished."
        if application.assessor_id == getattr(user, "pk", None):
            return "You are already assessing this application."
    return None


def _relevant(action: StaffAction, application: Application) -> bool:
    """Whether the action belongs to the application's stage (so a refusal is worth saying)."""
    if action.lifecycle_action is None:
        return True
    return application.stage in application.lifecycle.get(action.lifecycle_action).sources


def _application(application_id: Any) -> Application:
    application = staff_reads.sent_application(application_id)
    if application is None:
        raise Http404("No such application")
    return application


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a small positive number is the first page
    (Paginator.get_page then keeps it within the pages there are)."""
    text = request.GET.get("page", "")
    return int(text) if text.isdigit() and len(text) < 7 else 1


@requires(VIEW)
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    form = staff_forms.ListFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "stage": data["stage"],
            "type_slug": data["type"],
            "search": data["q"],
            "assessor": request.user if data["mine"] else None,
        }
    page = selectors.assessor_list(**filters, page=_page_number(request), per_page=PAGE_SIZE)
    return render(
        request,
        "applications/staff/list.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination(request, page),
            "type_name": CATALOGUE.name_of,
            "today": timezone.localdate(),
            "filtered": bool(
                form.is_bound and any(form.data.get(k) for k in ("q", "stage", "type", "mine"))
            ),
        },
    )


@requires(VIEW)
@require_safe
def application_detail(request: HttpRequest, application_id: Any) -> HttpResponse:
    application = _application(application_id)
    definition = completeness.definition_of(application)
    available, refused = [], []
    for action in ACTIONS.values():
        reason = refusal_of(action, application, request.user)
        if reason is None:
            available.append(action)
        elif _relevant(action, application):
            refused.append((action, reason))
    # Clean files link to their download; others say where their virus check is.
    context = completeness.engine_context(application, links=True)
    lists = staff_reads.staff_lists(application)
    return render(
        request,
        "applications/staff/detail.html",
        {
            "application": application,
            "definition": definition,
            "waiting_for": selectors.staff_waiting_for(application),
            "sections": engine.summary(definition, application.answers, context),
            "parts": lists.parts,
            "documents": [
                (document, context.files_for(application.answers.get(document.question_key)))
                for document in completeness.documents_needed(application)
            ],
            "timeline": lists.timeline,
            "thread": lists.thread,
            "appointments": lists.appointments,
            "notices": lists.notices,
            "declarations": lists.declarations,
            "available": available if _may_assess(request) else [],
            "refused": refused if _may_assess(request) else [],
        },
    )


def _may_assess(request: HttpRequest) -> bool:
    return has_staff_permission(request.user, StaffPermission.ASSESS_APPLICATIONS)


@requires(ASSESS)
@require_http_methods(["GET", "POST"])
def application_action(
    request: HttpRequest, application_id: Any, action_slug: str
) -> HttpResponseBase:
    action = ACTIONS.get(action_slug)
    if action is None:
        raise Http404("No such action")
    application = _application(application_id)
    detail_url = reverse("applications_staff:detail", args=[application.pk])
    kwargs: dict[str, Any] = (
        {"application": application} if action.form is staff_forms.ReturnForm else {}
    )
    form = action.form(posted(request), **kwargs)
    refusal = refusal_of(action, application, request.user)
    overtaken = False
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            action.perform(application, request.user, form.cleaned_data, request)
        except ApplicationError as refused:
            # Another assessor may have acted in between: the lifecycle, read under the
            # row lock, has the last word.
            overtaken = refused.code == ApplicationErrorCode.REFUSED_BY_LIFECYCLE
            refused.show_on(form)
        else:
            messages.success(request, action.done)
            return redirect(detail_url)
    return render(
        request,
        "applications/staff/action.html",
        {
            "application": application,
            "action": action,
            "form": form,
            "refusal": refusal,
            "detail_url": detail_url,
            "type_name": CATALOGUE.name_of(application.type_slug),
        },
        status=409 if overtaken or (refusal and request.method == "POST") else 200,
    )
