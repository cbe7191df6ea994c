"""Each application's cases in the regulator's queue (portal.casework), written by the
application services in their own transaction (`common.move` calls `follow` after every
lifecycle move):

- sent: the application's case opens, due on the validation target; each registered
  manager named in it gets a case of its own (their fitness is assessed on its own);
- validated: the deadline becomes the 10-week decision clock from validation;
- returned, information requested, a notice of proposal served: the clock stops (we wait
  for the applicant); sent again, information provided, representations made or the window
  over: it restarts;
- representations received: a case of their own to consider, closed with the proposal;
- decided or withdrawn: every case of the application closes.
"""

from itertools import chain

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.applications.completeness import definition_of
from portal.applications.definitions.schema import PartKind
from portal.applications.models import DECISION_TARGET_WORKING_DAYS, Application, ApplicationPart
from portal.applications.stages import Stage
from portal.casework import services as casework
from portal.casework.backfill import register_backfill
from portal.casework.deadlines import Deadline
from portal.casework.links import subject_link
from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency, has_case
from portal.forms.models import DraftStatus
from portal.staff_permissions import StaffPermission

# Working days the regulator gives itself to consider representations against a proposal.
REPRESENTATIONS_WORKING_DAYS = 20

_STOPS = frozenset({"return", "request_information", "serve_proposal"})
_RESTARTS = frozenset(
    {
        "information_provided",
        "make_representations",
        "no_representations",
        "representations_window_passed",
    }
)
_DECIDED = frozenset({"grant", "adopt_proposal", "withdraw"})


def _open_cases(subject: models.Model) -> dict[str, Case]:
    """The subject's cases that are not closed, locked, by kind (one statement)."""
    return {
        kind: case
        for kind, case in casework.cases_of(subject).items()
        if case.status != CaseStatus.CLOSED
    }


def follow(application: Application, action: str, *, actor: User | None) -> None:
    """Move the application's cases after the lifecycle `action` (already taken)."""
    if action == "submit":
        _open(application, actor=actor)
        return
    cases = _open_cases(application)
    case_id = cases.get(CaseKind.APPLICATION)
    if case_id is None:
        return
    if action == "resubmit":
        casework.update_case(case_id=case_id, actor=actor, deadline=_validation(application))
    elif action == "validate" and application.validated_on is not None:
        decision = Deadline(application.validated_on, DECISION_TARGET_WORKING_DAYS)
        casework.update_case(
            case_id=case_id, actor=actor, status=CaseStatus.IN_PROGRESS, deadline=decision
        )
    elif action in _STOPS:
        casework.stop_clock(case_id=case_id, actor=actor)
    elif action in _RESTARTS:
        casework.restart_clock(case_id=case_id, actor=actor)
    if action == "make_representations":
        _open_representations(application, actor=actor)
    if action in ("withdraw_proposal", "adopt_proposal"):
        representations = cases.get(CaseKind.REPRESENTATIONS)
        if representations is not None:
            casework.close_case(case_id=representations, actor=actor, reason=action)
    if action in _DECIDED:
        _close_all(application, actor=actor, reason=action)


def _validation(application: Application) -> Deadline | None:
    if application.validation_due_on is None:
        return None
    return Deadline.until(timezone.localdate(), application.validation_due_on)


def _open(application: Application, *, actor: User | None) -> None:
    """The application's case, then one for each registered manager's part it names: all
    under the application's reference, provider, location and validation deadline."""
    managers = application.parts.filter(kind=PartKind.REGISTERED_MANAGER).exclude(
        status=DraftStatus.DISCARDED
    )
    subjects = chain(
        [(CaseKind.APPLICATION, application, definition_of(application).name)],
        (
            (CaseKind.APPLICATION_PART, part, f"Registered manager: {part.name}")
            for part in managers
        ),
    )
    for kind, subject, title in subjects:
        casework.open_case(
            kind=kind,
            subject=subject,
            reference=application.reference,
            title=title,
            type_slug=application.type_slug,
            provider=application.provider,
            location=application.location,
            urgency=CaseUrgency.PRIORITY,
            deadline=_validation(application),
            actor=actor,
        )


def _open_representations(application: Application, *, actor: User | None) -> None:
    casework.open_case(
        kind=CaseKind.REPRESENTATIONS,
        subject=application,
        reference=application.reference,
        title="Representations against a notice of proposal",
        type_slug=application.type_slug,
        provider=application.provider,
        location=application.location,
        urgency=CaseUrgency.URGENT,
        deadline=Deadline(timezone.localdate(), REPRESENTATIONS_WORKING_DAYS),
        actor=actor,
    )


def _close_all(application: Application, *, actor: User | None, reason: str) -> None:
    for case in _open_cases(application).values():
        casework.close_case(case_id=case, actor=actor, reason=reason)
    for part in application.parts.filter(kind=PartKind.REGISTERED_MANAGER):
        part_case = _open_cases(part).get(CaseKind.APPLICATION_PART)
        if part_case is not None:
            casework.close_case(case_id=part_case, actor=actor, reason=reason)


def _application_page(case: Case) -> str:
    return reverse("applications_staff:detail", args=[case.subject_id])


def _part_page(case: Case) -> str:
    application_id = ApplicationPart.objects.values_list("application_id", flat=True).get(
        pk=case.subject_id
    )
    return reverse("applications_staff:detail", args=[application_id])


subject_link(
    Application._meta.label_lower,
    "Open the application",
    _application_page,
    requires=StaffPermission.VIEW_APPLICATIONS,
)
subject_link(
    ApplicationPart._meta.label_lower,
    "Open the application",
    _part_page,
    requires=StaffPermission.VIEW_APPLICATIONS,
)


# How an application found at each stage got there, replayed on its new cases.
_REPLAY: dict[str, tuple[str, ...]] = {
    Stage.RETURNED: ("return",),
    Stage.IN_ASSESSMENT: ("validate",),
    Stage.AWAITING_APPLICANT: ("validate", "request_information"),
    Stage.PROPOSAL_SERVED: ("validate", "serve_proposal"),
    Stage.CONSIDERING_REPRESENTATIONS: ("validate", "serve_proposal", "make_representations"),
}
_NO_CASE = frozenset({Stage.DRAFT, Stage.DISCARDED})


def backfill() -> int:
    """Cases for each sent application without one, moved to where the application is."""
    missing = (
        Application.objects.exclude(stage__in=_NO_CASE)
        .exclude(has_case(Application, CaseKind.APPLICATION))
        .select_related("provider", "location")
    )
    opened = 0
    for application in missing.iterator():
        with transaction.atomic():
            follow(application, "submit", actor=None)
            if application.stage in _REPLAY:
                for action in _REPLAY[application.stage]:
                    if action != "validate" or application.validated_on is not None:
                        follow(application, action, actor=None)
            elif application.stage not in (Stage.SUBMITTED,):
                _close_all(application, actor=None, reason=f"backfilled: {application.stage}")
        opened += 1
    return opened


register_backfill("applications", backfill)
