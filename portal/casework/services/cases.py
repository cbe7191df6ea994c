"""Opening a case, changing its status, urgency and deadline, its clock, and closing it.

Domains call these from their own services, in their own transaction, so an item and its case
commit together or not at all. Each is replay-safe: opening a case that exists returns it,
stopping a stopped clock or closing a closed case changes nothing.
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.services import record_about
from portal.casework import routing
from portal.casework.audit_verbs import CaseworkVerb
from portal.casework.deadlines import Deadline, queue_rank
from portal.casework.errors import CaseworkError, refused
from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency, ClockStop
from portal.casework.services.common import (
    acting,
    locked,
    log,
    mark_locked,
    move,
    note_first_action,
)
from portal.errors import ServiceError
from portal.register.models import Location, Provider
from portal.staff.models import Team
from portal.workflow.clock import ClockError, WorkingDayClock
from portal.workflow.services import record_start


def subject_of(row: models.Model) -> tuple[str, str]:
    """How a case names its subject: as audit events and status changes name theirs."""
    return row._meta.label_lower, str(row.pk)


def cases_of(subject: models.Model) -> dict[str, Case]:
    """The subject's cases by kind, row-locked (one statement for all of them)."""
    subject_type, subject_id = subject_of(subject)
    found = Case.objects.select_for_update(of=("self",)).filter(
        subject_type=subject_type, subject_id=subject_id
    )
    cases = {case.kind: case for case in found}
    for case in cases.values():
        mark_locked(case)
    return cases


def case_of(subject: models.Model, kind: CaseKind) -> Case | None:
    """The subject's case of `kind`, row-locked, or None when it has none."""
    return cases_of(subject).get(kind)


F = TypeVar("F", bound=Callable[..., Any])


def in_callers_transaction(service: F) -> F:
    """Atomic, without a savepoint when the caller has a transaction: domains call these
    inside theirs, and a savepoint would cost two statements and protect nothing. Each
    service refuses before it writes anything, and the refusal is raised outside the block
    (raised inside, it would doom the caller's transaction, which may carry on)."""

    @wraps(service)
    def run(*args: Any, **kwargs: Any) -> Any:
        refusal: ServiceError | None = None
        with transaction.atomic(savepoint=False):
            try:
                result = service(*args, **kwargs)
            except ServiceError as error:
                refusal = error
        if refusal is not None:
            raise refusal
        return result

    return run  # type: ignore[return-value]


@in_callers_transaction
def open_case(
    *,
    kind: CaseKind,
    subject: models.Model,
    reference: str,
    title: str,
    provider: Provider | None,
    location: Location | None,
    urgency: int = CaseUrgency.ROUTINE,
    deadline: Deadline | None = None,
    type_slug: str = "",
    actor: User | None = None,
    opened_at: dt.datetime | None = None,
    subject_is_new: bool = False,
    request: HttpRequest | None = None,
) -> Case:
    """The subject's case of `kind`, opened now (routed to its team) or, when it exists, as
    it is: a retry or a second submit never makes a second case. A closed one is reopened.

    Callers hold the subject's row lock (or have just made the subject) in their
    transaction, so two openings of one subject never race; were they to, the unique
    constraint refuses the second. `subject_is_new`: the subject was made in this
    transaction, so it has no case yet (one statement fewer)."""
    existing = None if subject_is_new else case_of(subject, kind)
    if existing is not None:
        if existing.status == CaseStatus.CLOSED:
            return _reopen(existing, actor=actor, deadline=deadline, request=request)
        return existing
    team, region = routing.team_for(provider, location)
    subject_type, subject_id = subject_of(subject)
    case = Case(
        kind=kind,
        reference=reference[:40],
        subject_type=subject_type,
        subject_id=subject_id,
        title=title[:200],
        type_slug=type_slug[:60],
        provider=provider,
        location=location,
        team=team,
        region=region,
        urgency=CaseUrgency(urgency),
        queue_rank=queue_rank(urgency),
        opened_at=opened_at or timezone.now(),
    )
    _set_deadline(case, deadline)
    case.save()
    # The history's first row is the case's first status; the audit event says where it went.
    record_start(case, action="open", actor=acting(actor), reason=_routed(team))
    record_about(
        case,
        actor=actor,
        verb=CaseworkVerb.CASE_OPENED,
        data={"kind": kind.value, "team": team.name if team else ""},
        request=request,
    )
    return case


def _routed(team: Team | None) -> str:
    return f"Routed to {team.name}" if team else "No team covers its region and sector"


def _set_deadline(case: Case, deadline: Deadline | None) -> None:
    if deadline is None:
        case.clock_started_on = None
        case.clock_limit_days = None
        case.due_on = None
        return
    case.clock_started_on = deadline.started_on
    case.clock_limit_days = deadline.working_days
    case.due_on = deadline.clock().due_on()


def _clock(case: Case) -> WorkingDayClock | None:
    """The case's deadline clock with the stops recorded so far; None without a deadline."""
    if case.clock_started_on is None or case.clock_limit_days is None:
        return None
    deadline = Deadline(case.clock_started_on, case.clock_limit_days)
    return deadline.clock(case.clock_stops.values_list("stopped_on", "restarted_on"))


def _clock_due(case: Case) -> dt.date | None:
    """The deadline as it stands (None while the clock is stopped)."""
    clock = _clock(case)
    return case.due_on if clock is None else clock.due_on()


def _reopen(
    case: Case, *, actor: User | None, deadline: Deadline | None, request: HttpRequest | None
) -> Case:
    case.closed_at = None
    case.clock_stopped_on = None
    case.clock_stops.all().delete()
    _set_deadline(case, deadline)
    fields = ["closed_at", "clock_stopped_on", "clock_started_on", "clock_limit_days", "due_on"]
    move(
        case,
        "reopen",
        actor=actor,
        verb=CaseworkVerb.CASE_REOPENED,
        data={},
        fields=fields,
        request=request,
    )
    return case


@in_callers_transaction
def update_case(
    *,
    case_id: Any,
    actor: User | None,
    status: CaseStatus | None = None,
    urgency: int | None = None,
    deadline: Deadline | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Mark work started on a case (status in progress), change its urgency or deadline. A
    new deadline starts a new clock, so a case waiting for the provider (they answered:
    a resubmitted application) is waiting no more. A change to what it already is writes
    nothing; so does "in progress" for a case that is not new (started already, or waiting
    for the provider: the clock restarts only when they answer). Other statuses have their
    own services (stop_clock, restart_clock, close_case)."""
    case = locked(case_id)
    changes: dict[str, Any] = {}
    fields: list[str] = []
    if status is not None and status != CaseStatus.IN_PROGRESS:
        raise refused(CaseworkError.WRONG_STATUS, f"A case is not made {status} by an update.")
    waiting = case.status == CaseStatus.WAITING_FOR_PROVIDER
    starts = status is not None and Case.lifecycle.allows(case, "start")
    if urgency is not None and urgency != case.urgency:
        changes["urgency"] = [case.urgency, int(urgency)]
        case.urgency = CaseUrgency(urgency)
        case.queue_rank = queue_rank(urgency)
        fields += ["urgency", "queue_rank"]
    if deadline is not None:
        before = case.due_on
        case.clock_stops.all().delete()
        case.clock_stopped_on = None
        _set_deadline(case, deadline)
        if case.due_on != before:
            changes["due_on"] = [_iso(before), _iso(case.due_on)]
        fields += ["clock_started_on", "clock_limit_days", "due_on", "clock_stopped_on"]
    if not fields and not starts:
        return case
    note_first_action(case, actor, fields)
    data = {"changes": changes, "reason": reason} if reason else {"changes": changes}
    action = "start" if starts else None
    if deadline is not None and waiting:
        action = "resume" if case.first_action_at or status else "resume_untouched"
    if action is not None:
        # The audit event tells the whole change; the history has the status move, and the
        # other changes (if any) as their own row.
        target = Case.lifecycle.get(action).target
        audit_data = {**data, "changes": {"status": [case.status, target], **changes}}
        move(
            case,
            action,
            actor=actor,
            verb=CaseworkVerb.CASE_UPDATED,
            data=audit_data,
            fields=fields,
            reason=reason,
            request=request,
        )
        if changes:
            log(case, action="updated", actor=actor, verb=None, data=data)
        return case
    case.save(update_fields=[*fields, "updated_at"])
    if changes:
        log(
            case,
            action="updated",
            actor=actor,
            verb=CaseworkVerb.CASE_UPDATED,
            data=data,
            request=request,
        )
    return case


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@in_callers_transaction
def stop_clock(
    *,
    case_id: Any,
    actor: User | None,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """We wait for the provider: the clock stops and the case waits. Replay: no change."""
    case = locked(case_id)
    if case.status == CaseStatus.CLOSED or case.clock_stopped_on is not None:
        return case
    day = on or timezone.localdate()
    clock = _clock(case)
    if clock is not None:
        try:
            clock.stop(day)
        except ClockError as error:
            raise refused(CaseworkError.CLOCK, str(error)) from error
    ClockStop.objects.create(case=case, stopped_on=day)
    case.clock_stopped_on = day
    case.due_on = _clock_due(case)
    fields = ["clock_stopped_on", "due_on"]
    note_first_action(case, actor, fields)
    move(
        case,
        "wait_for_provider",
        actor=actor,
        verb=CaseworkVerb.CLOCK_STOPPED,
        data={"stopped_on": day.isoformat()},
        fields=fields,
        request=request,
    )
    return case


@in_callers_transaction
def restart_clock(
    *,
    case_id: Any,
    actor: User | None,
    on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """What we waited for arrived: the clock runs again and the deadline moves right by the
    working days it was stopped. Replay (not stopped): no change."""
    case = locked(case_id)
    if case.status == CaseStatus.CLOSED or case.clock_stopped_on is None:
        return case
    day = on or timezone.localdate()
    if day < case.clock_stopped_on:
        raise refused(CaseworkError.CLOCK, "The clock cannot restart before it stopped")
    ClockStop.objects.filter(case=case, restarted_on__isnull=True).update(restarted_on=day)
    case.clock_stopped_on = None
    case.due_on = _clock_due(case)
    move(
        case,
        "resume" if case.first_action_at else "resume_untouched",
        actor=actor,
        verb=CaseworkVerb.CLOCK_RESTARTED,
        data={"restarted_on": day.isoformat(), "due_on": _iso(case.due_on)},
        fields=["clock_stopped_on", "due_on"],
        reason=f"Now due {_iso(case.due_on)}" if case.due_on else "",
        request=request,
    )
    return case


@in_callers_transaction
def close_case(
    *, case_id: Any, actor: User | None, reason: str = "", request: HttpRequest | None = None
) -> Case:
    """The item is decided, withdrawn or done. Replay: no change."""
    case = locked(case_id)
    if case.status == CaseStatus.CLOSED:
        return case
    day = timezone.localdate()
    if case.clock_stopped_on is not None:
        ClockStop.objects.filter(case=case, restarted_on__isnull=True).update(restarted_on=day)
        case.clock_stopped_on = None
    case.closed_at = timezone.now()
    fields = ["closed_at", "clock_stopped_on"]
    note_first_action(case, actor, fields)
    move(
        case,
        "close",
        actor=actor,
        verb=CaseworkVerb.CASE_CLOSED,
        data={"reason": reason},
        fields=fields,
        reason=reason,
        request=request,
    )
    return case
