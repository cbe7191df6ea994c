"""How a notification's case is decided from the case page (portal.casework.handlers): the
inbox's staff actions, each applied through this domain's own service."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from portal.accounts.models import User
from portal.casework.handlers import Apply, CaseAction, CaseHandler, register_handler
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


def _applying(service: Callable[..., object], done: str, answer: str = "") -> Apply:
    """Apply an action through its service, with the form's `answer` (the field and the
    service's argument share its name) when it takes one; `done` may name the {reference}."""

    def apply(
        notification: Notification, data: dict[str, Any], staff: User, request: HttpRequest
    ) -> str:
        answers = {answer: data[answer]} if answer else {}
        service(notification_id=notification.pk, staff=staff, request=request, **answers)
        return done.format(reference=notification.reference)

    return apply


ACTIONS = (
    CaseAction(
        "mark_reviewed",
        "Mark as reviewed",
        DECIDE,
        _lifecycle("mark_reviewed"),
        _applying(services.mark_reviewed, "{reference} marked as reviewed."),
        hint="Nothing more is needed from the provider.",
    ),
    CaseAction(
        "ask_question",
        "Ask the provider a question",
        DECIDE,
        _lifecycle("ask_question"),
        _applying(
            services.ask_question,
            "Your question has been sent to the provider. The clock is stopped until they answer.",
            answer="body",
        ),
        form_class=QuestionForm,
        hint="The provider is emailed; the clock stops until they answer.",
    ),
    CaseAction(
        "close",
        "Close",
        DECIDE,
        _lifecycle("close"),
        _applying(services.close, "{reference} closed.", answer="reason"),
        form_class=CloseForm,
    ),
    CaseAction(
        "accept",
        "Accept the change",
        DECIDE,
        _lifecycle("accept"),
        _applying(services.accept_change, "Change accepted. The register has been updated."),
        hint="The register is updated.",
        relevant=_decided_by_staff,
    ),
    CaseAction(
        "reject",
        "Reject the change",
        DECIDE,
        _lifecycle("reject"),
        _applying(
            services.reject_change,
            "Change rejected. The provider has been told why.",
            answer="reason",
        ),
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
