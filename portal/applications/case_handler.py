"""How an application's case is decided from the case page (portal.casework.handlers): the
assessor's actions of the application's own page (staff_views.ACTIONS), each applied through
the applications services, offered only at the stage they belong to."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from portal.accounts.models import User
from portal.applications.models import Application
from portal.applications.staff_views import ACTIONS, StaffAction, refusal_of
from portal.applications.stages import FINISHED_STAGES, Stage
from portal.casework.handlers import CaseAction, CaseHandler, register_handler
from portal.casework.models import Case, CaseKind
from portal.staff_permissions import StaffPermission


def load(subject_id: str) -> Application | None:
    try:
        application_id = uuid.UUID(subject_id)
    except ValueError:
        return None
    rows = Application.objects.select_related("provider", "location", "assessor")
    return rows.exclude(stage__in=[Stage.DRAFT, Stage.DISCARDED]).filter(pk=application_id).first()


def _case_action(action: StaffAction) -> CaseAction:
    def refusal(_case: Case, application: Application, staff: User) -> str | None:
        return refusal_of(action, application, staff)

    def apply(
        application: Application, data: dict[str, Any], staff: User, request: HttpRequest
    ) -> str:
        action.perform(application, staff, data, request)
        return action.done

    def relevant(application: Application) -> bool:
        if action.lifecycle_action is None:
            return application.stage not in FINISHED_STAGES
        return application.stage in application.lifecycle.get(action.lifecycle_action).sources

    return CaseAction(
        name=action.slug.replace("-", "_"),
        label=action.title,
        permission=StaffPermission.ASSESS_APPLICATIONS,
        refusal=refusal,
        apply=apply,
        form_class=action.form,
        form_arguments=(
            (lambda application: {"application": application})
            if action.slug == "return"
            else (lambda _application: {})
        ),
        hint=action.warning,
        relevant=relevant,
    )


def _provider_url(case: Case) -> str:
    return reverse("applications:detail", kwargs={"application_id": case.subject_id})


def register() -> None:
    actions = tuple(_case_action(action) for action in ACTIONS.values())
    # Representations against a proposal are a case about the application too: deciding on
    # them (withdraw or adopt the proposal) is the application's own action.
    for kind in (CaseKind.APPLICATION, CaseKind.REPRESENTATIONS):
        register_handler(
            CaseHandler(
                kind=kind,
                load=load,
                actions=actions,
                provider_url=_provider_url,
            )
        )
