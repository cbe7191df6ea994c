"""A named manager's or partner's own part: opened from the invitation email with their
own account, completed page by page, signed. Anyone else is refused, and told why."""

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal.access import requires
from portal.applications import selectors
from portal.applications.errors import ApplicationError
from portal.applications.forms import PartDeclarationForm, posted
from portal.applications.models import ApplicationPart
from portal.applications.permissions import USE
from portal.applications.services import parts
from portal.forms import engine
from portal.forms.flow import DraftPage, FlowUrls, PageFlow
from portal.forms.models import DraftStatus

PART_FLOW = PageFlow(
    urls=FlowUrls(
        draft="applications:part",
        page="applications:part_page",
        check="applications:part_sign",
        stop="applications:part_page",
        home="applications:list",
    ),
    task_list_min_pages=1,
)


def _refused(request: HttpRequest, part: ApplicationPart, reason: str) -> HttpResponse:
    return render(
        request, "applications/part_refused.html", {"part": part, "reason": reason}, status=403
    )


def _about(part: ApplicationPart) -> dict[str, Any]:
    """What every page of a part shows: whose part it is, of which application, signed yet."""
    return {
        "part": part,
        "application": part.application,
        "signed": part.status == DraftStatus.SUBMITTED,
    }


def _taking_part(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The view is given the part (not its ID) once the signed-in person has taken it: it
    becomes theirs. Anyone else gets a page that says why it is not theirs."""

    @wraps(view)
    def taken(request: HttpRequest, part_id: Any, **url: Any) -> HttpResponseBase:
        part = selectors.part_for(request.user, part_id)
        try:
            theirs = parts.take_part(part_id=part.pk, user=request.user, request=request)
        except ApplicationError as refused:
            return _refused(request, part, refused.message)
        return view(request, theirs, **url)

    return taken


@requires(USE)
@require_http_methods(["GET", "POST"])
@_taking_part
def part_overview(request: HttpRequest, part: ApplicationPart) -> HttpResponseBase:
    definition = parts.part_definition(part)
    return render(
        request,
        "applications/part.html",
        {
            **PART_FLOW.progress(definition, part, engine.EngineContext()),
            **_about(part),
            "role": parts.ROLE_NAMES.get(part.kind, part.kind),  # type: ignore[call-overload]
        },
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
@_taking_part
def part_page(request: HttpRequest, part: ApplicationPart, page_key: str) -> HttpResponseBase:
    if part.status != DraftStatus.OPEN:
        return redirect("applications:part", part_id=part.pk)
    definition = parts.part_definition(part)
    return PART_FLOW.page_view(
        request,
        DraftPage(
            definition=definition,
            page=PART_FLOW.page_or_404(request, definition, page_key),
            draft=part,
            context=engine.EngineContext(),
            save=partial(parts.save_part_page, part_id=part.pk, user=request.user, request=request),
        ),
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
@_taking_part
def part_sign(request: HttpRequest, part: ApplicationPart) -> HttpResponseBase:
    form = PartDeclarationForm(posted(request))
    error = ""
    if request.method == "POST":
        try:
            parts.sign_part(
                part_id=part.pk,
                user=request.user,
                declaration_confirmed=form.is_valid(),
                request=request,
            )
        except ApplicationError as refused:
            if refused.field != "confirm":
                error = refused.message
        else:
            messages.success(request, "You have signed your part. We have told the applicant.")
            return redirect("applications:part", part_id=part.pk)
    definition = parts.part_definition(part)
    return render(
        request,
        "applications/part_sign.html",
        {
            **_about(part),
            "definition": definition,
            "sections": engine.summary(definition, part.answers, engine.EngineContext()),
            "problems": parts.part_problems(part),
            "form": form,
            "problem": error,
        },
    )
