"""Applicant pages: your applications, starting one, its questions (task list, pages, check
your answers with the completeness check), the people it names, signing and sending.

Views are thin: scope comes from selectors (404 outside it), writes from services, pages
from the form engine and its page flow.
"""

from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires
from portal.applications import completeness, permissions, selectors, staff_reads
from portal.applications.applicant_views import status_page, text_sent
from portal.applications.definitions import CATALOGUE
from portal.applications.definitions.schema import Applicant, ApplicationType, Subject
from portal.applications.errors import ApplicationError
from portal.applications.forms import (
    ChooseLocationForm,
    ChooseProviderForm,
    ChooseTypeForm,
    DeclarationForm,
    SendBackForm,
    posted,
)
from portal.applications.permissions import USE
from portal.applications.services import drafts, files, parts, submission
from portal.forms import engine
from portal.forms.flow import DraftPage, FlowUrls, PageFlow
from portal.forms.models import DraftStatus
from portal.register.models import Location, Provider

FLOW = PageFlow(
    urls=FlowUrls(
        draft="applications:detail",
        page="applications:page",
        check="applications:check",
        stop="applications:page",
        home="applications:list",
        upload_page="applications_uploads:page",
    ),
    task_list_min_pages=1,
)


def _definition(slug: str) -> ApplicationType:
    definition = CATALOGUE.current(slug)
    if definition is None:
        raise Http404("No such application type")
    return definition


# ---------------------------------------------------------------------------------------
# Your applications
# ---------------------------------------------------------------------------------------


@requires(USE)
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    in_progress, finished = selectors.your_applications(request.user)
    return render(
        request,
        "applications/list.html",
        {
            "in_progress": in_progress,
            "finished": finished,
            "my_parts": selectors.parts_for(request.user),
            "standing": selectors.standing,
            "type_name": CATALOGUE.name_of,
        },
    )


def available_types(user: Any) -> list[ApplicationType]:
    """What this person can apply for: anyone can apply to register a new provider; the
    rest need a provider they manage registration for, or a location they manage."""
    providers = permissions.providers_user_can_apply_for(user)
    offered = {
        Applicant.PROSPECTIVE_PROVIDER: True,
        Applicant.PROVIDER: bool(providers),
        Applicant.REGISTERED_MANAGER: permissions.manages_any_location(user),
    }
    return [d for d in CATALOGUE.current_types() if offered[d.applicant]]


@requires(USE)
@require_http_methods(["GET", "POST"])
def choose_type(request: HttpRequest) -> HttpResponseBase:
    types = available_types(request.user)
    form = ChooseTypeForm(posted(request), among=types)
    if request.method == "POST" and form.is_valid():
        return redirect("applications:start", slug=form.cleaned_data["application_type"])
    return render(request, "applications/choose_type.html", {"form": form, "types": types})


def _start_choices(
    request: HttpRequest, definition: ApplicationType
) -> tuple[list[Provider], Provider | None, list[Location]]:
    """The providers to choose from, the one chosen (from ?provider=) and its locations."""
    user = request.user
    if definition.applicant == Applicant.PROSPECTIVE_PROVIDER:
        return [], None, []
    if definition.applicant == Applicant.REGISTERED_MANAGER:
        managed = permissions.managed_locations(user)
        providers = sorted({loc.provider for loc in managed}, key=lambda p: p.name)
    else:
        providers = permissions.providers_user_can_apply_for(user)
    wanted = request.GET.get("provider") or request.POST.get("provider")
    chosen = next((p for p in providers if p.pk == wanted), None)
    if chosen is None and len(providers) == 1:
        chosen = providers[0]
    if chosen is None or definition.subject not in (Subject.LOCATION, Subject.OWN_MANAGER_ROLE):
        return providers, chosen, []
    if definition.applicant == Applicant.REGISTERED_MANAGER:
        locations = [
            loc for loc in permissions.managed_locations(user) if loc.provider_id == chosen.pk
        ]
    else:
        locations = permissions.locations_user_can_apply_for(user, chosen, definition)
    return providers, chosen, locations


@requires(USE)
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponseBase:
    definition = _definition(slug)
    if definition not in available_types(request.user):
        raise Http404("Not available")
    providers, provider, locations = _start_choices(request, definition)
    provider_form = None
    location_form = None
    needs_provider = definition.subject != Subject.NEW_PROVIDER and provider is None
    if needs_provider:
        provider_form = ChooseProviderForm(posted(request), among=providers)
        if request.method == "POST" and provider_form.is_valid():
            query = urlencode({"provider": provider_form.cleaned_data["provider"]})
            return redirect(reverse("applications:start", args=[slug]) + f"?{query}")
    elif locations:
        location_form = ChooseLocationForm(
            posted(request),
            among=locations,
        )
    error = ""
    if request.method == "POST" and not needs_provider:
        location = None
        if location_form is not None:
            if not location_form.is_valid():
                return _start_page(
                    request, definition, provider, provider_form, location_form, error
                )
            location = next(
                loc for loc in locations if loc.pk == location_form.cleaned_data["location"]
            )
        try:
            application = drafts.start_application(
                user=request.user,
                definition=definition,
                provider=provider,
                location=location,
                request=request,
            )
        except ApplicationError as refused:
            error = refused.message
        else:
            return redirect("applications:detail", application_id=application.pk)
    return _start_page(request, definition, provider, provider_form, location_form, error)


def _start_page(
    request: HttpRequest,
    definition: ApplicationType,
    provider: Provider | None,
    provider_form: Any,
    location_form: Any,
    error: str,
) -> HttpResponse:
    return render(
        request,
        "applications/start.html",
        {
            "definition": definition,
            "provider": provider,
            "provider_form": provider_form,
            "location_form": location_form,
            "problem": error,
            "documents": [d for d in definition.documents if not d.for_service_types],
        },
    )


# ---------------------------------------------------------------------------------------
# The application: task list while it can be changed, its status page after
# ---------------------------------------------------------------------------------------


@requires(USE)
@require_safe
def detail(request: HttpRequest, application_id: Any) -> HttpResponseBase:
    application = selectors.application_for(request.user, application_id)
    definition = completeness.definition_of(application)
    can_prepare = permissions.can_prepare(request.user, application, definition)
    if application.is_editable and can_prepare:
        context = completeness.engine_context(application)
        return render(
            request,
            "applications/task_list.html",
            {
                **FLOW.progress(definition, application, context),
                "application": application,
                "has_parts": bool(definition.parts),
                "returned_reasons": staff_reads.returned_reasons(application),
            },
        )
    return status_page(request, application, definition, can_prepare=can_prepare)


@requires(USE)
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, application_id: Any, page_key: str) -> HttpResponseBase:
    application, definition = selectors.application_to_prepare(request.user, application_id)
    if not application.is_editable:
        return redirect("applications:detail", application_id=application.pk)
    return FLOW.page_view(
        request,
        DraftPage(
            definition=definition,
            page=FLOW.page_or_404(request, definition, page_key),
            draft=application,
            context=completeness.engine_context(application),
            save=partial(
                drafts.save_page, application_id=application.pk, user=request.user, request=request
            ),
            attachments=files.application_attachments(
                application_id=application.pk, user=request.user, request=request
            ),
            refresh=partial(completeness.engine_context, application),
        ),
        extra={"application": application},
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, application_id: Any) -> HttpResponseBase:
    submit_error = ""
    form = DeclarationForm(posted(request))
    if request.method == "POST":
        try:
            application = submission.sign_and_submit(
                application_id=application_id,
                user=request.user,
                declaration_confirmed=form.is_valid(),
                request=request,
            )
        except ApplicationError as refused:
            if refused.field != "confirm":
                submit_error = refused.message
            if refused.code == "applications.not_found":
                raise Http404("No such application") from refused
        else:
            return redirect("applications:sent", application_id=application.pk)
    application, definition = selectors.application_to_prepare(request.user, application_id)
    if not application.is_editable:
        return redirect("applications:detail", application_id=application.pk)
    context = completeness.engine_context(application)
    problems = completeness.problems_of(application, context=context)
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "definition": definition,
            "sections": engine.summary(definition, application.answers, context),
            "blocking": [p for p in problems if p.blocking],
            "notes": [p for p in problems if not p.blocking],
            "form": form,
            "problem": submit_error,
            "problem_target": "submit",
            "signing_refusal": permissions.signing_refusal(request.user, application, definition),
        },
    )


@requires(USE)
@require_safe
def sent(request: HttpRequest, application_id: Any) -> HttpResponse:
    application = selectors.application_for(request.user, application_id)
    return render(
        request,
        "applications/sent.html",
        {
            "application": application,
            "definition": completeness.definition_of(application),
            "standing": selectors.standing(application),
        },
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, application_id: Any) -> HttpResponseBase:
    application, definition = selectors.application_to_prepare(request.user, application_id)
    if application.stage != "draft":
        raise Http404("Only a draft can be deleted")
    if request.method == "POST":
        drafts.discard_application(
            application_id=application.pk, user=request.user, request=request
        )
        messages.success(request, "The draft application has been deleted.")
        return redirect("applications:list")
    return FLOW.discard_page(request, application, definition, what="draft application")


# ---------------------------------------------------------------------------------------
# The people it names: invitations and their parts
# ---------------------------------------------------------------------------------------


@requires(USE)
@require_http_methods(["GET", "POST"])
def application_parts(request: HttpRequest, application_id: Any) -> HttpResponseBase:
    application, definition = selectors.application_to_prepare(request.user, application_id)
    error = ""
    if request.method == "POST":
        try:
            invited = parts.invite_parts(
                application_id=application.pk, user=request.user, request=request
            )
        except ApplicationError as refused:
            error = refused.message
        else:
            if invited:
                messages.success(
                    request,
                    "We have emailed "
                    + ", ".join(f"{p.name} ({p.email})" for p in invited)
                    + " asking them to complete and sign their part.",
                )
            return redirect("applications:parts", application_id=application.pk)
    named = completeness.named_people(definition, application.answers)
    live = {
        (p.kind, p.slot): p
        for p in application.parts.exclude(status=DraftStatus.DISCARDED).order_by("kind", "slot")
    }
    rows: list[dict[str, Any]] = [
        {"kind": kind, "slot": slot, "name": name, "email": email, "part": live.get((kind, slot))}
        for kind, slot, name, email in named
    ]
    return render(
        request,
        "applications/parts.html",
        {
            "application": application,
            "definition": definition,
            "rows": rows,
            "problem": error,
            "to_invite": [r for r in rows if r["part"] is None or r["part"].email != r["email"]],
        },
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def send_back(request: HttpRequest, application_id: Any, part_id: Any) -> HttpResponseBase:
    application, definition = selectors.application_to_prepare(request.user, application_id)
    part = application.parts.filter(pk=part_id, status=DraftStatus.SUBMITTED).first()
    if part is None:
        raise Http404("No such signed part")
    form = SendBackForm(posted(request))
    sent_back = text_sent(
        request,
        form,
        "reason",
        lambda reason: parts.send_back_part(
            application_id=application.pk,
            part_id=part.pk,
            user=request.user,
            reason=reason,
            request=request,
        ),
    )
    if sent_back:
        messages.success(request, f"{part.name}'s part has been sent back to them.")
        return redirect("applications:parts", application_id=application.pk)
    return render(
        request,
        "applications/send_back.html",
        {"application": application, "definition": definition, "part": part, "form": form},
    )
