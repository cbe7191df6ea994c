"""Files on notifications: uploads to a draft's file questions, their removal, what the pages
show of them, and who may see them (registered with portal.documents at start-up).

Documents belong to the draft while it is drafted and to the notification once it is sent:
the same rows, handed over in the submit transaction (services.submit_draft). A file
question's answer follows its documents as portal.documents.answer_files keeps them.
"""

from dataclasses import replace
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest

from portal.access import Principal
from portal.documents import selectors as documents
from portal.documents.access import register_owner_access
from portal.documents.answer_files import TAKES_NO_FILES, AnswerFiles
from portal.documents.form_files import FILE_RULES, FormAttachments, attached_file
from portal.documents.models import Document
from portal.documents.services import discard_documents, transfer_documents
from portal.errors import ErrorCode, ServiceError
from portal.forms import engine
from portal.forms.fields import AttachedFile
from portal.forms.models import DraftStatus
from portal.forms.vocabulary import FormDefinition, Kind
from portal.notifications import permissions
from portal.notifications.audit_verbs import NotificationsVerb
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification, NotificationDraft
from portal.staff_permissions import StaffPermission, has_staff_permission

DRAFT_OWNER = "notification_draft"
NOTIFICATION_OWNER = "notification"


class NotificationFileError(ErrorCode):
    DRAFT_CLOSED = "notifications.files.draft_closed"
    NOT_A_FILE_QUESTION = "notifications.files.not_a_file_question"


def takes_files(definition: FormDefinition) -> bool:
    return any(q.kind == Kind.FILE for q in definition.questions())


# ---------------------------------------------------------------------------------------
# Who may see and change a notification's documents (portal.documents asks)
# ---------------------------------------------------------------------------------------


def _draft(owner_id: str) -> NotificationDraft | None:
    try:
        return NotificationDraft.objects.filter(pk=owner_id).first()
    except (ValueError, TypeError):  # not a UUID
        return None


def _may_view_draft_files(principal: Principal, owner_id: str) -> bool:
    draft = _draft(owner_id)
    return draft is not None and permissions.can_edit_draft(principal, draft)


def _may_change_draft_files(principal: Principal, owner_id: str) -> bool:
    draft = _draft(owner_id)
    return (
        draft is not None
        and draft.status == DraftStatus.OPEN
        and permissions.can_edit_draft(principal, draft)
    )


def _may_view_notification_files(principal: Principal, owner_id: str) -> bool:
    if not owner_id.isdigit():
        return False
    if has_staff_permission(principal, StaffPermission.VIEW_NOTIFICATIONS_QUEUE):
        return Notification.objects.filter(pk=int(owner_id)).exists()
    notification = Notification.objects.filter(pk=int(owner_id)).first()
    return notification is not None and permissions.can_view_notification(principal, notification)


def _nobody(_principal: Principal, _owner_id: str) -> bool:
    return False  # a sent notification's files are its record: nobody changes them


def register() -> None:
    register_owner_access(
        DRAFT_OWNER, can_view=_may_view_draft_files, can_change=_may_change_draft_files
    )
    register_owner_access(
        NOTIFICATION_OWNER, can_view=_may_view_notification_files, can_change=_nobody
    )


# ---------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------


def with_files(
    context: engine.EngineContext,
    definition: FormDefinition,
    item: NotificationDraft | Notification,
    *,
    links: bool = False,
) -> engine.EngineContext:
    """The engine context with the item's files (one query, none for a form without file
    questions). `links`: clean files link to their download (pages after sending)."""
    if not takes_files(definition):
        return context
    owner = DRAFT_OWNER if isinstance(item, NotificationDraft) else NOTIFICATION_OWNER
    files = {
        str(d.pk): attached_file(d, links=links) for d in documents.documents_for(owner, item.pk)
    }
    return replace(context, files=files, file_rules=FILE_RULES)


# ---------------------------------------------------------------------------------------
# Uploading and removing (the draft page's "Upload file" and "Remove")
# ---------------------------------------------------------------------------------------


def _closed(key: str) -> ServiceError:
    return ServiceError(
        NotificationFileError.DRAFT_CLOSED,
        "This notification has already been sent or deleted, so its files cannot change",
        field=key,
    )


def _no_such_document() -> Http404:
    return Http404("No such document")


_FILES: AnswerFiles[NotificationDraft] = AnswerFiles(
    owner_kind=DRAFT_OWNER,
    lock=lambda draft_id: NotificationDraft.objects.select_for_update().get(pk=draft_id),
    is_open=lambda draft: draft.status == DraftStatus.OPEN,
    closed=_closed,
    definition=lambda draft: CATALOGUE.get(draft.type_slug, draft.version),
    not_a_file_question=lambda key: ServiceError(
        NotificationFileError.NOT_A_FILE_QUESTION, TAKES_NO_FILES, field=key
    ),
    not_found=_no_such_document,
    added=NotificationsVerb.DRAFT_FILE_ADDED,
    removed=NotificationsVerb.DRAFT_FILE_REMOVED,
    discard_late=True,
)


def _editable_draft(draft_id: Any, user: Any) -> NotificationDraft:
    draft = NotificationDraft.objects.filter(pk=draft_id).first()
    if draft is None or not permissions.can_edit_draft(user, draft):
        raise Http404("No such draft")
    return draft


def upload_draft_file(
    *,
    draft_id: Any,
    user: Any,
    question_key: str,
    uploaded_file: UploadedFile | None,
    request: HttpRequest | None = None,
) -> Document:
    """Store one file for a draft's file question, then add it to the answer
    (AnswerFiles.upload); Http404 outside the user's scope. Should the draft have been sent
    or deleted while the bytes were stored, the new file is removed again."""
    draft = _editable_draft(draft_id, user)
    return _FILES.upload(
        draft, draft.provider_id, question_key, uploaded_file, user=user, request=request
    )


def remove_draft_file(
    *, draft_id: Any, user: Any, document_id: str, request: HttpRequest | None = None
) -> Document:
    """Remove one of the draft's files (AnswerFiles.remove); Http404 outside the user's scope
    and for a document that is not this draft's."""
    draft = _editable_draft(draft_id, user)
    return _FILES.remove(draft, document_id=document_id, user=user, request=request)


def draft_attachments(*, draft_id: Any, user: Any, request: HttpRequest) -> FormAttachments:
    """The page flow's file services for one draft."""
    bound = {"draft_id": draft_id, "user": user, "request": request}
    return FormAttachments(partial(upload_draft_file, **bound), partial(remove_draft_file, **bound))


# ---------------------------------------------------------------------------------------
# Sending: files must be checked, and move to the notification
# ---------------------------------------------------------------------------------------


def still_checking_message(waiting: list[AttachedFile]) -> str:
    names = ", ".join(f"‘{f.name}’" for f in waiting)
    return (
        f"{names} {'is' if len(waiting) == 1 else 'are'} still being checked for viruses. "
        "You can send the notification when the check has finished (usually a few seconds)"
    )


def hand_over(
    *, draft: NotificationDraft, notification: Notification, context: engine.EngineContext
) -> None:
    """In the submit transaction: the draft's files now belong to the notification (nothing
    to do, and no statement, for a draft without files: `context` holds them all)."""
    if not context.files:
        return
    transfer_documents(
        from_kind=DRAFT_OWNER,
        from_id=draft.pk,
        to_kind=NOTIFICATION_OWNER,
        to_id=notification.pk,
        provider_id=notification.provider_id,
    )


def discard_files(*, draft: NotificationDraft, definition: FormDefinition, user: Any) -> None:
    """In the discard transaction: the draft's files go with it (the documents sweeper deletes
    them after the retention period). No statement for a form without file questions."""
    if takes_files(definition):
        discard_documents(owner_kind=DRAFT_OWNER, owner_id=draft.pk, actor=user)
