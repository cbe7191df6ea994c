"""The applicant's side after the answers: signing and sending, withdrawing, answering the
regulator's requests for information, and representations about a notice of proposal."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.applications import permissions
from portal.applications.audit_verbs import ApplicationsVerb
from portal.applications.completeness import definition_of
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import (
    Application,
    ApplicationMessage,
    Declaration,
    MessageKind,
    answers_hash,
)
from portal.applications.services.common import (
    TEXT_MAX,
    email_applicant,
    email_regulator,
    locked,
    locked_to_prepare,
    move,
    required_text,
    restart_clock,
    today,
    validation_due,
)
from portal.applications.stages import Stage
from portal.audit.services import record_about
from portal.forms.models import DraftStatus


def _hidden() -> ApplicationError:
    return ApplicationError(ApplicationErrorCode.NOT_FOUND, "This application does not exist.")


@transaction.atomic
def sign_and_submit(
    *,
    application_id: Any,
    user: Any,
    declaration_confirmed: bool,
    request: HttpRequest | None = None,
) -> Application:
    """Sign the declaration and send the application (or send a returned one again).

    A replay (double click, back button, retry) after it was sent returns the same
    application: the row is locked and only a draft or a returned application moves."""
    application, definition = locked_to_prepare(application_id, user)
    if not application.is_editable:
        if application.submitted_by_id is not None and application.stage not in (
            Stage.DISCARDED,
            Stage.WITHDRAWN,
        ):
            return application
        raise ApplicationError(
            ApplicationErrorCode.NOT_EDITABLE, "This application cannot be sent now."
        )
    refusal = permissions.signing_refusal(user, application, definition)
    if refusal:
        raise ApplicationError(ApplicationErrorCode.CANNOT_SIGN, refusal)
    if not declaration_confirmed:
        raise ApplicationError(
            ApplicationErrorCode.DECLARATION_NOT_CONFIRMED,
            "Confirm the declaration to send the application",
            field="confirm",
        )
    action = "submit" if application.stage == Stage.DRAFT else "resubmit"
    now = timezone.now()
    move(
        application,
        action,
        actor=user,
        changes={
            "status": DraftStatus.SUBMITTED,
            "submitted_by": user,
            "submitted_at": application.submitted_at or now,
            "validation_due_on": validation_due(today()),
        },
        request=request,
    )
    digest = answers_hash(application.answers)
    capacity = permissions.capacity_of(user, application, definition)
    Declaration.objects.create(
        application=application,
        signed_by=user,
        signer_label=user.email,
        capacity=capacity,
        signed_at=now,
        definition_slug=definition.slug,
        definition_version=definition.version,
        answers_sha256=digest,
        statement=definition.declaration,
    )
    record_about(
        application,
        verb=ApplicationsVerb.SIGNED,
        actor=user,
        request=request,
        data={"capacity": capacity, "answers_sha256": digest, "version": definition.version},
    )
    email_applicant(
        application,
        "application_received",
        validation_due_on=application.validation_due_on,
        resubmitted=action == "resubmit",
    )
    email_regulator(application, "application_for_validation", resubmitted=action == "resubmit")
    return application


@transaction.atomic
def withdraw(
    *, application_id: Any, user: Any, reason: str, request: HttpRequest | None = None
) -> Application:
    """The applicant withdraws: allowed until a notice of proposal is served."""
    application, definition = locked_to_prepare(application_id, user)
    if application.stage == Stage.WITHDRAWN:
        return application
    if permissions.signing_refusal(user, application, definition):
        raise ApplicationError(
            ApplicationErrorCode.CANNOT_SIGN,
            "Only someone who can sign this application can withdraw it.",
        )
    cleaned = (reason or "").strip()[:TEXT_MAX]
    move(
        application,
        "withdraw",
        actor=user,
        reason=cleaned,
        changes={"withdrawn_reason": cleaned, "decision_due_on": None},
        request=request,
    )
    ApplicationMessage.objects.create(
        application=application, kind=MessageKind.WITHDRAWAL, body=cleaned, author=user
    )
    email_applicant(application, "application_withdrawn")
    email_regulator(application, "application_withdrawn")
    return application


def _may_reply(user: Any, application: Application) -> None:
    definition = definition_of(application)
    if not permissions.can_view(user, application) or not permissions.can_prepare(
        user, application, definition
    ):
        raise _hidden()


@transaction.atomic
def respond_to_request(
    *,
    application_id: Any,
    request_id: int,
    user: Any,
    body: str,
    request: HttpRequest | None = None,
) -> ApplicationMessage:
    """Answer a request for information; the last answer restarts the decision clock."""
    application = locked(application_id)
    _may_reply(user, application)
    text = required_text(body, field="body", empty="Enter your answer", what="Your answer")
    question = (
        ApplicationMessage.objects.select_for_update()
        .filter(application=application, pk=request_id, kind=MessageKind.INFORMATION_REQUEST)
        .first()
    )
    if question is None:
        raise _hidden()
    if question.answered:
        raise ApplicationError(
            ApplicationErrorCode.INVALID, "This request has already been answered."
        )
    answer = question.reply(
        kind=MessageKind.INFORMATION_RESPONSE, body=text, author=user, application=application
    )
    if not application.messages.filter(
        kind=MessageKind.INFORMATION_REQUEST, answered=False
    ).exists():
        changes = restart_clock(application, today())
        move(application, "information_provided", actor=user, changes=changes, request=request)
    else:
        application.last_activity_at = timezone.now()
        application.save(update_fields=["last_activity_at"])
    email_regulator(application, "application_information_received")
    return answer


@transaction.atomic
def make_representations(
    *, application_id: Any, user: Any, body: str, request: HttpRequest | None = None
) -> ApplicationMessage:
    """Written representations about a notice of proposal, within 28 days of it."""
    application = locked(application_id)
    _may_reply(user, application)
    text = required_text(body, field="body", empty="Enter your representations", what="Your answer")
    move(application, "make_representations", actor=user, request=request)
    message = ApplicationMessage.objects.create(
        application=application, kind=MessageKind.REPRESENTATIONS, body=text, author=user
    )
    email_regulator(application, "application_representations")
    return message


@transaction.atomic
def declare_no_representations(
    *, application_id: Any, user: Any, request: HttpRequest | None = None
) -> ApplicationMessage:
    """The applicant confirms in writing they will make no representations, so the
    regulator may decide without waiting for the 28 days."""
    application = locked(application_id)
    _may_reply(user, application)
    move(application, "no_representations", actor=user, request=request)
    message = ApplicationMessage.objects.create(
        application=application,
        kind=MessageKind.NO_REPRESENTATIONS,
        body="The applicant will not make representations.",
        author=user,
    )
    email_regulator(application, "application_representations")
    return message
