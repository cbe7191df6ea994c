"""The only code that writes notifications. Keyword-only, atomic, audited, emails queued in
the same transaction (so a message exists if and only if its cause committed)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.services import record, record_about, with_reference
from portal.emails.services import queue_email
from portal.forms import engine
from portal.forms.models import DraftStatus
from portal.notifications import (
    attachments,
    cases,
    permissions,
    scheduled_changes,
    selectors,
    webhook_events,
)
from portal.notifications.audit_verbs import NotificationsVerb
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.engine_contexts import context_for
from portal.notifications.errors import NotificationError, refused
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
    NotificationStatus,
)
from portal.notifications.services_drafts import definition_of as definition_of
from portal.notifications.services_drafts import discard_draft as discard_draft
from portal.notifications.services_drafts import (
    first_answers,
    record_saved,
    record_started,
    refuse_unless_open,
)
from portal.notifications.services_drafts import save_page as save_page
from portal.notifications.services_drafts import start_draft as start_draft
from portal.register.models import Location, Person, Provider
from portal.staff_permissions import StaffPermission, has_staff_permission
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.services import lock, mark_locked, record_start, transition


def inbox_email() -> str:
    """Where provider updates go when no member of staff is handling the notification."""
    return str(settings.NOTIFICATIONS_INBOX_EMAIL)


# ---------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------


def _provider_recipients(notification: Notification) -> list[str]:
    recipients = [notification.submitted_by.email]
    contact = notification.answers.get("contact_email")
    if contact and contact.lower() not in recipients:
        recipients.append(contact.lower())
    return recipients


def _email_provider(notification: Notification, template: str, **context: Any) -> None:
    """Queue one email to the sender and one to the contact they named (if different), each
    naming the notification by reference and type."""
    context.update(reference=notification.reference, type_name=definition_of(notification).name)
    for address in _provider_recipients(notification):
        queue_email(to=address, template=template, context=context)


def _next_due(definition: NotificationType, answers: dict[str, Any]) -> tuple[dt.date | None, str]:
    owed = definition.due_after
    if owed is None:
        return None, ""
    if owed.condition is not None and not owed.condition.holds(answers):
        return None, ""
    return owed.due_on(answers), owed.label


@transaction.atomic
def submit_draft(
    *,
    draft_id: Any,
    user: User,
    declaration_confirmed: bool,
    request: HttpRequest | None = None,
) -> Notification:
    """Turn a complete draft into one notification. Replays return the same notification:
    the draft row is locked, and a submitted draft already points at its notification."""
    draft = (
        NotificationDraft.objects.select_for_update(of=("self",))
        .select_related("provider", "location")
        .get(pk=draft_id)
    )
    if not permissions.can_edit_draft(user, draft):
        # Outside the user's scope the draft does not exist for them.
        raise NotificationDraft.DoesNotExist
    if not permissions.can_send(user, draft):
        raise refused(NotificationError.SEND_NOT_PERMITTED)
    if draft.status == DraftStatus.SUBMITTED:
        return Notification.objects.get(draft=draft)
    refuse_unless_open(draft)
    definition = definition_of(draft)
    context = context_for(definition, draft)
    if engine.incomplete_pages(definition, draft.answers, context):
        raise refused(NotificationError.ANSWERS_INCOMPLETE)
    return _send(draft, definition, context, user, declaration_confirmed, request)


@transaction.atomic(savepoint=False)  # the API's run_once holds the savepoint a refusal undoes
def send_checked(
    *,
    user: User,
    provider: Provider,
    location: Location | None,
    definition: NotificationType,
    answers: dict[str, Any],
    declaration_confirmed: bool,
    request: HttpRequest | None = None,
) -> Notification:
    """Start, fill and send a notification in one go (the API): the same refusals, rows,
    audit events (draft started, its one page "all" saved, sent), case, webhook events
    and receipt email as the web's three steps. `answers` must be what the form engine
    stored after finding every visible page valid in this request (portal.api.answers
    checks them page by page), so they are not checked a second time here. The draft row
    is written once, already sent: nobody else can see it before this transaction ends."""
    first = first_answers(user, provider, location, definition)
    draft = NotificationDraft(
        type_slug=definition.slug,
        version=definition.version,
        provider=provider,
        location=location,
        answers=first,
        created_by=user,
        last_edited_by=user,
    )
    if not permissions.can_send(user, draft):
        raise refused(NotificationError.SEND_NOT_PERMITTED)
    draft.answers = engine.prune(definition, engine.merge_answers(first, answers))
    draft.completed_pages = ["all"]
    draft.revision = 2
    draft.status = DraftStatus.SUBMITTED
    draft.save(force_insert=True)
    context = context_for(definition, draft)
    record_started(draft, definition, request)
    record_saved(draft, "all", True, request)
    return _send(draft, definition, context, user, declaration_confirmed, request)


def _send(
    draft: NotificationDraft,
    definition: NotificationType,
    context: engine.EngineContext,
    user: User,
    declaration_confirmed: bool,
    request: HttpRequest | None,
) -> Notification:
    """The notification from a complete draft (marked sent unless it already is)."""
    waiting = engine.files_being_checked(definition, draft.answers, context)
    if waiting:
        raise refused(
            NotificationError.FILES_BEING_CHECKED, attachments.still_checking_message(waiting)
        )
    if definition.declaration and not declaration_confirmed:
        raise refused(NotificationError.DECLARATION_NOT_CONFIRMED)
    now = timezone.now()
    answers = dict(draft.answers)
    due_on = definition.deadline.due_on(answers)
    next_due_on, next_due_label = _next_due(definition, answers)
    notification = Notification.objects.create(
        type_slug=draft.type_slug,
        version=draft.version,
        provider_id=draft.provider_id,
        location_id=draft.location_id,
        answers=answers,
        urgency=definition.urgency,
        draft=draft,
        submitted_by=user,
        submitted_at=now,
        due_on=due_on,
        late=bool(due_on and timezone.localdate(now) > due_on),
        next_due_on=next_due_on,
        next_due_label=next_due_label,
        last_activity_at=now,
    )
    record_start(notification, action="submit", actor=user)
    cases.open_for(
        notification,
        actor=user,
        provider=draft.provider,
        location=draft.location,
        subject_is_new=True,
        request=request,
    )
    attachments.hand_over(draft=draft, notification=notification, context=context)
    if draft.status != DraftStatus.SUBMITTED:
        draft.status = DraftStatus.SUBMITTED
        draft.last_edited_by = user
        draft.save(update_fields=["status", "last_edited_by", "updated_at"])
    # "draft": the events before sending (its files' among them) are the draft's, which has
    # no reference; this is the one event that knows both, so the log leads from one to the other.
    record_about(
        notification,
        verb=NotificationsVerb.SUBMITTED,
        actor=user,
        data={"type": draft.type_slug, "version": draft.version, "draft": str(draft.pk)},
        request=request,
    )
    _email_provider(
        notification,
        "notification_receipt",
        provider_name=draft.provider.name,
        location_name=draft.location.name if draft.location else "",
        submitted_at=now,
        next_due_label=next_due_label,
        next_due_on=next_due_on,
    )
    return notification


# ---------------------------------------------------------------------------------------
# The thread: updates, questions and answers
# ---------------------------------------------------------------------------------------


def _transition(notification: Notification, action: str, **kwargs: Any) -> None:
    """A lifecycle move (portal.workflow): status-change row and audit event included."""
    try:
        transition(notification, action, **kwargs)
    except TransitionRefused as refusal:
        raise refused(NotificationError.NOT_NOW, refusal.reason) from refusal
    cases.follow(notification, action, actor=kwargs.get("actor"))


def _locked(notification_id: int, *, with_staff_email: bool = False) -> Notification:
    locking = Notification.objects.select_for_update(of=("self",))
    if with_staff_email:
        locking = selectors.with_last_staff_email(locking)
    return lock(locking.select_related("provider", "location", "submitted_by"), pk=notification_id)


@transaction.atomic
def add_update(
    *,
    notification_id: int,
    user: User,
    follow_up_key: str,
    answers: dict[str, Any],
    body: str,
    request: HttpRequest | None = None,
) -> NotificationMessage:
    notification = _locked(notification_id, with_staff_email=True)
    if not permissions.can_send(user, notification):
        raise refused(NotificationError.UPDATE_NOT_PERMITTED)
    definition = definition_of(notification)
    if follow_up_key and definition.follow_up(follow_up_key) is None:
        raise refused(NotificationError.UNKNOWN_FOLLOW_UP)
    if notification.status in (NotificationStatus.ACCEPTED, NotificationStatus.REJECTED):
        raise refused(NotificationError.ALREADY_DECIDED)
    changes: dict[str, Any] = {"last_activity_at": timezone.now()}
    owed = definition.due_after
    if owed and follow_up_key == owed.satisfied_by:
        changes.update(next_due_on=None, next_due_label="")
    _transition(
        notification,
        "provider_update",
        actor=user,
        changes=changes,
        verb=NotificationsVerb.UPDATE_ADDED,
        data=with_reference(notification, {"follow_up": follow_up_key}),
        request=request,
    )
    message = NotificationMessage.objects.create(
        notification=notification,
        kind=MessageKind.UPDATE,
        follow_up_key=follow_up_key,
        answers=answers,
        body=body,
        author=user,
    )
    follow_up = definition.follow_up(follow_up_key) if follow_up_key else None
    queue_email(
        to=notification.last_staff_email or inbox_email(),  # type: ignore[attr-defined]
        template="notification_update",
        context={
            "reference": notification.reference,
            "type_name": definition.name,
            "provider_name": notification.provider.name,
            "update_name": follow_up.name if follow_up else "New information",
        },
    )
    return message


@transaction.atomic
def ask_question(
    *, notification_id: int, staff: User, body: str, request: HttpRequest | None = None
) -> NotificationMessage:
    if not has_staff_permission(staff, StaffPermission.DECIDE_NOTIFICATIONS):
        raise refused(NotificationError.STAFF_ONLY, "Only regulator staff can ask questions.")
    notification = _locked(notification_id)
    _transition(
        notification,
        "ask_question",
        actor=staff,
        changes={"last_activity_at": timezone.now()},
        verb=NotificationsVerb.QUESTION_ASKED,
        data=with_reference(notification),
        request=request,
    )
    message = NotificationMessage.objects.create(
        notification=notification, kind=MessageKind.QUESTION, body=body, author=staff
    )
    _email_provider(notification, "notification_question", question=body)
    webhook_events.question_asked(notification, message)
    return message


@transaction.atomic
def answer_question(
    *,
    question_id: int,
    user: User,
    body: str,
    notification_id: int | None = None,
    request: HttpRequest | None = None,
) -> NotificationMessage:
    """Answer a question (of the notification `notification_id`, when given: a page names
    both). The question and its notification are read and locked in one statement."""
    of_notification = {} if notification_id is None else {"notification_id": notification_id}
    question = (
        NotificationMessage.objects.select_for_update(of=("self", "notification"))
        .select_related(
            "author",
            "notification__provider",
            "notification__location",
            "notification__submitted_by",
        )
        .get(pk=question_id, kind=MessageKind.QUESTION, **of_notification)
    )
    notification = question.notification
    mark_locked(notification)
    if not permissions.can_send(user, notification):
        raise refused(NotificationError.ANSWER_NOT_PERMITTED)
    if question.answered:
        raise refused(NotificationError.QUESTION_ALREADY_ANSWERED)
    answer = question.reply(
        kind=MessageKind.ANSWER, body=body, author=user, notification=notification
    )
    audit: dict[str, Any] = {
        "verb": NotificationsVerb.QUESTION_ANSWERED,
        "data": with_reference(notification, {"question": question.pk}),
        "request": request,
    }
    try:
        changes = {"last_activity_at": timezone.now()}
        transition(notification, "questions_answered", actor=user, changes=changes, **audit)
        cases.follow(notification, "questions_answered", actor=user)
    except TransitionRefused:
        # Other questions are still open (or none was): the status stays as it is.
        notification.last_activity_at = timezone.now()
        notification.save(update_fields=["last_activity_at"])
        record(actor=user, target=notification, **audit)
    queue_email(
        to=question.author.email,
        template="notification_answer",
        context={
            "reference": notification.reference,
            "type_name": definition_of(notification).name,
            "provider_name": notification.provider.name,
        },
    )
    return answer


# ---------------------------------------------------------------------------------------
# Staff decisions
# ---------------------------------------------------------------------------------------


def _staff_status_change(
    *,
    notification_id: int,
    staff: User,
    action: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Notification:
    if not has_staff_permission(staff, StaffPermission.DECIDE_NOTIFICATIONS):
        raise refused(NotificationError.STAFF_ONLY)
    notification = _locked(notification_id)
    now = timezone.now()
    _transition(
        notification,
        action,
        actor=staff,
        reason=reason,
        changes={
            "last_activity_at": now,
            "decided_by": staff,
            "decided_at": now,
            "decision_reason": reason,
        },
        data=with_reference(notification, {"reason": reason}),
        request=request,
    )
    webhook_events.decided(notification, action)
    return notification


@transaction.atomic
def mark_reviewed(
    *, notification_id: int, staff: User, request: HttpRequest | None = None
) -> Notification:
    return _staff_status_change(
        notification_id=notification_id, staff=staff, action="mark_reviewed", request=request
    )


@transaction.atomic
def close(
    *, notification_id: int, staff: User, reason: str = "", request: HttpRequest | None = None
) -> Notification:
    return _staff_status_change(
        notification_id=notification_id, staff=staff, action="close", reason=reason, request=request
    )


def _email_decision(notification: Notification) -> None:
    _email_provider(
        notification,
        "notification_decision",
        accepted=notification.status == NotificationStatus.ACCEPTED,
        reason=notification.decision_reason,
        takes_effect_on=notification.change_pending_until,
    )


@transaction.atomic
def accept_change(
    *, notification_id: int, staff: User, request: HttpRequest | None = None
) -> Notification:
    """Accept a change of contact details; a new email for a registered person goes into the
    register (which tells accounts, so the person can sign up with it)."""
    notification = _staff_status_change(
        notification_id=notification_id, staff=staff, action="accept", request=request
    )
    # Dated ahead, it waits for its day: the worker's sweep then calls apply_accepted_change.
    if not scheduled_changes.hold_if_dated(notification=notification, staff=staff, request=request):
        apply_accepted_change(notification=notification, actor=staff)
    _email_decision(notification)
    return notification


def apply_accepted_change(*, notification: Notification, actor: User | None) -> None:
    """Put an accepted change into the register: now, or on its date (scheduled_changes)."""
    answers = notification.answers
    if answers.get("new_email") and answers.get("changed_person"):
        from portal.register.services import change_person_email

        person = Person.objects.get(person_ref=answers["changed_person"])
        change = change_person_email(
            person=person,
            new_email=answers["new_email"],
            actor=actor,
            reason=f"Change of contact details {notification.reference}",
            source=notification.reference,
        )
        if change.waiting_for_the_person:
            _note_on_decision(
                notification,
                f"{person.full_name} has an account, so the new email address takes effect "
                "only when they confirm it with a code we sent to that address. Until then "
                "they sign in with their current address, which we have told how to stop it.",
            )


def _note_on_decision(notification: Notification, note: str) -> None:
    """Add `note` to the decision both sides see (both notification pages and the email)."""
    notification.decision_reason = note
    notification.save(update_fields=["decision_reason"])


@transaction.atomic
def reject_change(
    *, notification_id: int, staff: User, reason: str, request: HttpRequest | None = None
) -> Notification:
    if not reason.strip():
        raise refused(NotificationError.REJECTION_REASON_MISSING)
    notification = _staff_status_change(
        notification_id=notification_id,
        staff=staff,
        action="reject",
        reason=reason,
        request=request,
    )
    _email_decision(notification)
    return notification
