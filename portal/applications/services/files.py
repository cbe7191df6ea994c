"""Documents uploaded to an application's file questions (the statement of purpose and the
policies): adding and removing them while the application can be changed.

The documents belong to the application itself (completeness.APPLICATION_OWNER), from the
first upload to the decision, so sending hands nothing over. A file question's answer is the
ids of its current documents, rewritten from the documents table under the application's row
lock after every upload and removal, so two uploads at once both count.
"""

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from portal.applications import permissions
from portal.applications.audit_verbs import ApplicationsVerb
from portal.applications.completeness import APPLICATION_OWNER, definition_of
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import Application
from portal.applications.services.common import NOT_FOUND, locked
from portal.audit.services import record
from portal.documents import selectors as documents
from portal.documents.form_files import FormAttachments
from portal.documents.limits import UploadLimits
from portal.documents.models import Document
from portal.documents.services import discard_documents, remove_document, upload_document
from portal.forms.fields import file_limits
from portal.forms.vocabulary import Kind, Question


def _not_found() -> ApplicationError:
    return ApplicationError(ApplicationErrorCode.NOT_FOUND, NOT_FOUND)


def _closed(key: str) -> ApplicationError:
    return ApplicationError(
        ApplicationErrorCode.NOT_EDITABLE,
        "This application has been sent, so its documents cannot change now",
        field=key,
    )


def _preparable(application_id: Any, user: Any) -> Application:
    """The application, if `user` may change its answers (404 for anyone else)."""
    try:
        application = Application.objects.filter(pk=application_id).first()
    except ValidationError as invalid:  # not a UUID
        raise _not_found() from invalid
    if application is None or not permissions.can_prepare(
        user, application, definition_of(application)
    ):
        raise _not_found()
    return application


def _file_question(application: Application, key: str) -> Question:
    question = definition_of(application).question(key)
    if question is None or question.kind != Kind.FILE:
        raise ApplicationError(
            ApplicationErrorCode.INVALID, "This question takes no files", field=key
        )
    return question


@transaction.atomic
def _answer_from_documents(
    *,
    application_id: Any,
    user: Any,
    question_key: str,
    verb: ApplicationsVerb,
    document: Document,
    request: HttpRequest | None,
) -> None:
    """Under the row lock, make the question's answer the ids of its current documents (what
    every upload and removal committed so far), bump the revision and audit."""
    application = locked(application_id)
    if not application.is_editable:
        raise _closed(question_key)
    current = documents.documents_for(APPLICATION_OWNER, application.pk, question_key)
    ids = [str(pk) for pk in current.values_list("pk", flat=True)]
    answers = dict(application.answers)
    if ids:
        answers[question_key] = ids
    else:
        answers.pop(question_key, None)
    application.answers = answers
    application.revision += 1
    application.last_edited_by = user
    application.save(update_fields=["answers", "revision", "last_edited_by", "updated_at"])
    record(
        verb=verb,
        actor=user,
        target=application,
        data={
            "reference": application.reference,
            "question": question_key,
            "document": str(document.pk),
            "files": len(ids),
        },
        request=request,
    )


def upload_file(
    *,
    application_id: Any,
    user: Any,
    question_key: str,
    uploaded_file: UploadedFile | None,
    request: HttpRequest | None = None,
) -> Document:
    """Store one file for a file question (checked, stored and queued for its virus scan by
    portal.documents), then add it to the answer. Raises ServiceError with a message for the
    page (DocumentRefused for the file itself).

    The bytes are stored before the row is locked (a 50 MB upload must not hold the
    application up). Should it have been sent meanwhile, the late file is not in the answers
    that were signed, so nobody sees it; it goes with the application's other documents."""
    application = _preparable(application_id, user)
    if not application.is_editable:
        raise _closed(question_key)
    question = _file_question(application, question_key)
    most, largest = file_limits(question)
    document = upload_document(
        owner_kind=APPLICATION_OWNER,
        owner_id=application.pk,
        provider_id=application.provider_id,
        question=question.key,
        uploaded_file=uploaded_file,
        actor=user,
        limits=UploadLimits(max_bytes=largest, max_files=most),
        request=request,
    )
    _answer_from_documents(
        application_id=application.pk,
        user=user,
        question_key=question.key,
        verb=ApplicationsVerb.FILE_ADDED,
        document=document,
        request=request,
    )
    return document


def remove_file(
    *, application_id: Any, user: Any, document_id: str, request: HttpRequest | None = None
) -> Document:
    """Remove one of the application's files. Replayed (already removed), it changes nothing
    and says so again; a document that is not this application's is not found."""
    application = _preparable(application_id, user)
    try:
        document = Document.objects.filter(
            pk=document_id, owner_kind=APPLICATION_OWNER, owner_id=str(application.pk)
        ).first()
    except ValidationError as invalid:  # not a UUID: no such document
        raise _not_found() from invalid
    if document is None:
        raise _not_found()
    if not application.is_editable:
        raise _closed(document.question)
    if document.deleted_at is not None:
        return document  # a replayed "Remove": already done
    removed = remove_document(document=document, actor=user, request=request)
    _answer_from_documents(
        application_id=application.pk,
        user=user,
        question_key=document.question,
        verb=ApplicationsVerb.FILE_REMOVED,
        document=removed,
        request=request,
    )
    return removed


def discard_files(*, application: Application, user: Any) -> None:
    """In the transaction deleting a draft: its documents go with it (the documents sweeper
    deletes the files after the retention period)."""
    discard_documents(owner_kind=APPLICATION_OWNER, owner_id=application.pk, actor=user)


def application_attachments(
    *, application_id: Any, user: Any, request: HttpRequest
) -> FormAttachments:
    """The page flow's file services for one application."""
    bound = {"application_id": application_id, "user": user, "request": request}
    return FormAttachments(partial(upload_file, **bound), partial(remove_file, **bound))
