"""Uploading to a notification draft's file question through its pages, as a browser posts."""

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.documents import scanning
from portal.documents.models import Document
from portal.notifications import services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import NotificationDraft
from tests.factories.notifications import answer_every_question

SLUG = "statement-of-purpose"
QUESTION = "revised_statement_file"
PAGE = "statement"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf(body: bytes = b"Our aims and objectives", size: int | None = None) -> bytes:
    """A small PDF (the portal tells files by their content), padded to `size` bytes."""
    content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n" + body + b"\n"
    tail = b"%%EOF\n"
    if size is not None:
        content += b"%" + b"x" * (size - len(content) - len(tail) - 2) + b"\n"
    return content + tail


@dataclass
class UploadPage:
    """One statement-of-purpose draft, its statement page and the client of its author."""

    client: Client
    draft: NotificationDraft

    @property
    def url(self) -> str:
        return reverse("notifications:draft_page", args=[self.draft.pk, PAGE])

    @property
    def upload_url(self) -> str:
        return reverse("notifications_uploads:draft_page", args=[self.draft.pk, PAGE])

    @property
    def check_url(self) -> str:
        return reverse("notifications:check", args=[self.draft.pk])

    def post(self, *, name: str = "statement.pdf", content: bytes | None = None, **data: Any):
        """Press "Upload file" (or another button given in `data`) with a file chosen."""
        self.draft.refresh_from_db()
        fields: dict[str, Any] = {"revision": str(self.draft.revision), **data}
        if "continue" not in data and "remove_file" not in data:
            fields.setdefault("upload_file", QUESTION)
        if content is not None:
            fields[QUESTION] = SimpleUploadedFile(name, content)
        return self.client.post(self.upload_url, fields)

    def documents(self) -> list[Document]:
        return list(Document.objects.filter(owner_id=str(self.draft.pk), deleted_at__isnull=True))

    def answer(self) -> list[str]:
        self.draft.refresh_from_db()
        return list(self.draft.answers.get(QUESTION, []))


def start_upload_page(user: Any, location: Any) -> UploadPage:
    """A draft with every other answer given (as the pages would take them), at its
    statement page with neither the file nor the text of the statement."""
    definition = CATALOGUE.require(SLUG)
    draft = services.start_draft(
        user=user, provider=location.provider, location=location, definition=definition
    )
    answer_every_question(draft, user, complete=False, except_for={"revised_statement": None})
    client = Client()
    client.force_login(user)
    draft.refresh_from_db()
    return UploadPage(client=client, draft=draft)


def scan_all(page: UploadPage) -> None:
    """What the worker does: scan each pending file with the real clamd."""
    for document in page.documents():
        scanning.scan(str(document.pk))


def text_of(response: Any) -> str:
    return response.content.decode()
