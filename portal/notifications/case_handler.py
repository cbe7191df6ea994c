"""How a notification's case is decided from the case page (portal.casework.handlers): the
inbox's staff decisions (decisions.DECISIONS), each applied through this domain's service."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from portal.accounts.models import User
from portal.casework.handlers import CaseAction, CaseHandler, ConfirmForm, register_handler
from portal.casework.models import Case, CaseKind
from portal.notifications.decisions import DECISIONS, Decision
from portal.notifications.models import Notification


def load(subject_id: str) -> Notification | None:
    if not subject_id.isdigit():
        return None
    return Notification.objects.select_related("provider", "location").filter(pk=subject_id).first()


def _case_action(decision: Decision) -> CaseAction:
    def refusal(_case: Case, notification: Notification, staff: User) -> str | None:
        return decision.refusal(notification, staff)

    def apply(
        notification: Notification, data: dict[str, Any], staff: User, request: HttpRequest
    ) -> str:
        decision.apply(notification.pk, data, staff, request)
        return decision.done_message(notification.reference)

    return CaseAction(
        decision.action,
        decision.label,
        decision.permission,
        refusal,
        apply,
        form_class=decision.form_class or ConfirmForm,
        hint=decision.hint,
        relevant=decision.relevant,
    )


ACTIONS = tuple(map(_case_action, DECISIONS.values()))


def _provider_url(case: Case) -> str:
    return reverse("notifications:detail", kwargs={"reference": case.reference})


def register() -> None:
    register_handler(
        CaseHandler(
            kind=CaseKind.NOTIFICATION,
            load=load,
            actions=ACTIONS,
            provider_url=_provider_url,
        )
    )
