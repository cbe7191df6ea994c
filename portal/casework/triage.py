"""Bulk triage: mark many low-risk notifications reviewed at once.

Low risk, defined here once: a notification case at routine urgency (the notification
catalogue's urgency 1, which casework copies to the case when the notification arrives, e.g.
a change of a manager's contact details), still new (nobody has acted, and we are not waiting
for the provider). Urgent and priority types (deaths, abuse, serious injury) are never
triaged in bulk: someone reads each one.

Each notification is marked reviewed through the notification handler (so through the
notifications service: its row lock, lifecycle check and one audit event each), in its own
transaction: one that fails (a colleague got there first, the provider sent an update) does not
undo the others, and the report says which failed and why.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from portal.accounts.models import User
from portal.casework import handlers
from portal.casework.decision_errors import DecisionError, decision_refused
from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency
from portal.errors import ServiceError

TRIAGE_ACTION = "mark_reviewed"
MOST_AT_ONCE = 100


def low_risk_cases() -> QuerySet[Case]:
    return Case.objects.filter(
        kind=CaseKind.NOTIFICATION, urgency=CaseUrgency.ROUTINE, status=CaseStatus.NEW
    )


@dataclass(frozen=True)
class Failure:
    reference: str
    reason: str


@dataclass
class TriageReport:
    reviewed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)


def _why_not_low_risk(case: Case | None) -> str:
    """Why a case is not (or no longer) one to triage in bulk; "" when it is."""
    if case is None:
        return "There is no such case."
    if case.kind != CaseKind.NOTIFICATION or case.urgency != CaseUrgency.ROUTINE:
        return "This case is not a low-risk notification: someone must read it."
    reasons = {
        CaseStatus.CLOSED: "This case is closed.",
        CaseStatus.WAITING_FOR_PROVIDER: "We are waiting for the provider on this case.",
        CaseStatus.IN_PROGRESS: "Someone is already working on this case.",
    }
    return reasons.get(CaseStatus(case.status), "")


def _one(case_id: int, staff: User, request: HttpRequest) -> str:
    """Mark one case's notification reviewed; its reference, or ServiceError saying why not."""
    case = Case.objects.filter(pk=case_id).first()
    why_not = _why_not_low_risk(case)
    if case is None or why_not:
        raise decision_refused(DecisionError.NOT_LOW_RISK, why_not)
    with transaction.atomic():
        outcome = handlers.decide(
            case=case, action=TRIAGE_ACTION, data={}, staff=staff, request=request
        )
        if outcome.error is not None:
            raise outcome.error
    return case.reference


def mark_reviewed_in_bulk(
    *, case_ids: list[int], staff: User, request: HttpRequest
) -> TriageReport:
    if not case_ids:
        raise decision_refused(DecisionError.NOTHING_CHOSEN)
    if len(case_ids) > MOST_AT_ONCE:
        raise decision_refused(DecisionError.TOO_MANY_CHOSEN)
    references = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    report = TriageReport()
    # In id order, so two people triaging overlapping lists lock rows in the same order.
    for case_id in sorted(set(case_ids)):
        try:
            report.reviewed.append(_one(case_id, staff, request))
        except ServiceError as refused:
            reference = references.get(case_id, f"case {case_id}")
            report.failed.append(Failure(reference, refused.message))
    return report
