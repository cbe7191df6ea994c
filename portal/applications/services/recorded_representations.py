"""Representations the regulator received in writing outside the service (a letter, an
email) about a notice of proposal: an assessor records them, and the application moves on
exactly as if the applicant had made them online (portal.applications.services.submission)."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from portal.applications.models import ApplicationMessage, MessageKind
from portal.applications.services.common import (
    email_applicant,
    locked,
    move,
    require_assessor,
    required_text,
)


@transaction.atomic
def record_representations(
    *, application_id: Any, staff: Any, body: str, request: HttpRequest | None = None
) -> ApplicationMessage:
    """Within the 28 days only (the lifecycle's guard says until when); the applicant is
    told they were received, so nothing sent by post goes unacknowledged."""
    require_assessor(staff)
    application = locked(application_id)
    text = required_text(body, field="body", empty="Enter the representations as you received them")
    move(
        application,
        "make_representations",
        actor=staff,
        data={"received": "in writing, recorded by the regulator"},
        request=request,
    )
    message = ApplicationMessage.objects.create(
        application=application, kind=MessageKind.REPRESENTATIONS, body=text, author=staff
    )
    email_applicant(application, "application_representations_recorded")
    return message
