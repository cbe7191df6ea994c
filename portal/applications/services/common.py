"""What every application service shares: locking, lifecycle moves with the service's error,
the emails to the applicant and the regulator, and the deadlines kept on the row."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from portal.applications import cases, permissions
from portal.applications.completeness import definition_of
from portal.applications.definitions.schema import ApplicationType
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import VALIDATION_TARGET_WORKING_DAYS, Application
from portal.applications.stages import Stage
from portal.audit.services import with_reference
from portal.emails.services import queue_email
from portal.forms.vocabulary import LONG_TEXT_MAX
from portal.staff_permissions import StaffPermission, has_staff_permission
from portal.webhooks.events import EventType
from portal.webhooks.services import emit
from portal.workflow.calendar import add_working_days
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.services import lock, transition

NOT_FOUND = "This application does not exist, or you cannot see it."
TEXT_MAX = LONG_TEXT_MAX


def bounded_text(text: str, *, field: str, what: str = "This", limit: int = TEXT_MAX) -> str:
    """`text`, refused (naming `what`) when longer than `limit` characters."""
    if len(text) > limit:
        raise ApplicationError(
            ApplicationErrorCode.INVALID,
            f"{what} must be {limit:,} characters or fewer",
            field=field,
        )
    return text


def required_text(
    value: str, *, field: str, empty: str, what: str = "This", limit: int = TEXT_MAX
) -> str:
    """`value` stripped, refused with `empty` when blank and when longer than `limit`."""
    cleaned = (value or "").strip()
    if not cleaned:
        raise ApplicationError(ApplicationErrorCode.INVALID, empty, field=field)
    return bounded_text(cleaned, field=field, what=what, limit=limit)


def locked(application_id: Any) -> Application:
    """The application, row-locked for the rest of the transaction."""
    rows: QuerySet[Application] = Application.objects.select_for_update(of=("self",))
    try:
        return lock(rows.select_related("provider", "location", "created_by"), pk=application_id)
    except Application.DoesNotExist as missing:
        raise ApplicationError(ApplicationErrorCode.NOT_FOUND, NOT_FOUND) from missing


def locked_to_prepare(application_id: Any, user: Any) -> tuple[Application, ApplicationType]:
    """The application, row-locked, and its definition, when `user` may prepare it. For
    anyone else it does not exist (NOT_FOUND), as the applicant's pages say too."""
    application = locked(application_id)
    definition = definition_of(application)
    if not permissions.can_prepare(user, application, definition):
        raise ApplicationError(ApplicationErrorCode.NOT_FOUND, "This application does not exist.")
    return application, definition


def move(
    application: Application,
    action: str,
    *,
    actor: Any,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """A lifecycle move (status-change row and audit event with it); a refusal becomes the
    service's error with the lifecycle's reason."""
    now = timezone.now()
    before = application.stage
    try:
        transition(
            application,
            action,
            actor=actor,
            reason=reason,
            changes={"last_activity_at": now, **(changes or {})},
            data=with_reference(application, data),
            request=request,
        )
    except TransitionRefused as refused:
        raise ApplicationError(
            ApplicationErrorCode.REFUSED_BY_LIFECYCLE, refused.reason
        ) from refused
    # The application's cases in the regulator's queue move with it, in this transaction.
    cases.follow(application, action, actor=actor)
    _tell_webhooks(application, before=before, action=action, at=now)


def _tell_webhooks(application: Application, *, before: str, action: str, at: dt.datetime) -> None:
    """The provider's endpoints hear of every stage change except a draft's deletion, in the
    same transaction (portal.webhooks)."""
    if application.provider_id is None or application.stage in (before, Stage.DISCARDED):
        return
    emit(
        provider_id=application.provider_id,
        event_type=EventType.APPLICATION_STAGE_CHANGED,
        data={
            "reference": application.reference,
            "application_id": str(application.pk),
            "type": application.type_slug,
            "location_id": application.location_id,
            "from_stage": str(before),
            "to_stage": str(application.stage),
            "action": action,
            "changed_at": at.isoformat(),
        },
    )


def require_assessor(staff: Any) -> None:
    if not has_staff_permission(staff, StaffPermission.ASSESS_APPLICATIONS):
        raise ApplicationError(
            ApplicationErrorCode.NOT_ALLOWED, "Only registration assessors can do this."
        )


def assessor_moves(
    *,
    application_id: Any,
    staff: Any,
    action: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """An assessor's lifecycle move, in the caller's transaction: the assessor permission,
    the row lock, then the move (the lifecycle refuses what the stage does not allow)."""
    require_assessor(staff)
    application = locked(application_id)
    move(
        application,
        action,
        actor=staff,
        reason=reason,
        changes=changes,
        data=data,
        request=request,
    )
    return application


def regulator_email(application: Application) -> str:
    assessor = application.assessor
    return assessor.email if assessor is not None else str(settings.APPLICATIONS_INBOX_EMAIL)


def applicant_addresses(application: Application) -> list[str]:
    """The person who started it and the person who sent it (often the same)."""
    addresses = [application.created_by.email.lower()]
    submitter = application.submitted_by
    if submitter is not None and submitter.email.lower() not in addresses:
        addresses.append(submitter.email.lower())
    return addresses


def _email_context(application: Application, context: dict[str, Any]) -> dict[str, Any]:
    """What every email about an application names, besides the template's own `context`."""
    context.update(
        reference=application.reference,
        type_name=definition_of(application).name,
        title=application.title,
        application_id=str(application.pk),
    )
    return context


def email_applicant(application: Application, template: str, **context: Any) -> None:
    context = _email_context(application, context)
    for address in applicant_addresses(application):
        queue_email(to=address, template=template, context=context)


def email_regulator(application: Application, template: str, **context: Any) -> None:
    queue_email(
        to=regulator_email(application),
        template=template,
        context=_email_context(application, context),
    )


def today() -> dt.date:
    return timezone.localdate()


def validation_due(sent_on: dt.date) -> dt.date:
    return add_working_days(sent_on, VALIDATION_TARGET_WORKING_DAYS)


# ---------------------------------------------------------------------------------------
# The decision clock: 10 weeks of working days from validation, stopped while we wait
# ---------------------------------------------------------------------------------------


def start_clock(application: Application, on: dt.date) -> dict[str, Any]:
    """The fields to save when the application is validated on `on`."""
    application.validated_on = on
    application.clock_stops = []
    clock = application.decision_clock()
    return {
        "validated_on": on,
        "clock_stops": [],
        "decision_due_on": clock.due_on() if clock else None,
    }


def stop_clock(application: Application, on: dt.date) -> dict[str, Any]:
    """The fields to save when we start waiting for the applicant (no-op if already)."""
    clock = application.decision_clock()
    if clock is None or not clock.is_running:
        return {}
    stops = [*application.clock_stops, [on.isoformat(), None]]
    return {"clock_stops": stops, "decision_due_on": None}


def restart_clock(application: Application, on: dt.date) -> dict[str, Any]:
    """The fields to save when the last thing we waited for arrives."""
    clock = application.decision_clock()
    if clock is None or clock.is_running:
        return {}
    stops = [list(stop) for stop in application.clock_stops]
    stops[-1][1] = on.isoformat()
    application.clock_stops = stops
    restarted = application.decision_clock()
    return {"clock_stops": stops, "decision_due_on": restarted.due_on() if restarted else None}
