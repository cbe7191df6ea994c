"""How a notification's case is decided from the case page (portal.casework.handlers): the
inbox's staff actions, each applied through this domain's own service."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from portal.accounts.models import User
from portal.casework.handlers import CaseAction, CaseHandler, register_handler
from portal.casework.models import Case, CaseKind
from portal.notifications import services
from portal.notifications.forms import CloseForm, QuestionForm, RejectForm
from portal.notifications.models import Notification
from portal.staff_permissions import StaffPermission

DECIDE = StaffPermission.DECIDE_NOTIFICATIONS


def load(subject_id: str) -> Notification | None:
    if not subject_id.isdigit():
        return None
    return Notification.objects.select_related("provider", "location").filter(pk=subject_id).first()


def _lifecycle(action: str) -> Any:
    def refusal(_case: Case, notification: Notification, staff: User) -> str | None:
        return Notification.lifecycle.refusal(notification, action, staff)

    return refusal


def _decided_by_staff(notification: Notification) -> bool:
    return services.definition_of(notification).staff_decision


def _mark_reviewed(
    notification: Notification, _data: dict[str, Any], staff: User, request: HttpRequest
) -> str:
    services.mark_reviewed(notification_id=notification.pk, staff=staff, request=request)
    return f"{notification.reference} marked as reviewed."


def _ask(
    notification: Notification, data: dict[str, Any], staff: User, request: HttpRequest
) -> str:
    services.ask_question(
        notification_id=notification.pk, staff=staff, body=data["body"], request=request
    )
    return "Your question has been sent to the provider. The clock is stopped until they answer."


def _close(
    notification: Notification, data: dict[str, Any], staff: User, request: HttpRequest
) -> str:
    services.close(
        notification_id=notification.pk, staff=staff, reason=data["reason"], request=request
    )
    return f"{notification.reference} closed."


def _accept(
    notification: Notification, _data: dict[str, Any], staff: User, request: HttpRequest
) -> str:
    services.accept_change(notification_id=notification.pk, staff=staff, request=request)
    return "Change accepted. The register has been updated."


def _reject(
    notification: Notification, data: dict[str, Any], staff: User, request: HttpRequest
) -> str:
    services.reject_change(
        notification_id=notification.pk, staff=staff, reason=data["reason"], request=request
    )
    return "Change rejected. The provider has been told why."


ACTIONS = (
    CaseAction(
        "mark_reviewed",
        "Mark as reviewed",
        DECIDE,
        _lifecycle("mark_reviewed"),
        _mark_reviewed,
        hint="Nothing more is needed from the provider.",
    ),
    CaseAction(
        "ask_question",
        "Ask the provider a question",
        DECIDE,
        _lifecycle("ask_question"),
        _ask,
        form_class=QuestionForm,
        hint="The provider is emailed; the clock stops until they answer.",
    ),
    CaseAction("close", "Close", DECIDE, _lifecycle("close"), _close, form_class=CloseForm),
    CaseAction(
        "accept",
        "Accept the change",
        DECIDE,
        _lifecycle("accept"),
        _accept,
        hint="The register is updated.",
        relevant=_decided_by_staff,
    ),
    CaseAction(
        "reject",
        "Reject the change",
        DECIDE,
        _lifecycle("reject"),
        _reject,
        form_class=RejectForm,
        relevant=_decided_by_staff,
    ),
)


def _staff_url(case: Case) -> str:
    return reverse("notifications_staff:detail", kwargs={"reference": case.reference})


def _provider_url(case: Case) -> str:
    return reverse("notifications:detail", kwargs={"reference": case.reference})


def register() -> None:
    register_handler(
        CaseHandler(
            kind=CaseKind.NOTIFICATION,
            load=load,
            actions=ACTIONS,
            staff_url=_staff_url,
            provider_url=_provider_url,
        )
    )
