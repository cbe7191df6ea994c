"""What every casework service shares: the row lock, the history row with its audit event,
a status move through the case's lifecycle, and who counts as staff who work on cases.

A case's history has one row per fact: a status move is a StatusChange (written by
portal.workflow's `transition`, with its audit event); everything else (taken, given, a
note, a new deadline) a CaseEvent."""

from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.services import record_about, with_reference
from portal.casework.audit_verbs import CaseworkVerb
from portal.casework.errors import CaseworkError, refused
from portal.casework.models import Case, CaseEvent, CaseStatus
from portal.staff_permissions import StaffPermission, has_staff_permission, staff_permissions_of
from portal.workflow import services as workflow
from portal.workflow.lifecycle import TransitionRefused

_LOCKED_IN = "_casework_locked_in"


def _transaction_id() -> int | None:
    blocks = connection.atomic_blocks
    return id(blocks[0]) if blocks else None


def mark_locked(case: Case) -> None:
    """Say that `case` was read FOR UPDATE in this transaction, so a service given it (and a
    status move on it) need not lock and read it again."""
    setattr(case, _LOCKED_IN, _transaction_id())
    workflow.mark_locked(case)


def locked(case_id: Any) -> Case:
    """The case, row-locked for the rest of the transaction. Given a case already locked in
    this transaction (cases.case_of), that case, without another statement."""
    if isinstance(case_id, Case):
        held = getattr(case_id, _LOCKED_IN, None)
        if held is not None and held == _transaction_id():
            return case_id
        case_id = case_id.pk
    try:
        case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as missing:
        raise refused(CaseworkError.NOT_FOUND) from missing
    mark_locked(case)
    return case


def acting(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def log(
    case: Case,
    *,
    action: str,
    actor: User | None,
    verb: CaseworkVerb | None,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> CaseEvent:
    """The case's history row and its audit event (none when `verb` is None: a status move
    in the same change wrote it), in the caller's transaction."""
    who = acting(actor)
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        data=data,
        actor=who,
        actor_label=who.email if who is not None else "system",
        at=timezone.now(),
    )
    if verb is not None:
        record_about(case, verb=verb, actor=who, data=data, request=request)
    return event


def move(
    case: Case,
    action: str,
    *,
    actor: User | None,
    verb: CaseworkVerb,
    data: dict[str, Any],
    fields: list[str],
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Move the (locked) case through its lifecycle `action`, saving `fields` (set by the
    caller) with it: one StatusChange row and one audit event, `verb` with `data`."""
    try:
        workflow.transition(
            case,
            action,
            actor=acting(actor),
            reason=reason,
            also_save=[*fields, "updated_at"],
            verb=verb,
            data=with_reference(case, data),
            request=request,
        )
    except TransitionRefused as wrong:
        raise refused(CaseworkError.WRONG_STATUS, wrong.reason) from wrong


def require_case_worker(actor: User | None) -> User:
    if actor is None or not has_staff_permission(actor, StaffPermission.VIEW_CASES):
        raise refused(CaseworkError.STAFF_ONLY)
    return actor


def may_assign(actor: User) -> bool:
    return has_staff_permission(actor, StaffPermission.ASSIGN_CASES)


def refuse_if_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise refused(CaseworkError.CASE_CLOSED)


def note_first_action(case: Case, actor: User | None, fields: list[str]) -> None:
    """The first thing a member of staff does on a case starts "time to first action"."""
    if case.first_action_at is None and actor is not None and staff_permissions_of(actor):
        case.first_action_at = timezone.now()
        fields.append("first_action_at")
