"""Notifications through the API: the catalogue, validating and sending, the provider's
list, one notification with its thread, updates, and answers to the regulator's questions.
Every write goes through portal.notifications.services, as the web pages do."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from portal.api import answers as answer_checks
from portal.api.auth import actor_of
from portal.api.cursors import page
from portal.api.errors import ApiError, refused
from portal.api.idempotency import run_once
from portal.api.models import ApiKeyActor
from portal.api.problems import AnswersInvalid
from portal.api.schemas import (
    AnswerIn,
    MessageOut,
    NotificationDetail,
    NotificationIn,
    NotificationOut,
    NotificationPage,
    Problem,
    TypeSummary,
    UpdateIn,
    ValidationOut,
    from_row,
)
from portal.notifications import engine_contexts, selectors, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.build import CONTEXT_PRIMARY_MEDICAL
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.errors import NotificationError
from portal.notifications.errors import refused as notification_refused
from portal.notifications.forms import UpdateForm
from portal.notifications.models import MessageKind, Notification, NotificationMessage
from portal.notifications.permissions import can_notify_for, visible_notification
from portal.organisations.access import can, provider_access
from portal.organisations.permissions import Permission
from portal.register.location_kinds import location_with_kinds
from portal.register.models import Location, Provider

router = Router(tags=["notifications"])
catalogue_router = Router(tags=["catalogue"])

ERRORS = (400, 401, 403, 404, 409, 413, 422, 429)
_ANSWERS_NEED_FOLLOW_UP = "Answers go with a follow_up: send new information as body."
_NO_BODY_WITH_FOLLOW_UP = (
    "A structured update has no body: put what else there is to say in its answers."
)


def errors(*statuses: int) -> dict[int, Any]:
    """The problem responses an operation documents (api.py adds those any may give)."""
    return {status: Problem for status in statuses}


# Catalogue ----------------------------------------------------------------------------


def _summary(definition: NotificationType) -> TypeSummary:
    return from_row(
        TypeSummary,
        definition,
        type=definition.slug,
        for_provider=definition.scope.provider,
        for_location=definition.scope.location,
        needs_declaration=bool(definition.declaration),
        follow_ups=[follow_up.key for follow_up in definition.follow_ups],
    )


@catalogue_router.get(
    "/types", response={200: list[TypeSummary], **errors(401, 429)}, summary="Notification types"
)
def list_types(request: HttpRequest) -> list[TypeSummary]:
    """Every notification type and version that can be sent, newest version first."""
    ordered = sorted(CATALOGUE.all_versions(), key=lambda d: (d.slug, -d.version))
    return [_summary(definition) for definition in ordered]


@catalogue_router.get(
    "/types/{type_name}/versions/{version}/schema",
    response={200: dict[str, Any], **errors(401, 404, 429)},
    summary="JSON Schema of a type's answers",
)
def type_schema(
    request: HttpRequest, type_name: str, version: int = Path(..., ge=1, le=10_000)
) -> dict[str, Any]:
    definition = CATALOGUE.get(type_name, version)
    if definition is None:
        raise refused(
            ApiError.NOT_FOUND, "There is no notification type with that name and version."
        )
    return definition.json_schema()


@catalogue_router.get(
    "/types/{type_name}/versions/{version}/follow-ups/{follow_up}/schema",
    response={200: dict[str, Any], **errors(401, 404, 429)},
    summary="JSON Schema of a structured update's answers",
)
def follow_up_schema(
    request: HttpRequest,
    type_name: str,
    follow_up: str,
    version: int = Path(..., ge=1, le=10_000),
) -> dict[str, Any]:
    """The answers `POST /notifications/{reference}/updates` takes with this `follow_up`."""
    definition = CATALOGUE.get(type_name, version)
    kind = definition.follow_up(follow_up) if definition is not None else None
    if definition is None or kind is None:
        raise refused(ApiError.NOT_FOUND, "This notification type and version has no such update.")
    return answer_checks.follow_up_schema(definition, kind)


# Helpers ------------------------------------------------------------------------------


def _provider(actor: ApiKeyActor, provider_id: str) -> Provider:
    access = provider_access(actor, provider_id)
    if access is None:
        raise refused(ApiError.NOT_FOUND, "No such provider in this key's scope.")
    return access.provider


def _definition(body: NotificationIn) -> NotificationType:
    definition = (
        CATALOGUE.current(body.type)
        if body.version is None
        else CATALOGUE.get(body.type, body.version)
    )
    if definition is None:
        raise refused(ApiError.UNKNOWN_TYPE)
    return definition


def _location(provider: Provider, location_id: str | None) -> Location | None:
    if location_id is None:
        return None
    # Its activities and service types come with it: the type's rules read them here and
    # again when the draft starts (the same object), one query each instead of two.
    location = location_with_kinds(provider.pk, location_id)
    if location is None:
        raise notification_refused(NotificationError.NOT_IN_SCOPE)
    return location


def _checked(
    actor: ApiKeyActor, provider: Provider, body: NotificationIn
) -> tuple[NotificationType, Location | None, dict[str, Any], list[dict[str, str]]]:
    definition = _definition(body)
    location = _location(provider, body.location_id)
    if not can_notify_for(actor, provider, location):
        raise notification_refused(NotificationError.NOT_IN_SCOPE)
    target = engine_contexts.notifying_for(provider, location)
    refusal = definition.refusal(target)
    if refusal:
        raise notification_refused(NotificationError.TYPE_NOT_APPLICABLE, refusal)
    seed = {CONTEXT_PRIMARY_MEDICAL: "yes" if engine_contexts.is_primary_medical(target) else "no"}
    context = engine_contexts.engine_context(
        definition, provider.pk, location.pk if location else None
    )
    defaults = {"submitter_email": actor.email, "submitter_name": actor.full_name}
    defaults = {key: value for key, value in defaults.items() if value}
    stored, problems = answer_checks.checked_answers(
        definition, body.answers, context, seed, defaults
    )
    return definition, location, stored, problems


def notification_out(notification: Notification) -> NotificationOut:
    return from_row(
        NotificationOut,
        notification,
        type=notification.type_slug,
        submitted_by=notification.submitted_by.email,
    )


def message_out(message: NotificationMessage) -> MessageOut:
    return from_row(
        MessageOut, message, follow_up=message.follow_up_key, in_reply_to=message.in_reply_to_id
    )


# Sending ------------------------------------------------------------------------------


@router.post(
    "/providers/{provider_id}/notifications/validate",
    response={200: ValidationOut, **errors(*ERRORS)},
    summary="Check answers without sending",
)
def validate_notification(
    request: HttpRequest, provider_id: str, body: NotificationIn
) -> HttpResponse:
    """Every problem with the answers, each against its answer's key; nothing is stored.
    (Idempotency-Key is required like every POST, and the first answer is replayed.)"""

    def check(actor: ApiKeyActor) -> tuple[int, ValidationOut]:
        *_checked_parts, problems = _checked(actor, _provider(actor, provider_id), body)
        return 200, ValidationOut(valid=not problems, errors=problems)  # type: ignore[arg-type]

    return run_once(request, check)


@router.post(
    "/providers/{provider_id}/notifications",
    response={201: NotificationOut, **errors(*ERRORS)},
    summary="Send a notification",
)
def submit_notification(
    request: HttpRequest, provider_id: str, body: NotificationIn
) -> HttpResponse:
    """Send a notification of any type: the same checks, reference, receipt email and
    audit as the web pages. Retry with the same Idempotency-Key to get the same answer."""

    def send(actor: ApiKeyActor) -> tuple[int, NotificationOut]:
        provider = _provider(actor, provider_id)
        if not can(actor, Permission.SUBMIT_NOTIFICATIONS, provider=provider):
            raise notification_refused(NotificationError.SEND_NOT_PERMITTED)
        definition, location, stored, problems = _checked(actor, provider, body)
        if problems:
            raise AnswersInvalid(problems)
        # run_once holds the transaction, and a savepoint that a refusal rolls back.
        notification = services.send_checked(
            user=actor,
            provider=provider,
            location=location,
            definition=definition,
            answers=stored,
            declaration_confirmed=body.declaration_confirmed,
            request=request,
        )
        notification.submitted_by = actor
        return 201, notification_out(notification)

    return run_once(request, send)


# Reading ------------------------------------------------------------------------------


class ListFilters(Schema):
    location_id: str = Field(default="", max_length=20)
    type: str = Field(default="", max_length=60)
    status: str = Field(default="", max_length=30)
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    cursor: str = Field(default="", max_length=200)
    limit: int = Field(default=25, ge=1, le=100)


@router.get(
    "/providers/{provider_id}/notifications",
    response={200: NotificationPage, **errors(400, 401, 404, 422, 429)},
    summary="The provider's notifications",
)
def list_notifications(
    request: HttpRequest, provider_id: str, filters: Query[ListFilters]
) -> NotificationPage:
    """Newest first, a page at a time: pass `next_cursor` back as `cursor`."""
    actor = actor_of(request)
    provider = _provider(actor, provider_id)
    history = selectors.history(
        actor,
        selectors.HistoryFilters(
            location_id=filters.location_id,
            type_slug=filters.type,
            status=filters.status,
            submitted_from=filters.submitted_from,
            submitted_to=filters.submitted_to,
        ),
    ).filter(provider=provider)
    rows, next_cursor = page(
        history,
        field="submitted_at",
        cursor=filters.cursor or None,
        limit=min(filters.limit, settings.API_PAGE_SIZE_MAX),
    )
    return NotificationPage(items=[notification_out(n) for n in rows], next_cursor=next_cursor)


def _notification(actor: ApiKeyActor, reference: str) -> Notification:
    notification = visible_notification(actor, reference) if len(reference) < 40 else None
    if notification is None or notification.provider_id != actor.api_key.provider_id:  # type: ignore[attr-defined]
        raise refused(ApiError.NOT_FOUND, "No such notification in this key's scope.")
    return notification


@router.get(
    "/notifications/{reference}",
    response={200: NotificationDetail, **errors(401, 404, 429)},
    summary="One notification, its answers and its thread",
)
def read_notification(request: HttpRequest, reference: str) -> NotificationDetail:
    notification = _notification(actor_of(request), reference)
    return NotificationDetail(
        **notification_out(notification).model_dump(),
        answers=notification.answers,
        thread=[message_out(m) for m in selectors.thread(notification)],
    )


@router.get(
    "/notifications/{reference}/questions",
    response={200: list[MessageOut], **errors(401, 404, 429)},
    summary="The regulator's questions about a notification",
)
def list_questions(request: HttpRequest, reference: str) -> list[MessageOut]:
    notification = _notification(actor_of(request), reference)
    return [
        message_out(m) for m in selectors.thread(notification) if m.kind == MessageKind.QUESTION
    ]


@router.post(
    "/notifications/{reference}/updates",
    response={201: MessageOut, **errors(*ERRORS)},
    summary="Add an update to a notification",
)
def add_update(request: HttpRequest, reference: str, body: UpdateIn) -> HttpResponse:
    """New information in words (`body`), or one of the type's structured updates
    (`follow_up` with its `answers`, checked as the web's update page checks them: see the
    type's `follow_ups` and GET .../follow-ups/{follow_up}/schema)."""

    def send(actor: ApiKeyActor) -> tuple[int, MessageOut]:
        notification = _notification(actor, reference)
        text, answers = _update_content(notification, body)
        message = services.add_update(
            notification_id=notification.pk,
            user=actor,
            follow_up_key=body.follow_up,
            answers=answers,
            body=text,
            request=request,
        )
        return 201, message_out(message)

    return run_once(request, send)


def _update_content(notification: Notification, body: UpdateIn) -> tuple[str, dict[str, Any]]:
    """The update's words, or its structured answers, checked as on the web."""
    if not body.follow_up:
        if body.answers:
            raise AnswersInvalid([{"key": "answers", "message": _ANSWERS_NEED_FOLLOW_UP}])
        form = UpdateForm({"body": body.body})
        if not form.is_valid():
            raise AnswersInvalid(
                [{"key": "body", "message": str(m)} for m in form.errors.get("body", [])]
            )
        return form.cleaned_data["body"], {}
    definition = services.definition_of(notification)
    follow_up = definition.follow_up(body.follow_up)
    if follow_up is None:
        raise notification_refused(NotificationError.UNKNOWN_FOLLOW_UP)
    if body.body:
        raise AnswersInvalid([{"key": "body", "message": _NO_BODY_WITH_FOLLOW_UP}])
    context = engine_contexts.engine_context(
        definition, notification.provider_id, notification.location_id
    )
    answers, problems = answer_checks.checked_follow_up(
        definition, follow_up, body.answers, context
    )
    if problems:
        raise AnswersInvalid(problems)
    return "", answers


@router.post(
    "/notifications/{reference}/questions/{question_id}/answer",
    response={201: MessageOut, **errors(*ERRORS)},
    summary="Answer one of the regulator's questions",
)
def answer_question(
    request: HttpRequest,
    reference: str,
    body: AnswerIn,
    question_id: int = Path(..., ge=1, le=2**62),
) -> HttpResponse:

    def send(actor: ApiKeyActor) -> tuple[int, MessageOut]:
        notification = _notification(actor, reference)
        try:
            message = services.answer_question(
                question_id=question_id,
                user=actor,
                body=body.body,
                notification_id=notification.pk,
                request=request,
            )
        except NotificationMessage.DoesNotExist as missing:
            raise refused(
                ApiError.NOT_FOUND, "No such question about this notification."
            ) from missing
        return 201, message_out(message)

    return run_once(request, send)
