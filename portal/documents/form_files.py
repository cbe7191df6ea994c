"""Documents as the form engine shows them: what a client's file questions accept, and one
document as an attached file. Shared by every domain whose forms take files (notifications,
applications), so a file looks and links the same everywhere."""

from django.urls import reverse

from portal.documents.detection import ALL_KINDS, KINDS, allowed_names
from portal.documents.models import Document
from portal.forms.fields import AttachedFile, FileRules

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
