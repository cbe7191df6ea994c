"""The only code that writes notifications. Keyword-only, atomic, audited, emails queued in
the same transaction (so a message exists if and only if its cause committed)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from portal.audit.services import record
from portal.emails.services import queue_email
from portal.forms import engine
from portal.forms.models import DraftStatus
from portal.forms.vocabulary import Kind
from portal.notifications import permissions, scheduled_changes, selectors
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.build import CONTEXT_PRIMARY_MEDICAL
from portal.notifications.catalogue.schema import NotificationType, NotifyingFor
from portal.notifications.models import (
    MessageKind,
    Notification,
    NotificationDraft,
    NotificationMessage,
    NotificationStatus,
)
from portal.register.models import Location, Person, Provider, RoleAssignment
from portal.staff_permissions import StaffPermission, has_staff_permission
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.services import lock, record_start, transition


class NotificationError(Exception):
    """A request the rules refuse; the message is fit to show the user."""


def inbox_email() -> str:
    """Where provider updates go when no member of staff is handling the notification."""
    return str(settings.NOTIFICATIONS_INBOX_EMAIL)


# ---------------------------------------------------------------------------------------
# What a definition needs to know about the provider and location
# ---------------------------------------------------------------------------------------


def notifying_for(provider: Provider, location: Location | None) -> NotifyingFor:
    if location is None:
        return NotifyingFor(ownership_type=provider.ownership_type, location_chosen=False)
    return NotifyingFor(
        ownership_type=provider.ownership_type,
        location_chosen=True,
        activity_names=frozenset(a.name for a in location.activities.all()),
        service_type_names=frozenset(
            name for s in location.service_types.all() for name in (s.name, s.description) if name
        ),
    )


def _is_primary_medical(target: NotifyingFor) -> bool:
    names = " ".join(target.service_type_names).lower()
    return "doctors" in names or "gp" in names.split() or "primary medical" in names


def engine_context(
    definition: NotificationType, provider_id: str, location_id: str | None
) -> engine.EngineContext:
    """The registered people a question may ask about: those with live roles here (1 query,
    and none for definitions that never ask about a registered person)."""
    if not any(q.kind == Kind.REGISTERED_PERSON for q in definition.questions()):
        return engine.EngineContext()
    roles = RoleAssignment.objects.live().filter(provider_id=provider_id)
    if location_id is not None and any(q.only_people_in_scope for q in definition.questions()):
        roles = roles.filter(location_id=location_id)
    elif location_id is not None:
        # About one location: the provider's people and that location's managers.
        roles = roles.filter(Q(location__isnull=True) | Q(location_id=location_id))
    roles = roles.select_related("person").order_by(
        "person__family_name", "person__given_name", "role"
    )
    names: dict[str, str] = {}
    role_names: dict[str, list[str]] = {}
    for role in roles:
        ref = role.person.person_ref
        names[ref] = role.person.full_name
        label = role.get_role_display().lower()
        if label not in role_names.setdefault(ref, []):
            role_names[ref].append(label)
    people = {ref: f"{names[ref]} ({', '.join(role_names[ref])})" for ref in names}
    return engine.EngineContext(registered_people=tuple(people.items()))


# ---------------------------------------------------------------------------------------
# Drafts
# ---------------------------------------------------------------------------------------


@transaction.atomic
def start_draft(
    *,
    user: Any,
    provider: Provider,
    location: Location | None,
    definition: NotificationType,
    request: HttpRequest | None = None,
) -> NotificationDraft:
    if not permissions.can_notify_for(user, provider, location):
        raise NotificationError("You cannot send notifications for this provider or location.")
    if location is None and not permissions.can_notify_for_provider_as_a_whole(user, provider):
        raise NotificationError("Only people registered for the whole provider can send this.")
    target = notifying_for(provider, location)
    refusal = definition.refusal(target)
    if refusal:
        raise NotificationError(refusal)
    answers: dict[str, Any] = {
        CONTEXT_PRIMARY_MEDICAL: "yes" if _is_primary_medical(target) else "no",
        "submitter_email": user.email,
    }
    if getattr(user, "full_name", ""):
        answers["submitter_name"] = user.full_name
    draft = NotificationDraft.objects.create(
        type_slug=definition.slug,
        version=definition.version,
        provider=provider,
        location=location,
        answers=answers,
        created_by=user,
        last_edited_by=user,
    )
    record(
        verb="notifications.draft_started",
        actor=user,
        target=draft,
        data={"type": definition.slug, "version": definition.version},
        request=request,
    )
    return draft


@dataclass(frozen=True)
class SaveResult:
    draft: NotificationDraft
    # Someone (another tab, or a colleague) saved the draft after this page was opened.
    changed_elsewhere: bool


@transaction.atomic
def save_page(
    *,
    draft_id: Any,
    user: Any,
    page_key: str,
    answers: dict[str, Any],
    complete: bool,
    seen_revision: int | None,
    request: HttpRequest | None = None,
) -> SaveResult:
    """Merge one page's answers into the draft. Only this page's keys change, so two tabs
    working on different pages never overwrite each other."""
    draft = NotificationDraft.objects.select_for_update().get(pk=draft_id)
    if draft.status != DraftStatus.OPEN:
        raise NotificationError("This notification has already been sent.")
    if not permissions.can_edit_draft(user, draft):
        raise NotificationError("You cannot change this draft.")
    changed_elsewhere = draft.save_page(
        definition=definition_of(draft),
        page_key=page_key,
        answers=answers,
        complete=complete,
        user=user,
        seen_revision=seen_revision,
    )
    record(
        verb="notifications.draft_saved",
        actor=user,
        target=draft,
        data={"page": page_key, "complete": complete, "revision": draft.revision},
        request=request,
    )
    return SaveResult(draft=draft, changed_elsewhere=changed_elsewhere)


@transaction.atomic
def discard_draft(*, draft_id: Any, user: Any, request: HttpRequest | None = None) -> None:
    draft = NotificationDraft.objects.select_for_update().get(pk=draft_id)
    if draft.status != DraftStatus.OPEN or not permissions.can_edit_draft(user, draft):
        raise NotificationError("This draft cannot be deleted.")
    draft.status = DraftStatus.DISCARDED
    draft.last_edited_by = user
    draft.save(update_fields=["status", "last_edited_by", "updated_at"])
    record(verb="notifications.draft_discarded", actor=user, target=draft, request=request)


def definition_of(item: NotificationDraft | Notification) -> NotificationType:
    definition = CATALOGUE.get(item.type_slug, item.version)
    if definition is None:  # pragma: no cover - versions are never removed from the catalogue
        raise NotificationError(f"Unknown notification type {item.type_slug} v{item.version}")
    return definition


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
    user: Any,
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
        raise NotificationError(
            "You can prepare this notification, but you do not have permission to send it. "
            "Ask someone who can send notifications for this location to check and send it."
        )
    if draft.status == DraftStatus.SUBMITTED:
        return Notification.objects.get(draft=draft)
    if draft.status != DraftStatus.OPEN:
        raise NotificationError("This draft was deleted.")
    definition = definition_of(draft)
    context = engine_context(definition, draft.provider_id, draft.location_id)
    if engine.incomplete_pages(definition, draft.answers, context):
        raise NotificationError("Answer every question before you send the notification.")
    if definition.declaration and not declaration_confirmed:
        raise NotificationError("Confirm the declaration to send the notification")
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
    draft.status = DraftStatus.SUBMITTED
    draft.last_edited_by = user
    draft.save(update_fields=["status", "last_edited_by", "updated_at"])
    record(
        verb="notifications.submitted",
        actor=user,
        target=notification,
        data={
            "reference": notification.reference,
            "type": draft.type_slug,
            "version": draft.version,
        },
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
    except TransitionRefused as refused:
        raise NotificationError(refused.reason) from refused


def _locked(notification_id: int) -> Notification:
    locking = Notification.objects.select_for_update(of=("self",))
    return lock(locking.select_related("provider", "location", "submitted_by"), pk=notification_id)


@transaction.atomic
def add_update(
    *,
    notification_id: int,
    user: Any,
    follow_up_key: str,
    answers: dict[str, Any],
    body: str,
    request: HttpRequest | None = None,
) -> NotificationMessage:
    notification = _locked(notification_id)
    if not permissions.can_send(user, notification):
        raise NotificationError("You do not have permission to send updates to this notification.")
    definition = definition_of(notification)
    if follow_up_key and definition.follow_up(follow_up_key) is None:
        raise NotificationError("That is not an update this notification takes.")
    if notification.status in (NotificationStatus.ACCEPTED, NotificationStatus.REJECTED):
        raise NotificationError(
            "This notification has been decided. Send a new notification instead."
        )
    changes: dict[str, Any] = {"last_activity_at": timezone.now()}
    owed = definition.due_after
    if owed and follow_up_key == owed.satisfied_by:
        changes.update(next_due_on=None, next_due_label="")
    _transition(
        notification,
        "provider_update",
        actor=user,
        changes=changes,
        verb="notifications.update_added",
        data={"reference": notification.reference, "follow_up": follow_up_key},
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
        to=selectors.last_staff_member_email(notification) or inbox_email(),
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
    *, notification_id: int, staff: Any, body: str, request: HttpRequest | None = None
) -> NotificationMessage:
    if not has_staff_permission(staff, StaffPermission.DECIDE_NOTIFICATIONS):
        raise NotificationError("Only regulator staff can ask questions.")
    notification = _locked(notification_id)
    _transition(
        notification,
        "ask_question",
        actor=staff,
        changes={"last_activity_at": timezone.now()},
        verb="notifications.question_asked",
        data={"reference": notification.reference},
        request=request,
    )
    message = NotificationMessage.objects.create(
        notification=notification, kind=MessageKind.QUESTION, body=body, author=staff
    )
    _email_provider(notification, "notification_question", question=body)
    return message


@transaction.atomic
def answer_question(
    *, question_id: int, user: Any, body: str, request: HttpRequest | None = None
) -> NotificationMessage:
    question = (
        NotificationMessage.objects.select_for_update(of=("self",))
        .select_related("author")
        .get(pk=question_id, kind=MessageKind.QUESTION)
    )
    notification = _locked(question.notification_id)
    if not permissions.can_send(user, notification):
        raise NotificationError(
            "You do not have permission to answer questions about this notification."
        )
    if question.answered:
        raise NotificationError("This question has already been answered.")
    answer = NotificationMessage.objects.create(
        notification=notification,
        kind=MessageKind.ANSWER,
        body=body,
        author=user,
        in_reply_to=question,
    )
    question.answered = True
    question.save(update_fields=["answered"])
    audit: dict[str, Any] = {
        "verb": "notifications.question_answered",
        "data": {"reference": notification.reference, "question": question.pk},
        "request": request,
    }
    try:
        changes = {"last_activity_at": timezone.now()}
        transition(notification, "questions_answered", actor=user, changes=changes, **audit)
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
    staff: Any,
    action: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Notification:
    if not has_staff_permission(staff, StaffPermission.DECIDE_NOTIFICATIONS):
        raise NotificationError("Only regulator staff can do that.")
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
        data={"reference": notification.reference, "reason": reason},
        request=request,
    )
    return notification


@transaction.atomic
def mark_reviewed(
    *, notification_id: int, staff: Any, request: HttpRequest | None = None
) -> Notification:
    return _staff_status_change(
        notification_id=notification_id, staff=staff, action="mark_reviewed", request=request
    )


@transaction.atomic
def close(
    *, notification_id: int, staff: Any, reason: str = "", request: HttpRequest | None = None
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
    *, notification_id: int, staff: Any, request: HttpRequest | None = None
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


def apply_accepted_change(*, notification: Notification, actor: Any) -> None:
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
    *, notification_id: int, staff: Any, reason: str, request: HttpRequest | None = None
) -> Notification:
    if not reason.strip():
        raise NotificationError("Enter the reason for rejecting the change")
    notification = _staff_status_change(
        notification_id=notification_id,
        staff=staff,
        action="reject",
        reason=reason,
        request=request,
    )
    _email_decision(notification)
    return notification
