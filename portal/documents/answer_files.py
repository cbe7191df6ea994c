"""Files as the answers to a draft's file questions, for every domain whose drafts take files
(notifications, applications): storing an upload, removing a file, and keeping the question's
answer in step with the documents table.

A file question's answer is the ids of its current documents, rewritten from the documents
table under the draft's row lock after every upload and removal, so two uploads at once both
count. The bytes are stored before the draft is locked (a 50 MB upload must not hold the draft
up), so the draft is checked again under the lock.

Each domain binds one `AnswerFiles` with what is its own: its owner kind, how its draft is
locked and whether it can still change, its errors and its audit verbs. Who may change a
draft is the domain's to decide before it calls in here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from portal.audit.services import record
from portal.audit.verbs import AuditVerb
from portal.documents import selectors as documents
from portal.documents.limits import UploadLimits
from portal.documents.models import Document
from portal.documents.services import discard_documents, remove_document, upload_document
from portal.forms.fields import file_limits
from portal.forms.models import Draft
from portal.forms.vocabulary import FormDefinition, Kind

D = TypeVar("D", bound=Draft)

TAKES_NO_FILES = "This question takes no files"


def _no_more_data(_draft: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class AnswerFiles(Generic[D]):
    """One domain's file questions: its services bind one of these and call `upload` and
    `remove` once they have found the draft and checked that the user may change it."""

    owner_kind: str
    # The draft by its id, row-locked for the rest of the transaction.
    lock: Callable[[Any], D]
    # Whether the draft's answers can still change.
    is_open: Callable[[D], bool]
    # The domain's error for a draft that can no longer change (the question's key).
    closed: Callable[[str], Exception]
    # The form the draft answers (None when its definition is unknown).
    definition: Callable[[D], FormDefinition | None]
    # The domain's error for a question that takes no files (the question's key).
    not_a_file_question: Callable[[str], Exception]
    # The domain's error for a document that is not the draft's.
    not_found: Callable[[], Exception]
    added: AuditVerb
    removed: AuditVerb
    # More of the draft for the audit events (its reference, say).
    audit_data: Callable[[D], dict[str, Any]] = field(default=_no_more_data)
    # A file stored while its draft stopped being open: discard what the draft holds now
    # (only that late file, once any hand-over is done), or keep it with the draft's others.
    discard_late: bool = False

    def upload(
        self,
        draft: D,
        provider_id: Any,
        question_key: str,
        uploaded_file: UploadedFile | None,
        *,
        user: Any,
        request: HttpRequest | None,
    ) -> Document:
        """Store one file for the draft's file question (checked, stored and queued for its
        virus scan by portal.documents), then add it to the answer. Raises the domain's errors
        and DocumentRefused for the file itself, with a message for the page."""
        if not self.is_open(draft):
            raise self.closed(question_key)
        definition = self.definition(draft)
        question = definition.question(question_key) if definition is not None else None
        if question is None or question.kind != Kind.FILE:
            raise self.not_a_file_question(question_key)
        most, largest = file_limits(question)
        document = upload_document(
            owner_kind=self.owner_kind,
            owner_id=draft.pk,
            provider_id=provider_id,
            question=question.key,
            uploaded_file=uploaded_file,
            actor=user,
            limits=UploadLimits(max_bytes=largest, max_files=most),
            request=request,
        )
        if not self._answer_from_documents(
            draft.pk, question.key, verb=self.added, document=document, user=user, request=request
        ):
            if self.discard_late:
                discard_documents(owner_kind=self.owner_kind, owner_id=draft.pk, actor=user)
            raise self.closed(question.key)
        return document

    def remove(
        self, draft: D, *, document_id: str, user: Any, request: HttpRequest | None
    ) -> Document:
        """Remove one of the draft's files. Replayed (already removed), it changes nothing and
        says so again; a document that is not this draft's is not found."""
        try:
            document = Document.objects.filter(
                pk=document_id, owner_kind=self.owner_kind, owner_id=str(draft.pk)
            ).first()
        except (ValidationError, ValueError, TypeError) as invalid:  # not a UUID
            raise self.not_found() from invalid
        if document is None:
            raise self.not_found()
        if not self.is_open(draft):
            raise self.closed(document.question)
        if document.deleted_at is not None:
            return document  # a replayed "Remove": already done
        removed = remove_document(document=document, actor=user, request=request)
        if not self._answer_from_documents(
            draft.pk,
            document.question,
            verb=self.removed,
            document=removed,
            user=user,
            request=request,
        ):
            raise self.closed(document.question)
        return removed

    @transaction.atomic
    def _answer_from_documents(
        self,
        draft_id: Any,
        question_key: str,
        *,
        verb: AuditVerb,
        document: Document,
        user: Any,
        request: HttpRequest | None,
    ) -> bool:
        """Under the row lock, make the question's answer the ids of its current documents
        (what every upload and removal committed so far), bump the revision and audit. False,
        writing nothing, when the draft is no longer open."""
        draft = self.lock(draft_id)
        if not self.is_open(draft):
            return False
        current = documents.documents_for(self.owner_kind, draft.pk, question_key)
        ids = [str(pk) for pk in current.values_list("pk", flat=True)]
        answers = dict(draft.answers)
        if ids:
            answers[question_key] = ids
        else:
            answers.pop(question_key, None)
        draft.answers = answers
        draft.revision += 1
        draft.last_edited_by = user
        draft.save(update_fields=["answers", "revision", "last_edited_by", "updated_at"])
        record(
            verb=verb,
            actor=user,
            target=draft,
            data={
                **self.audit_data(draft),
                "question": question_key,
                "document": str(document.pk),
                "files": len(ids),
            },
            request=request,
        )
        return True
