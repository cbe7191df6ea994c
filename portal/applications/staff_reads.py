"""What an application's staff page reads: the application, its parts, messages,
appointments, notices, declarations and status changes (and the applicant's status page, all
but the parts). Each query is compiled once
(portal.compiled_queries): building them, with their joins, cost the page more than
PostgreSQL took to answer them. Staff see every application that has been sent."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from portal.applications.models import (
    Application,
    ApplicationMessage,
    ApplicationPart,
    Appointment,
    Declaration,
    MessageKind,
    Notice,
)
from portal.applications.stages import Stage
from portal.compiled_queries import CompiledObjects
from portal.workflow.models import StatusChange

# Two keys no application has.
_STAND_INS = (UUID(int=1), UUID(int=2))

_APPLICATION = CompiledObjects.by_key(
    Application.objects.select_related("provider", "location", "assessor", "submitted_by"),
    _STAND_INS,
)
_UNSENT = (Stage.DRAFT, Stage.DISCARDED)


def sent_application(application_id: UUID) -> Application | None:
    """The application, with its provider, location, assessor and sender; None if there is
    none or it has not been sent."""
    application: Application | None = _APPLICATION.one(application_id)
    if application is None or application.stage in _UNSENT:
        return None
    return application


def _of_application(queryset: QuerySet[Any]) -> CompiledObjects:
    return CompiledObjects(
        lambda application_id: queryset.filter(application_id=application_id),
        {"application_id": _STAND_INS},
        fields={"application_id": Application._meta.get_field("id")},
        prepared=True,
    )


_PARTS = _of_application(ApplicationPart.objects.order_by("slot", "kind"))
_MESSAGES = _of_application(ApplicationMessage.objects.order_by("created_at", "id"))
_APPOINTMENTS = _of_application(Appointment.objects.order_by("on", "id"))
_NOTICES = _of_application(Notice.objects.defer("pdf").order_by("served_at", "id"))
_DECLARATIONS = _of_application(Declaration.objects.all())
# The latest reasons for a return (the ORM's `.last()` by the messages' own order).
_RETURN_REASONS = CompiledObjects(
    lambda application_id: ApplicationMessage.objects.filter(
        application_id=application_id, kind=MessageKind.RETURN_REASONS
    ).order_by("-created_at", "-id")[:1],
    {"application_id": _STAND_INS},
    fields={"application_id": Application._meta.get_field("id")},
    prepared=True,
)
# workflow.selectors.timeline's query for an application.
_TIMELINE = CompiledObjects(
    lambda subject_id: StatusChange.objects.filter(
        subject_type=Application._meta.label_lower, subject_id=subject_id
    ).select_related("actor"),
    {"subject_id": (str(_STAND_INS[0]), str(_STAND_INS[1]))},
    prepared=True,
)


@dataclass(frozen=True)
class StatusLists:
    thread: list[ApplicationMessage]
    appointments: list[Appointment]
    notices: list[Notice]
    declarations: list[Declaration]
    timeline: list[StatusChange]


@dataclass(frozen=True)
class StaffLists(StatusLists):
    parts: list[ApplicationPart]


def status_lists(application: Application) -> StatusLists:
    """The lists the applicant's status page shows of `application`, each in the page's
    order (the staff page's, without the parts)."""
    key = application.pk
    return StatusLists(
        thread=_MESSAGES.objects(application_id=key),
        appointments=_APPOINTMENTS.objects(application_id=key),
        notices=_NOTICES.objects(application_id=key),
        declarations=_DECLARATIONS.objects(application_id=key),
        timeline=_TIMELINE.objects(subject_id=str(key)),
    )


def staff_lists(application: Application) -> StaffLists:
    """The lists the staff page shows of `application`, each in the page's order."""
    shown = status_lists(application)
    return StaffLists(parts=_PARTS.objects(application_id=application.pk), **vars(shown))


def returned_reasons(application: Application) -> ApplicationMessage | None:
    """The latest message giving the reasons `application` was returned, if any (the task
    list shows it)."""
    found = _RETURN_REASONS.objects(application_id=application.pk)
    return found[0] if found else None
