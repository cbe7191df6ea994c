"""The regulator's actions on an application before a decision: take it on, validate or
return it, ask for information, record interviews and site visits.

Every function takes the member of staff as `staff` and checks the assessor permission;
the lifecycle table says when each is possible.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.applications.audit_verbs import ApplicationsVerb
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import (
    Application,
    ApplicationMessage,
    Appointment,
    AppointmentKind,
    Declaration,
    MessageKind,
)
from portal.applications.services.common import (
    TEXT_MAX,
    email_applicant,
    locked,
    move,
    require_assessor,
    required_text,
    start_clock,
    stop_clock,
    today,
)
from portal.applications.services.parts import reopen_part
from portal.applications.stages import Stage
from portal.audit.services import record_about
from portal.forms.models import DraftStatus

APPOINTMENT_STAGES = frozenset({Stage.IN_ASSESSMENT, Stage.AWAITING_APPLICANT})


@transaction.atomic
def assign_assessor(
    *, application_id: Any, staff: Any, assessor: Any, request: HttpRequest | None = None
) -> Application:
    require_assessor(staff)
    require_assessor(assessor)
    application = locked(application_id)
    application.assessor = assessor
    application.save(update_fields=["assessor"])
    record_about(
        application,
        verb=ApplicationsVerb.ASSESSOR_ASSIGNED,
        actor=staff,
        request=request,
        data={"assessor": assessor.email},
    )
    return application


def _take_on(application: Application, staff: Any) -> dict[str, Any]:
    """Whoever acts first on an unassigned application becomes its assessor."""
    return {"assessor": staff} if application.assessor_id is None else {}


@transaction.atomic
def validate(*, application_id: Any, staff: Any, request: HttpRequest | None = None) -> Application:
    """Complete and consistent: assessment starts, and with it the 10-week decision clock."""
    require_assessor(staff)
    application = locked(application_id)
    changes = {**_take_on(application, staff), **start_clock(application, today())}
    move(application, "validate", actor=staff, changes=changes, request=request)
    email_applicant(
        application, "application_validated", decision_due_on=application.decision_due_on
    )
    return application


@transaction.atomic
def return_application(
    *,
    application_id: Any,
    staff: Any,
    reasons: str,
    reopen_part_ids: list[Any] | tuple[Any, ...] = (),
    request: HttpRequest | None = None,
) -> Application:
    """Not complete or consistent: back to the applicant with reasons. The applicant must
    sign again; of the parts, only those named here reopen (their people sign again)."""
    require_assessor(staff)
    text = required_text(reasons, field="reasons", empty="Enter the reasons for returning it")
    application = locked(application_id)
    parts = list(
        application.parts.select_for_update().filter(
            pk__in=list(reopen_part_ids), status=DraftStatus.SUBMITTED
        )
    )
    if len(parts) != len(set(reopen_part_ids)):
        raise ApplicationError(
            ApplicationErrorCode.INVALID,
            "Choose only signed parts of this application to send back",
            field="parts",
        )
    move(
        application,
        "return",
        actor=staff,
        reason=text,
        changes={"status": DraftStatus.OPEN, **_take_on(application, staff)},
        data={"reason": text},
        request=request,
    )
    now = timezone.now()
    Declaration.objects.filter(
        application=application, part__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)
    for part in parts:
        reopen_part(part, reason=text, actor=staff, request=request)
    ApplicationMessage.objects.create(
        application=application, kind=MessageKind.RETURN_REASONS, body=text, author=staff
    )
    email_applicant(application, "application_returned", reasons=text)
    return application


@transaction.atomic
def request_information(
    *,
    application_id: Any,
    staff: Any,
    body: str,
    respond_by: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ApplicationMessage:
    """Ask the applicant for information: the decision clock stops until every request is
    answered."""
    require_assessor(staff)
    text = required_text(body, field="body", empty="Enter what you need from the applicant")
    if respond_by is not None and respond_by < today():
        raise ApplicationError(
            ApplicationErrorCode.INVALID,
            "The date to respond by must be today or in the future",
            field="respond_by",
        )
    application = locked(application_id)
    changes = {**_take_on(application, staff), **stop_clock(application, today())}
    move(application, "request_information", actor=staff, changes=changes, request=request)
    message = ApplicationMessage.objects.create(
        application=application,
        kind=MessageKind.INFORMATION_REQUEST,
        body=text,
        author=staff,
        respond_by=respond_by,
    )
    email_applicant(
        application, "application_information_requested", body=text, respond_by=respond_by
    )
    return message


@transaction.atomic
def record_appointment(
    *,
    application_id: Any,
    staff: Any,
    kind: str,
    on: dt.date,
    with_whom: str,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Appointment:
    """Record an interview or a site visit (arranged, or held) during assessment."""
    require_assessor(staff)
    if kind not in AppointmentKind.values:
        raise ApplicationError(
            ApplicationErrorCode.INVALID, "Select an interview or a site visit", field="kind"
        )
    who = required_text(
        with_whom, field="with_whom", empty="Enter who it is with, or where", limit=200
    )
    application = locked(application_id)
    if application.stage not in APPOINTMENT_STAGES:
        raise ApplicationError(
            ApplicationErrorCode.REFUSED_BY_LIFECYCLE,
            "Interviews and site visits are recorded while the application is being assessed.",
        )
    appointment = Appointment.objects.create(
        application=application,
        kind=kind,
        on=on,
        with_whom=who,
        notes=(notes or "").strip()[:TEXT_MAX],
        recorded_by=staff,
    )
    application.last_activity_at = timezone.now()
    application.save(update_fields=["last_activity_at"])
    record_about(
        application,
        verb=ApplicationsVerb.INTERVIEW_RECORDED,
        actor=staff,
        request=request,
        data={"kind": kind, "on": on.isoformat()},
    )
    email_applicant(
        application,
        "application_appointment",
        kind=AppointmentKind(kind).label.lower(),
        on=on,
        with_whom=who,
    )
    return appointment
