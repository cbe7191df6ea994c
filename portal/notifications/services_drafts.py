"""Notification drafts: starting one, saving a page of it, discarding it (writers, with
portal.notifications.services, which re-exports these and sends drafts)."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from portal.accounts.models import User
from portal.audit.services import record
from portal.forms.flow import SavedPage
from portal.forms.models import DraftStatus, PostedPage
from portal.notifications import attachments, permissions
from portal.notifications.audit_verbs import NotificationsVerb
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.build import CONTEXT_PRIMARY_MEDICAL
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.engine_contexts import is_primary_medical, notifying_for
from portal.notifications.errors import NotificationError, refused
from portal.notifications.models import Notification, NotificationDraft
from portal.register.models import Location, Provider


def first_answers(
    user: User, provider: Provider, location: Location | None, definition: NotificationType
) -> dict[str, Any]:
    """Refuse a draft the user may not start; else the answers a new draft starts with."""
    if not permissions.can_notify_for(user, provider, location):
        if location is None and permissions.can_notify_at_some_location_of(user, provider):
            raise refused(NotificationError.WHOLE_PROVIDER_ONLY)
        raise refused(NotificationError.NOT_IN_SCOPE)
    target = notifying_for(provider, location)
    refusal = definition.refusal(target)
    if refusal:
        raise refused(NotificationError.TYPE_NOT_APPLICABLE, refusal)
    answers: dict[str, Any] = {
        CONTEXT_PRIMARY_MEDICAL: "yes" if is_primary_medical(target) else "no",
        "submitter_email": user.email,
    }
    if getattr(user, "full_name", ""):
        answers["submitter_name"] = user.full_name
    return answers


def record_started(
    draft: NotificationDraft, definition: NotificationType, request: HttpRequest | None
) -> None:
    record(
        verb=NotificationsVerb.DRAFT_STARTED,
        actor=draft.created_by,
        target=draft,
        data={"type": definition.slug, "version": definition.version},
        request=request,
    )


def record_saved(
    draft: NotificationDraft, page_key: str, complete: bool, request: HttpRequest | None
) -> None:
    record(
        verb=NotificationsVerb.DRAFT_SAVED,
        actor=draft.last_edited_by,
        target=draft,
        data={"page": page_key, "complete": complete, "revision": draft.revision},
        request=request,
    )


@transaction.atomic
def start_draft(
    *,
    user: User,
    provider: Provider,
    location: Location | None,
    definition: NotificationType,
    request: HttpRequest | None = None,
) -> NotificationDraft:
    draft = NotificationDraft.objects.create(
        type_slug=definition.slug,
        version=definition.version,
        provider=provider,
        location=location,
        answers=first_answers(user, provider, location, definition),
        created_by=user,
        last_edited_by=user,
    )
    record_started(draft, definition, request)
    return draft


@transaction.atomic
def save_page(
    *,
    draft_id: Any,
    user: User,
    posted: PostedPage,
    request: HttpRequest | None = None,
) -> SavedPage[NotificationDraft]:
    """Merge one page's answers into the draft. Only this page's keys change, so two tabs
    working on different pages never overwrite each other."""
    draft = locked_to_edit(draft_id, user)
    changed_elsewhere = draft.save_page(definition=definition_of(draft), posted=posted, user=user)
    record_saved(draft, posted.key, posted.complete, request)
    return SavedPage(draft=draft, changed_elsewhere=changed_elsewhere)


@transaction.atomic
def discard_draft(*, draft_id: Any, user: User, request: HttpRequest | None = None) -> None:
    draft = locked_to_edit(draft_id, user)
    draft.status = DraftStatus.DISCARDED
    draft.last_edited_by = user
    draft.save(update_fields=["status", "last_edited_by", "updated_at"])
    attachments.discard_files(draft=draft, definition=definition_of(draft), user=user)
    record(verb=NotificationsVerb.DRAFT_DISCARDED, actor=user, target=draft, request=request)


def locked_to_edit(draft_id: Any, user: User) -> NotificationDraft:
    """The draft under its row lock, refused unless it is open and `user` may edit it."""
    draft = NotificationDraft.objects.select_for_update().get(pk=draft_id)
    refuse_unless_open(draft)
    if not permissions.can_edit_draft(user, draft):
        raise refused(NotificationError.DRAFT_NOT_EDITABLE)
    return draft


def refuse_unless_open(draft: NotificationDraft) -> None:
    if draft.status == DraftStatus.SUBMITTED:
        raise refused(NotificationError.DRAFT_ALREADY_SENT)
    if draft.status != DraftStatus.OPEN:
        raise refused(NotificationError.DRAFT_DELETED)


def definition_of(item: NotificationDraft | Notification) -> NotificationType:
    definition = CATALOGUE.get(item.type_slug, item.version)
    if definition is None:  # pragma: no cover - versions are never removed from the catalogue
        raise refused(
            NotificationError.UNKNOWN_TYPE_VERSION,
            f"Unknown notification type {item.type_slug} v{item.version}",
        )
    return definition
