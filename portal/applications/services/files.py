"""Documents uploaded to an application's file questions (the statement of purpose and the
policies): adding and removing them while the application can be changed.

The documents belong to the application itself (completeness.APPLICATION_OWNER), from the
first upload to the decision, so sending hands nothing over. The answers follow the documents
as portal.documents.answer_files keeps them, under the application's row lock.
"""

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from portal.applications import permissions
from portal.applications.audit_verbs import ApplicationsVerb
from portal.applications.completeness import APPLICATION_OWNER, definition_of
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import Application
from portal.applications.services.common import NOT_FOUND, locked
from portal.audit.services import with_reference
from portal.documents.answer_files import TAKES_NO_FILES, AnswerFiles
from portal.documents.form_files import FormAttachments
from portal.documents.models import Document
from portal.documents.services import discard_documents


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


_FILES: AnswerFiles[Application] = AnswerFiles(
    owner_kind=APPLICATION_OWNER,
    lock=locked,
    is_open=lambda application: application.is_editable,
    closed=_closed,
    definition=definition_of,
    not_a_file_question=lambda key: ApplicationError(
        ApplicationErrorCode.INVALID, TAKES_NO_FILES, field=key
    ),
    not_found=_not_found,
    added=ApplicationsVerb.FILE_ADDED,
    removed=ApplicationsVerb.FILE_REMOVED,
    audit_data=with_reference,
)


def upload_file(
    *,
    application_id: Any,
    user: Any,
    question_key: str,
    uploaded_file: UploadedFile | None,
    request: HttpRequest | None = None,
) -> Document:
    """Store one file for a file question, then add it to the answer (AnswerFiles.upload).

    Should the application have been sent while the bytes were stored, the late file is not
    in the answers that were signed, so nobody sees it; it goes with the application's other
    documents."""
    application = _preparable(application_id, user)
    return _FILES.upload(
        application,
        application.provider_id,
        question_key,
        uploaded_file,
        user=user,
        request=request,
    )


def remove_file(
    *, application_id: Any, user: Any, document_id: str, request: HttpRequest | None = None
) -> Document:
    """Remove one of the application's files (AnswerFiles.remove)."""
    application = _preparable(application_id, user)
    return _FILES.remove(application, document_id=document_id, user=user, request=request)


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
