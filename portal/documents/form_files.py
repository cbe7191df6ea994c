"""Documents as the form engine shows them: what a client's file questions accept, and one
document as an attached file. Shared by every domain whose forms take files (notifications,
applications), so a file looks and links the same everywhere."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from portal.documents.detection import ALL_KINDS, KINDS, allowed_names
from portal.documents.models import Document
from portal.forms.fields import AttachedFile, FileRules
from portal.forms.vocabulary import Question

FILE_RULES = FileRules(
    accept=",".join(ext for kind in KINDS.values() for ext in kind.extensions),
    types_in_words=allowed_names(ALL_KINDS).removeprefix("a "),
)


def attached_file(document: Document, *, links: bool) -> AttachedFile:
    """`links`: a clean file links to its download (the download checks who may see it)."""
    href = ""
    if links and document.is_downloadable:
        href = reverse("documents:download", args=[document.pk])
    return AttachedFile(
        id=str(document.pk),
        name=document.original_name,
        size=document.size,
        state=document.scan_state,  # type: ignore[arg-type]
        href=href,
    )


@dataclass(frozen=True)
class FormAttachments:
    """The page flow's file services (portal.forms.flow.Attachments) for one draft of any
    domain: `upload_file` and `remove_file` are that domain's own services with the draft,
    the user and the request already bound, so its rules (open drafts only, answers kept in
    step) stay where they belong."""

    upload_file: Callable[..., Document]
    remove_file: Callable[..., Document]

    def upload(self, *, question: Question, upload: UploadedFile) -> AttachedFile:
        document = self.upload_file(question_key=question.key, uploaded_file=upload)
        return attached_file(document, links=False)

    def remove(self, *, document_id: str) -> AttachedFile:
        return attached_file(self.remove_file(document_id=document_id), links=False)
