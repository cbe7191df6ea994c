"""The one way a status changes: `transition`. Also `record_start`, for a row's first status."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from portal.audit.services import record
from portal.audit.verbs import AuditVerb, catalogued
from portal.workflow.fields import LifecycleModel, status_writable
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.models import StatusChange

M = TypeVar("M", bound=models.Model)
_LOCKED_IN = "_workflow_locked_in"


def _transaction_id() -> int | None:
    blocks = connection.atomic_blocks
    return id(blocks[0]) if blocks else None


def mark_locked(row: models.Model) -> None:
    """Say that `row` was read with SELECT ... FOR UPDATE in the current transaction, so
    `transition` need not lock it again (one statement fewer per move)."""
    setattr(row, _LOCKED_IN, _transaction_id())


def lock(queryset: QuerySet[M], **lookup: Any) -> M:
    """Read one row from a `select_for_update()` queryset and mark it locked."""
    if not queryset.query.select_for_update:
        raise ValueError("lock() needs a select_for_update() queryset")
    row = queryset.get(**lookup)
    mark_locked(row)
    return row


def _current_status(row: LifecycleModel, field: str) -> str:
    """The status under the row lock: taken here unless the caller already holds it."""
    held = getattr(row, _LOCKED_IN, None)
    if held is not None and held == _transaction_id():
        return str(getattr(row, field))
    return str(
        type(row)
        ._default_manager.select_for_update(of=("self",))
        .filter(pk=row.pk)
        .values_list(field, flat=True)
        .get()
    )


def _acting(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _log(
    row: models.Model, *, action: str, from_status: str, to_status: str, actor: Any, reason: str
) -> StatusChange:
    acting = _acting(actor)
    return StatusChange.objects.create(
        subject_type=row._meta.label_lower,
        subject_id=str(row.pk),
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=acting,
        actor_label=str(acting.email) if acting is not None else "system",
        reason=reason,
        at=timezone.now(),
    )


def record_start(row: LifecycleModel, *, action: str, actor: Any, reason: str = "") -> StatusChange:
    """The timeline's first row, for a row just created in its starting status."""
    status = getattr(row, row.lifecycle.field)
    return _log(row, action=action, from_status="", to_status=status, actor=actor, reason=reason)


def transition(
    row: LifecycleModel,
    action: str,
    *,
    actor: Any,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    also_save: Iterable[str] = (),
    verb: AuditVerb | None = None,
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    request: HttpRequest | None = None,
) -> StatusChange:
    """Take `action` on `row`: lock it, check the lifecycle and its guards, change the status
    (and `changes`, and the fields named in `also_save` that the caller set), and write the
    status-change row and the audit event, all in one transaction.

    Raises TransitionRefused with the reason a page can show, having written nothing (so a
    caller may catch it and carry on in its transaction). `data` (or a callable giving it,
    called after the change) is the audit event's data; by default from, to and reason.
    """
    lifecycle = type(row).lifecycle
    field = lifecycle.field
    # Atomic on its own, or part of the caller's transaction without a savepoint (two more
    # statements per move, protecting nothing: a failure here fails the caller's change).
    with transaction.atomic(savepoint=False):
        current = _current_status(row, field)
        with status_writable(row):
            setattr(row, field, current)
        refusal = lifecycle.refusal(row, action, actor)
        if refusal is None:
            change = _apply(
                row,
                action,
                current,
                actor=actor,
                reason=reason,
                changes=changes,
                also_save=also_save,
                verb=verb,
                data=data,
                request=request,
            )
    # Raised outside the atomic block, which would otherwise doom the caller's transaction.
    if refusal is not None:
        raise TransitionRefused(refusal, action=action)
    return change


def _apply(
    row: LifecycleModel,
    action: str,
    current: str,
    *,
    actor: Any,
    reason: str,
    changes: dict[str, Any] | None,
    also_save: Iterable[str],
    verb: AuditVerb | None,
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None,
    request: HttpRequest | None,
) -> StatusChange:
    lifecycle = type(row).lifecycle
    field = lifecycle.field
    target = lifecycle.get(action).target
    with status_writable(row):
        setattr(row, field, target)
    for name, value in (changes or {}).items():
        setattr(row, name, value)
    row.save(update_fields=[field, *(changes or {}), *also_save])
    change = _log(
        row, action=action, from_status=current, to_status=target, actor=actor, reason=reason
    )
    audit = data() if callable(data) else data
    record(
        verb=verb or catalogued(f"{lifecycle.audit_prefix}.{action}"),
        actor=_acting(actor),
        target=row,
        data=audit if audit is not None else {"from": current, "to": target, "reason": reason},
        request=request,
    )
    return change
