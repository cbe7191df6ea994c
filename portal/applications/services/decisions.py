"""The regulator's decisions: grant, or serve a notice of proposal; after representations
(or none, or 28 days), withdraw or adopt it by notice of decision; appeals; and the decision
taking effect on the register, in the same transaction.

Two assessors deciding at once make one decision: each locks the application row first, and
the second finds it already decided (the lifecycle refuses, writing nothing).
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from portal.applications import notices
from portal.applications.completeness import definition_of
from portal.applications.effects import put_into_effect
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import Application, NoticeKind
from portal.applications.services.common import (
    TEXT_MAX,
    assessor_moves,
    bounded_text,
    email_applicant,
    email_regulator,
    locked,
    move,
    require_assessor,
    required_text,
    today,
)
from portal.applications.stages import APPEAL_DAYS, REPRESENTATIONS_DAYS, Outcome, ProposalKind
from portal.emails.services import queue_email
from portal.register.errors import RegisterError
from portal.register.models import Location


def _conditions_text(conditions: str) -> str:
    lines = [line.strip() for line in (conditions or "").splitlines() if line.strip()]
    return bounded_text("\n".join(lines), field="conditions", what="Conditions")


def _decide(
    application: Application,
    action: str,
    outcome: Outcome,
    *,
    staff: Any,
    decided_on: dt.date,
    changes: dict[str, Any],
    request: HttpRequest | None,
) -> None:
    """The decision (`action`: `outcome` on `decided_on`, and `changes`), then the notice of
    decision, kept with the application, and the email saying so."""
    move(
        application,
        action,
        actor=staff,
        changes={
            "outcome": outcome,
            "decided_on": decided_on,
            "decided_by": staff,
            "decision_due_on": None,
            **changes,
        },
        data={"outcome": outcome},
        request=request,
    )
    content = notices.decision_content(application, application.decided_on or today())
    notice = notices.serve(application, NoticeKind.DECISION, content, served_by=staff)
    email_applicant(application, "application_decided", outcome=outcome.label, notice_id=notice.pk)


@transaction.atomic
def grant(
    *,
    application_id: Any,
    staff: Any,
    reasons: str = "",
    agreed_conditions: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Grant as applied for (with any conditions the applicant agreed): straight to a notice
    of decision, no proposal needed."""
    require_assessor(staff)
    application = locked(application_id)
    _decide(
        application,
        "grant",
        Outcome.GRANTED,
        staff=staff,
        decided_on=today(),
        changes={
            "conditions": _conditions_text(agreed_conditions),
            "decision_reasons": (reasons or "").strip()[:TEXT_MAX],
        },
        request=request,
    )
    return application


@transaction.atomic
def serve_proposal(
    *,
    application_id: Any,
    staff: Any,
    kind: str,
    reasons: str,
    conditions: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """A notice of proposal: to refuse, or to grant with conditions not applied for. The
    applicant has 28 days for representations."""
    require_assessor(staff)
    if kind not in ProposalKind.values:
        raise ApplicationError(
            ApplicationErrorCode.INVALID, "Select what you propose", field="kind"
        )
    text = required_text(reasons, field="reasons", empty="Enter the reasons for the proposal")
    proposed = _conditions_text(conditions)
    if kind == ProposalKind.CONDITIONS and not proposed:
        raise ApplicationError(
            ApplicationErrorCode.INVALID,
            "Enter the conditions you propose, one on each line",
            field="conditions",
        )
    application = locked(application_id)
    served_on = today()
    move(
        application,
        "serve_proposal",
        actor=staff,
        changes={
            "proposal_kind": kind,
            "proposal_served_on": served_on,
            "representations_due_on": served_on + dt.timedelta(days=REPRESENTATIONS_DAYS),
            "conditions": proposed if kind == ProposalKind.CONDITIONS else "",
            "decision_reasons": text,
        },
        data={"proposal": kind},
        request=request,
    )
    notice = notices.serve(
        application,
        NoticeKind.PROPOSAL,
        notices.proposal_content(application, served_on),
        served_by=staff,
    )
    email_applicant(
        application,
        "application_proposal",
        representations_due_on=application.representations_due_on,
        notice_id=notice.pk,
    )
    return application


@transaction.atomic
def representations_window_passed(
    *, application_id: Any, staff: Any, request: HttpRequest | None = None
) -> Application:
    """28 days passed without representations: the regulator may now decide."""
    return assessor_moves(
        application_id=application_id,
        staff=staff,
        action="representations_window_passed",
        request=request,
    )


@transaction.atomic
def representations_lapsed(*, application_id: Any) -> bool:
    """The worker's sweep: the 28 days passed with no representations and no word that
    there will be none, so the regulator may decide. False when it is not (or no longer)
    due: another worker, or an assessor, got there first."""
    application = locked(application_id)
    if application.lifecycle.refusal(application, "representations_window_passed", None):
        return False
    move(
        application,
        "representations_window_passed",
        actor=None,
        reason="The 28 days for representations passed.",
    )
    email_regulator(application, "application_representations_lapsed")
    return True


@transaction.atomic
def withdraw_proposal(
    *, application_id: Any, staff: Any, reason: str, request: HttpRequest | None = None
) -> Application:
    """Persuaded by representations: the proposal is dropped and assessment resumes (the
    application can then be granted as applied for)."""
    text = required_text(reason, field="reason", empty="Enter why the proposal is withdrawn")
    application = assessor_moves(
        application_id=application_id,
        staff=staff,
        action="withdraw_proposal",
        reason=text,
        changes={
            "proposal_kind": "",
            "proposal_served_on": None,
            "representations_due_on": None,
            "conditions": "",
        },
        request=request,
    )
    email_applicant(application, "application_proposal_withdrawn", reason=text)
    return application


@transaction.atomic
def adopt_proposal(
    *, application_id: Any, staff: Any, reasons: str = "", request: HttpRequest | None = None
) -> Application:
    """The proposal becomes the decision: a notice of decision, and 28 days to appeal."""
    require_assessor(staff)
    application = locked(application_id)
    outcome = (
        Outcome.REFUSED
        if application.proposal_kind == ProposalKind.REFUSE
        else Outcome.GRANTED_WITH_CONDITIONS
    )
    decided_on = today()
    extra = (reasons or "").strip()[:TEXT_MAX]
    _decide(
        application,
        "adopt_proposal",
        outcome,
        staff=staff,
        decided_on=decided_on,
        changes={
            "appeal_ends_on": decided_on + dt.timedelta(days=APPEAL_DAYS),
            "decision_reasons": "\n\n".join(
                part for part in (application.decision_reasons, extra) if part
            ),
        },
        request=request,
    )
    return application


@transaction.atomic
def record_appeal(
    *, application_id: Any, staff: Any, request: HttpRequest | None = None
) -> Application:
    """The tribunal told us of an appeal: the decision waits for its outcome."""
    application = assessor_moves(
        application_id=application_id, staff=staff, action="record_appeal", request=request
    )
    email_applicant(application, "application_appeal_recorded")
    return application


@transaction.atomic
def appeal_concluded(
    *, application_id: Any, staff: Any, allowed: bool, request: HttpRequest | None = None
) -> Application:
    """The tribunal's outcome. Allowed: the application is granted as applied for."""
    result = "allowed" if allowed else "dismissed"
    changes: dict[str, Any] = {"appeal_outcome": result}
    if allowed:
        changes.update(outcome=Outcome.GRANTED, conditions="")
    application = assessor_moves(
        application_id=application_id,
        staff=staff,
        action="appeal_concluded",
        changes=changes,
        data={"appeal_outcome": result},
        request=request,
    )
    email_applicant(application, "application_appeal_concluded", appeal_outcome=result)
    return application


@transaction.atomic
def take_effect(
    *, application_id: Any, staff: Any, request: HttpRequest | None = None
) -> Application:
    """Put a granted decision into effect on the register, in this transaction: new provider
    and location IDs, roles, conditions; managers left with nothing cancelled, each with
    their own notice of decision."""
    require_assessor(staff)
    application = locked(application_id)
    definition = definition_of(application)
    refusal = application.lifecycle.refusal(application, "take_effect", staff)
    if refusal:
        raise ApplicationError(ApplicationErrorCode.REFUSED_BY_LIFECYCLE, refusal)
    try:
        outcome = put_into_effect(application, definition, actor=staff)
    except RegisterError as refused:
        raise ApplicationError(
            ApplicationErrorCode.REGISTER_REFUSED, refused.message, field=refused.field
        ) from refused
    effect = {
        "provider_id": outcome.provider.pk,
        "locations_added": [location.pk for location in outcome.locations_added],
        "locations_deregistered": [location.pk for location in outcome.locations_deregistered],
        "managers_cancelled": [m.person.person_ref for m in outcome.cancelled_managers],
    }
    move(
        application,
        "take_effect",
        actor=staff,
        changes={
            "effective_on": today(),
            "effect_result": effect,
            "provider": outcome.provider,
        },
        data={"effect": definition.effect.value},
        request=request,
    )
    _notify_cancelled_managers(application, outcome.cancelled_managers, staff)
    email_applicant(application, "application_effective", provider_id=outcome.provider.pk)
    return application


def _notify_cancelled_managers(application: Application, cancelled: Any, staff: Any) -> None:
    for manager in cancelled:
        names = list(
            Location.objects.filter(pk__in=manager.location_ids).values_list("name", flat=True)
        )
        content = notices.manager_cancelled_content(
            application, manager.person.full_name, names, today()
        )
        notice = notices.serve(application, NoticeKind.MANAGER_CANCELLED, content, served_by=staff)
        if manager.person.email:
            queue_email(
                to=manager.person.email,
                template="application_manager_cancelled",
                context={
                    "name": manager.person.full_name,
                    "reference": application.reference,
                    # The notice itself: they have no access to the provider's application.
                    "notice": notice.content,
                },
            )


@transaction.atomic
def close_refused(
    *, application_id: Any, staff: Any, request: HttpRequest | None = None
) -> Application:
    """A refusal past its appeal window (or upheld on appeal) is final."""
    application = assessor_moves(
        application_id=application_id, staff=staff, action="close_refused", request=request
    )
    email_applicant(application, "application_refused_final")
    return application
