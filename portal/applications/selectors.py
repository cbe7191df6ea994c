"""Reading applications, always scoped by who is asking. Outside someone's scope an
application does not exist for them (Http404)."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from portal.applications import list_reads, permissions
from portal.applications.completeness import definition_of
from portal.applications.definitions.schema import ApplicationType
from portal.applications.models import Application, ApplicationPart
from portal.applications.stages import (
    FINISHED_STAGES,
    Stage,
)
from portal.compiled_queries import CompiledObjects
from portal.forms.models import DraftStatus
from portal.frontend.formats import govuk_date
from portal.workflow.calendar import add_working_days

# Every application page reads its application: compiled once (no application has these).
_APPLICATION = CompiledObjects.by_key(
    Application.objects.select_related(
        "provider", "location", "created_by", "last_edited_by", "submitted_by"
    ),
    (UUID(int=1), UUID(int=2)),
)


def application_for(user: Any, application_id: Any) -> Application:
    try:
        application: Application | None = _APPLICATION.one(application_id)
    except ValueError as missing:
        raise Http404("No such application") from missing
    if application is None:
        raise Http404("No such application")
    if application.stage == Stage.DISCARDED or not permissions.can_view(user, application):
        raise Http404("No such application")
    return application


def application_to_prepare(user: Any, application_id: Any) -> tuple[Application, ApplicationType]:
    """An application `user` may prepare (answer, send, reply for, withdraw), and its
    definition: Http404 for anyone who may only see it, as for anyone else."""
    application = application_for(user, application_id)
    definition = definition_of(application)
    if not permissions.can_prepare(user, application, definition):
        raise Http404("No such application")
    return application, definition


def visible_to(user: Any) -> QuerySet[Application]:
    """Applications the user may see: their own, and their providers' (where they may view
    submissions, at the locations where they may)."""
    # The providers held whole as one condition, not one each: someone acting for 14
    # providers made a statement of 15 alternatives, slow to build on every list.
    partial, whole = list_reads.scope_of(user)
    condition = list_reads.visible_condition(user.pk, partial, whole)
    return Application.objects.filter(condition).exclude(stage=Stage.DISCARDED)


def your_applications(user: Any) -> tuple[list[Application], list[Application]]:
    """(in progress, finished), most recently changed first: visible_to's latest 200, read
    through SQL compiled once (list_reads)."""
    rows = list_reads.listed_applications(user)
    open_rows = [row for row in rows if row.stage not in FINISHED_STAGES]
    done = [row for row in rows if row.stage in FINISHED_STAGES]
    return open_rows, done


def parts_for(user: Any) -> list[ApplicationPart]:
    """Parts the user was invited to complete (by their account's address)."""
    return list_reads.invited_parts(user)


def part_for(user: Any, part_id: Any) -> ApplicationPart:
    """A part, for the person invited to it (or the application's own people, read-only)."""
    try:
        part = ApplicationPart.objects.select_related("application", "holder").get(pk=part_id)
    except (ApplicationPart.DoesNotExist, ValueError) as missing:
        raise Http404("No such part") from missing
    if part.status == DraftStatus.DISCARDED:
        raise Http404("No such part")
    return part


@dataclass(frozen=True)
class Standing:
    """Where an application stands, as the applicant sees it."""

    stage: str
    waiting_on: str  # "you", "us" or ""
    waiting_for: str
    expected_decision: str


def standing(application: Application) -> Standing:
    stage = str(application.get_stage_display())
    status = application.stage
    if status in (Stage.DRAFT, Stage.RETURNED):
        what = (
            "You to finish and send the application"
            if status == Stage.DRAFT
            else "You to correct the application and send it again"
        )
        return Standing(
            stage,
            "you",
            what,
            "When you send it, we aim to decide within 10 weeks of validating it",
        )
    if status == Stage.SUBMITTED:
        due = application.validation_due_on
        estimate = add_working_days(due, 50) if due else None
        return Standing(
            stage,
            "us",
            f"Us to check it is complete (by {govuk_date(due)})" if due else "Us to check it",
            f"Around {govuk_date(estimate)} (10 weeks after validation)" if estimate else "",
        )
    if status == Stage.IN_ASSESSMENT:
        due = application.decision_due_on
        return Standing(stage, "us", "Us to assess it", govuk_date(due) if due else "")
    if status == Stage.AWAITING_APPLICANT:
        return Standing(
            stage,
            "you",
            "You to answer our request for information",
            "The clock is stopped until you answer: the date moves on by the days we wait",
        )
    if status == Stage.PROPOSAL_SERVED:
        due = application.representations_due_on
        return Standing(
            stage,
            "you",
            f"Your representations, or to tell us you will make none, by {govuk_date(due)}"
            if due
            else "Your representations",
            f"After {govuk_date(due)} at the latest" if due else "",
        )
    if status == Stage.CONSIDERING_REPRESENTATIONS:
        return Standing(
            stage, "us", "Us to decide whether to adopt or withdraw our proposal", "Soon"
        )
    if status in (Stage.DECIDED, Stage.UNDER_APPEAL):
        ends = application.appeal_ends_on
        if status == Stage.UNDER_APPEAL:
            what = "The tribunal to decide the appeal"
        elif application.appealable and ends:
            what = f"The appeal window to end on {govuk_date(ends)}"
        else:
            what = "Us to register the change"
        return Standing(stage, "", what, f"Decided on {govuk_date(application.decided_on)}")
    if status == Stage.EFFECTIVE:
        return Standing(stage, "", "", f"In effect since {govuk_date(application.effective_on)}")
    return Standing(stage, "", "", "")


def staff_waiting_for(application: Application) -> str:
    """What the application waits on, in the regulator's words (staff pages)."""
    due = {
        Stage.SUBMITTED: application.validation_due_on,
        Stage.IN_ASSESSMENT: application.decision_due_on,
        Stage.PROPOSAL_SERVED: application.representations_due_on,
        Stage.DECIDED: application.appeal_ends_on,
    }.get(Stage(application.stage))
    by = f" (by {govuk_date(due)})" if due else ""
    return {
        Stage.SUBMITTED: f"Us to validate it or return it{by}",
        Stage.RETURNED: "The applicant to correct it and send it again",
        Stage.IN_ASSESSMENT: f"Us to assess it and decide{by}",
        Stage.AWAITING_APPLICANT: "The applicant to answer our request (the clock is stopped)",
        Stage.PROPOSAL_SERVED: f"The applicant's representations{by}",
        Stage.CONSIDERING_REPRESENTATIONS: "Us to adopt or withdraw the proposal",
        Stage.DECIDED: f"The appeal window to end{by}, then us to put it into effect",
        Stage.UNDER_APPEAL: "The tribunal to decide the appeal",
    }.get(Stage(application.stage), "")


def assessor_list(
    *,
    stage: str = "",
    type_slug: str = "",
    assessor: Any = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page[Application]:
    """For registration assessors: sent applications, oldest first, filtered; one query for
    the rows (provider, location and assessor joined) and one for the count."""
    rows = Application.objects.exclude(stage__in=[Stage.DRAFT, Stage.DISCARDED])
    if stage:
        rows = rows.filter(stage=stage)
    if type_slug:
        rows = rows.filter(type_slug=type_slug)
    if assessor is not None:
        rows = rows.filter(assessor=assessor)
    if search:
        term = search.strip()[:100]
        rows = rows.filter(
            Q(reference__iexact=term) | Q(title__icontains=term) | Q(provider_id=term)
        )
    rows = rows.select_related("provider", "location", "assessor").order_by("submitted_at", "id")
    return Paginator(rows, per_page).get_page(page)
