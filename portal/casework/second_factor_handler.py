"""How a second-factor reset request's case is decided from the case page.

Accounts sits below casework, so it cannot register its own handler: casework registers it
here, applying the decision through the accounts service (which locks the request and refuses
a second decision)."""

from typing import Any

from django.http import HttpRequest

from portal.accounts.forms import FactorResetDecisionForm
from portal.accounts.models import ResetRequestStatus, SecondFactorResetRequest, User
from portal.accounts.services import accounts
from portal.casework.handlers import CaseAction, CaseHandler, register_handler
from portal.casework.models import Case, CaseKind
from portal.staff_permissions import StaffPermission


def load(subject_id: str) -> SecondFactorResetRequest | None:
    if not subject_id.isdigit():
        return None
    return SecondFactorResetRequest.objects.select_related("user").filter(pk=subject_id).first()


def _pending(_case: Case, reset: SecondFactorResetRequest, _staff: User) -> str | None:
    if reset.status != ResetRequestStatus.PENDING:
        return f"This request has been decided: {reset.get_status_display().lower()}."
    return None


def _decide(
    reset: SecondFactorResetRequest, data: dict[str, Any], staff: User, request: HttpRequest
) -> str:
    accounts.decide_factor_reset(
        reset_id=reset.pk,
        approve=data["decision"] == "approve",
        reason=data["reason"],
        staff=staff,
        request=request,
    )
    return f"Decision recorded for {reset.user.email}"


ACTIONS = (
    CaseAction(
        "decide",
        "Decide the request",
        StaffPermission.DECIDE_SECOND_FACTOR_RESETS,
        _pending,
        _decide,
        form_class=FactorResetDecisionForm,
        hint="Approving removes their authenticator, recovery codes and passkeys, and signs "
        "them out everywhere.",
    ),
)


def register() -> None:
    register_handler(CaseHandler(kind=CaseKind.SECOND_FACTOR_RESET, load=load, actions=ACTIONS))
