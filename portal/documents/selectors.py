"""Reads of documents. Callers have already checked access to the owner (its domain's
permission functions); these never cross owners."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from portal.documents.models import Document, ScanState


def documents_for(
    owner_kind: str, owner_id: Any, question: str | None = None
) -> QuerySet[Document]:
    """The owner's current documents (not removed), oldest first."""
    documents = Document.objects.filter(
        owner_kind=owner_kind, owner_id=str(owner_id), deleted_at__isnull=True
    )
    if question is not None:
        documents = documents.filter(question=question)
    return documents.order_by("created_at", "id")


def documents_by_question(owner_kind: str, owner_id: Any) -> dict[str, list[Document]]:
    """Every current document of the owner, grouped by question, in one query."""
    grouped: dict[str, list[Document]] = defaultdict(list)
    for document in documents_for(owner_kind, owner_id):
        grouped[document.question].append(document)
    return dict(grouped)


def still_being_checked(
    owner_kind: str, owner_id: Any, question: str | None = None
) -> QuerySet[Document]:
    return documents_for(owner_kind, owner_id, question).filter(scan_state=ScanState.PENDING)


def not_clean(owner_kind: str, owner_id: Any, question: str | None = None) -> QuerySet[Document]:
    """What stops a submission: files being checked, infected or that could not be checked."""
    return documents_for(owner_kind, owner_id, question).exclude(scan_state=ScanState.CLEAN)


def document_for_owner(owner_kind: str, owner_id: Any, document_id: Any) -> Document | None:
    """One current document, only if it belongs to this owner (for "Remove" links)."""
    return documents_for(owner_kind, owner_id).filter(pk=document_id).first()
