"""Who may see and change documents: the owning domain decides.

Documents belong to rows of other domains (a notification draft, an application...), which
this package must not import. Each domain registers, for its owner kind, two functions taking
(principal, owner_id): may this principal see the owner's documents, and may they add or
remove them. Anything a principal may not see does not exist for them (404), never 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from portal.access import Principal, register_permission

OwnerCheck = Callable[[Principal, str], bool]


@dataclass(frozen=True)
class OwnerAccess:
    can_view: OwnerCheck
    can_change: OwnerCheck


_OWNERS: dict[str, OwnerAccess] = {}


class DocumentNotFound(Http404):
    """The document, or what it belongs to, is not there for this principal."""


def register_owner_access(owner_kind: str, *, can_view: OwnerCheck, can_change: OwnerCheck) -> None:
    """Called by the owning domain at start-up (its AppConfig.ready)."""
    if len(owner_kind) > 40:
        raise ValueError(f"Owner kind {owner_kind!r} is longer than 40 characters")
    _OWNERS[owner_kind] = OwnerAccess(can_view=can_view, can_change=can_change)


def unregister_owner_access(owner_kind: str) -> None:
    _OWNERS.pop(owner_kind, None)


def can_view(principal: Principal | None, owner_kind: str, owner_id: str) -> bool:
    owner = _OWNERS.get(owner_kind)
    if owner is None or principal is None or not principal.is_authenticated:
        return False
    return owner.can_view(principal, owner_id)


def can_change(principal: Principal | None, owner_kind: str, owner_id: str) -> bool:
    owner = _OWNERS.get(owner_kind)
    if owner is None or principal is None or not principal.is_authenticated:
        return False
    return owner.can_change(principal, owner_id)


REQUEST_ATTRIBUTE = "_portal_document"


def _may_download(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    """The download permission: the document exists, is not removed, and its owner's domain
    lets this principal see it; otherwise 404. The row is kept on the request for the view."""
    from portal.documents.models import Document

    document = (
        Document.objects.filter(pk=kwargs["document_id"], deleted_at__isnull=True)
        .select_related("uploaded_by")
        .first()
    )
    if document is None or not can_view(request.user, document.owner_kind, document.owner_id):
        raise DocumentNotFound("No such document")
    setattr(request, REQUEST_ATTRIBUTE, document)
    return True


def register() -> None:
    register_permission("download_document", _may_download, reads=frozenset({"document_id"}))
