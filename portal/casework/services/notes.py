"""Internal notes: what staff tell each other about a case. Providers never see them (no
provider page or API reads CaseNote)."""

import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.casework.audit_verbs import CaseworkVerb
from portal.casework.errors import NOTE_MAX_LENGTH, CaseworkError, refused
from portal.casework.models import CaseNote
from portal.casework.services.common import locked, log, note_first_action, require_case_worker


def clean_note(body: str) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise refused(CaseworkError.NOTE_EMPTY)
    if len(text) > NOTE_MAX_LENGTH:
        raise refused(CaseworkError.NOTE_TOO_LONG)
    return text


@transaction.atomic
def add_internal_note(
    *,
    case_id: Any,
    staff: User,
    body: str,
    submission_key: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> CaseNote:
    """Add a note. The form's one-time `submission_key` makes a double submit or a retry
    return the note already written instead of writing it twice. Notes may be added to a
    closed case (what happened after, for the record)."""
    require_case_worker(staff)
    text = clean_note(body)
    case = locked(case_id)
    if submission_key is not None:
        written = CaseNote.objects.filter(submission_key=submission_key, case=case).first()
        if written is not None:
            return written
    note = CaseNote.objects.create(
        case=case,
        author=staff,
        body=text,
        created_at=timezone.now(),
        submission_key=submission_key,
    )
    fields: list[str] = []
    note_first_action(case, staff, fields)
    if fields:
        case.save(update_fields=[*fields, "updated_at"])
    log(
        case,
        action="note_added",
        actor=staff,
        verb=CaseworkVerb.NOTE_ADDED,
        data={"note": note.pk},
        request=request,
    )
    return note
