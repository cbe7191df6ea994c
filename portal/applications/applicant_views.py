"""After sending: the application's page (stage, what we wait for, expected decision date,
timeline, thread, notices), answering requests for information, representations about a
notice of proposal, withdrawing, and the notices themselves (page and PDF)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires
from portal.applications import completeness, selectors, staff_reads
from portal.applications.definitions.schema import ApplicationType
from portal.applications.errors import ApplicationError
from portal.applications.forms import ReplyForm, RepresentationsForm, WithdrawForm, posted
from portal.applications.models import Application, MessageKind
from portal.applications.permissions import USE
from portal.applications.services import submission
from portal.applications.stages import STEP_NAMES, Stage
from portal.casework.provider_stage import stage_for_subject
from portal.forms import engine
from portal.frontend.pdf import pdf_response_headers


def status_page(
    request: HttpRequest,
    application: Application,
    definition: ApplicationType,
    *,
    can_prepare: bool,
) -> HttpResponse:
    context = completeness.engine_context(application)
    lists = staff_reads.status_lists(application)
    thread = lists.thread
    open_requests = [
        m for m in thread if m.kind == MessageKind.INFORMATION_REQUEST and not m.answered
    ]
    lifecycle = application.lifecycle
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "definition": definition,
            "standing": selectors.standing(application),
            "provider_case": stage_for_subject(application),
            "sections": engine.summary(definition, application.answers, context),
            "timeline": lists.timeline,
            "step_names": STEP_NAMES,
            "thread": thread,
            "open_requests": open_requests if can_prepare else [],
            "appointments": lists.appointments,
            "notices": lists.notices,
            "declarations": lists.declarations,
            "can_reply": can_prepare,
            "can_withdraw": can_prepare
            and application.stage not in (Stage.WITHDRAWN, Stage.EFFECTIVE, Stage.REFUSED),
            "withdraw_refusal": lifecycle.refusal(application, "withdraw", request.user),
            "representations_open": can_prepare
            and lifecycle.allows(application, "make_representations", request.user),
        },
    )


def text_sent(request: HttpRequest, form: Form, field: str, send: Callable[[str], object]) -> bool:
    """A valid POST of `form` hands its `field` text to `send` (a service); a refusal is
    shown at that field. True once sent."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        send(form.cleaned_data[field])
    except ApplicationError as refused:
        form.add_error(field, refused.message)
        return False
    return True


@requires(USE)
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, application_id: Any, request_id: int) -> HttpResponseBase:
    application, _ = selectors.application_to_prepare(request.user, application_id)
    question = application.messages.filter(
        pk=request_id, kind=MessageKind.INFORMATION_REQUEST
    ).first()
    if question is None:
        raise Http404("No such request")
    if question.answered:
        messages.info(request, "That request has already been answered.")
        return redirect("applications:detail", application_id=application.pk)
    form = ReplyForm(posted(request))
    answered = text_sent(
        request,
        form,
        "body",
        lambda body: submission.respond_to_request(
            application_id=application.pk,
            request_id=question.pk,
            user=request.user,
            body=body,
            request=request,
        ),
    )
    if answered:
        messages.success(request, "Your answer has been sent.")
        return redirect("applications:detail", application_id=application.pk)
    return render(
        request,
        "applications/respond.html",
        {"application": application, "question": question, "form": form},
    )


def _applicant_step(
    request: HttpRequest,
    application_id: Any,
    *,
    action: str,
    form_class: type[Form],
    template: str,
    carry_out: Callable[[Application, dict[str, Any]], str],
    shown: Callable[[Application], dict[str, Any]] = lambda application: {},
) -> HttpResponseBase:
    """A lifecycle step the applicant takes on a form: refused (with the reason shown) when
    the lifecycle does not allow it; `carry_out` calls the service and says what was done."""
    application, _ = selectors.application_to_prepare(request.user, application_id)
    refusal = application.lifecycle.refusal(application, action, request.user)
    form = form_class(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            done = carry_out(application, form.cleaned_data)
        except ApplicationError as refused:
            refusal = refused.message
        else:
            messages.success(request, done)
            return redirect("applications:detail", application_id=application.pk)
    return render(
        request,
        template,
        {"application": application, "form": form, "refusal": refusal, **shown(application)},
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def representations(request: HttpRequest, application_id: Any) -> HttpResponseBase:
    def carry_out(application: Application, data: dict[str, Any]) -> str:
        if data["choice"] == "none":
            submission.declare_no_representations(
                application_id=application.pk, user=request.user, request=request
            )
            return "You have told us you will not make representations."
        submission.make_representations(
            application_id=application.pk, user=request.user, body=data["body"], request=request
        )
        return "Your representations have been sent."

    return _applicant_step(
        request,
        application_id,
        action="make_representations",
        form_class=RepresentationsForm,
        template="applications/representations.html",
        carry_out=carry_out,
        shown=lambda application: {
            "proposal": application.notices.filter(kind="proposal").defer("pdf").last()
        },
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, application_id: Any) -> HttpResponseBase:
    def carry_out(application: Application, data: dict[str, Any]) -> str:
        submission.withdraw(
            application_id=application.pk, user=request.user, reason=data["reason"], request=request
        )
        return "The application has been withdrawn."

    return _applicant_step(
        request,
        application_id,
        action="withdraw",
        form_class=WithdrawForm,
        template="applications/withdraw.html",
        carry_out=carry_out,
    )


def _notice(request: HttpRequest, application_id: Any, notice_id: int) -> Any:
    application = selectors.application_for(request.user, application_id)
    notice = application.notices.filter(pk=notice_id).first()
    if notice is None:
        raise Http404("No such notice")
    return application, notice


@requires(USE)
@require_safe
def notice(request: HttpRequest, application_id: Any, notice_id: int) -> HttpResponse:
    application, found = _notice(request, application_id, notice_id)
    return render(
        request,
        "applications/notice.html",
        {"application": application, "notice": found.content, "record": found},
    )


@requires(USE)
@require_safe
def notice_pdf(request: HttpRequest, application_id: Any, notice_id: int) -> HttpResponse:
    application, found = _notice(request, application_id, notice_id)
    name = f"{application.reference}-{found.kind}-{found.pk}.pdf"
    return HttpResponse(bytes(found.pdf), headers=pdf_response_headers(name))
