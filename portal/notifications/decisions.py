"""The staff's decisions on a notification, declared once: the inbox's own pages
(staff_views) and the case page (case_handler) both offer and apply them from DECISIONS.
Each is applied through this domain's service (its row lock, lifecycle, audit and email)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest

from portal.accounts.models import User
from portal.notifications import services
from portal.notifications.forms import CloseForm, QuestionForm, RejectForm
from portal.notifications.models import Notification
from portal.staff_permissions import StaffPermission


@dataclass(frozen=True)
class Decision:
    action: str  # the lifecycle's action, and the case page's key
    label: str  # the button (the inbox's and the case page's), and the case page's title and link
    service: Callable[..., object]
    done: str  # what staff are told once it is done; may name the {reference}
    # Every decision on a notification needs the permission that decides its kind of case.
    permission: StaffPermission = StaffPermission.DECIDE_NOTIFICATIONS
    # None: a press of the button is all it takes.
    form_class: type[forms.Form] | None = None
    # The form's field and the service's argument share this name.
    answer: str = ""
    # The inbox page's name for the blank form in its context, and the form's prefix there.
    form_key: str = ""
    prefix: str | None = None
    hint: str = ""
    # Accepting or rejecting belongs only to the types whose change staff decide.
    staff_decision_only: bool = False

    def relevant(self, notification: Notification) -> bool:
        return not self.staff_decision_only or services.definition_of(notification).staff_decision

    def refusal(self, notification: Notification, staff: User) -> str | None:
        return Notification.lifecycle.refusal(notification, self.action, staff)

    def inbox_form(self, data: Mapping[str, Any] | None = None) -> forms.Form | None:
        return None if self.form_class is None else self.form_class(data, prefix=self.prefix)

    def apply(
        self, notification_id: int, data: Mapping[str, Any], staff: User, request: HttpRequest
    ) -> None:
        """Raises the service's ServiceError when it refuses."""
        answers = {self.answer: data[self.answer]} if self.answer else {}
        self.service(notification_id=notification_id, staff=staff, request=request, **answers)

    def done_message(self, reference: str) -> str:
        return self.done.format(reference=reference)


DECISIONS: dict[str, Decision] = {
    decision.action: decision
    for decision in (
        Decision(
            "mark_reviewed",
            "Mark as reviewed",
            services.mark_reviewed,
            "{reference} marked as reviewed.",
            hint="Nothing more is needed from the provider.",
        ),
        Decision(
            "ask_question",
            "Ask the provider a question",
            services.ask_question,
            # The case's clock stops while the provider is asked (casework.deadlines): both say so.
            "Your question has been sent to the provider. The clock is stopped until they answer.",
            form_class=QuestionForm,
            answer="body",
            form_key="question_form",
            hint="The provider is emailed; the clock stops until they answer.",
        ),
        Decision(
            "close",
            "Close",
            services.close,
            "{reference} closed.",
            form_class=CloseForm,
            answer="reason",
            form_key="close_form",
            prefix="close",
        ),
        Decision(
            "accept",
            "Accept and update the register",
            services.accept_change,
            "Change accepted. The register has been updated.",
            hint="The register is updated.",
            staff_decision_only=True,
        ),
        Decision(
            "reject",
            "Reject the change",
            services.reject_change,
            "Change rejected. The provider has been told why.",
            form_class=RejectForm,
            answer="reason",
            form_key="reject_form",
            prefix="reject",
            staff_decision_only=True,
        ),
    )
}
