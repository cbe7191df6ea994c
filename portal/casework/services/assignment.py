"""Who works on a case: take it, give it to a colleague, reassign many (team leaders), let
it go, and "get next" (the oldest most urgent unassigned case in my teams).

Every change reads the case under its row lock, so two people taking one case at once end
with one owner and the other told who was first; "get next" skips rows another request holds
(SELECT ... FOR UPDATE SKIP LOCKED), so twenty people pressing it at once get twenty cases.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from portal.accounts.models import User
from portal.casework.audit_verbs import CaseworkVerb
from portal.casework.errors import BULK_MAX, CaseworkError, refused
from portal.casework.handlers import DECIDED_WITH, PERMISSION_NAMES, kinds_decided_by, may_decide
from portal.casework.models import Case, CaseStatus, kind_names
from portal.casework.next_case import lock_next_case, my_team_ids
from portal.casework.services.common import (
    locked,
    log,
    mark_locked,
    may_assign,
    move,
    note_first_action,
    refuse_if_closed,
    require_case_worker,
)
from portal.staff.access import remember_standing, users_with_standing
from portal.staff_permissions import StaffPermission, has_staff_permission


def _needed(kinds: Sequence[str]) -> str:
    """ "decide on notifications", or "... and assess registration applications"."""
    needs = dict.fromkeys(PERMISSION_NAMES[DECIDED_WITH[kind]] for kind in kinds)
    return " and ".join(needs)


def refuse_unless_decides(staff: User, case: Case) -> None:
    """Only someone who may decide a case's kind takes it: nobody waits on an owner who
    cannot act."""
    if not may_decide(staff, case.kind):
        raise refused(
            CaseworkError.CANNOT_DECIDE,
            f"You cannot take this case: it needs someone who can {_needed([case.kind])}.",
        )


def _refuse_unless_colleague_decides(colleague: User, cases: Sequence[Case]) -> None:
    kinds = [case.kind for case in cases if not may_decide(colleague, case.kind)]
    if kinds:
        who = colleague.full_name or colleague.email
        raise refused(
            CaseworkError.COLLEAGUE_CANNOT_DECIDE,
            f"{who} cannot decide {kind_names(kinds)} cases: select a colleague who can "
            f"{_needed(kinds)}",
        )


def _assign(
    case: Case,
    to: User,
    *,
    actor: User,
    verb: CaseworkVerb,
    data: dict[str, Any],
    request: HttpRequest | None,
) -> Case:
    case.assignee = to
    fields = ["assignee"]
    note_first_action(case, actor, fields)
    action = verb.value.split(".")[1]
    if case.status != CaseStatus.NEW:
        case.save(update_fields=[*fields, "updated_at"])
        log(case, action=action, actor=actor, verb=verb, data=data, request=request)
        return case
    # Work starts: the status move (with this change's audit event) and who has it now.
    move(case, "start", actor=actor, verb=verb, data=data, fields=fields, request=request)
    log(case, action=action, actor=actor, verb=None, data=data)
    return case


def _taken(case: Case, staff: User, *, how: str, request: HttpRequest | None) -> Case:
    """`staff` takes the case themselves ("take" or "get_next")."""
    data = {"how": how}
    return _assign(
        case, staff, actor=staff, verb=CaseworkVerb.CASE_TAKEN, data=data, request=request
    )


def _given(
    case: Case, colleague: User, *, staff: User, bulk: bool, request: HttpRequest | None
) -> Case:
    """`staff` gives the case to `colleague`, one at a time or in a bulk move."""
    data = {"to": colleague.email, "bulk": bulk}
    return _assign(
        case, colleague, actor=staff, verb=CaseworkVerb.CASE_GIVEN, data=data, request=request
    )


@transaction.atomic
def take(*, case_id: Any, staff: User, request: HttpRequest | None = None) -> Case:
    """Take a case that nobody has. Taking one's own case again returns it as it is."""
    require_case_worker(staff)
    case = locked(case_id)
    refuse_if_closed(case)
    if case.assignee_id == staff.pk:
        return case
    if case.assignee_id is not None:
        raise refused(CaseworkError.ALREADY_TAKEN)
    refuse_unless_decides(staff, case)
    return _taken(case, staff, how="take", request=request)


def _colleague(colleague_id: Any) -> User:
    """A current member of staff who works on cases; anything else is refused by name."""
    chosen = str(colleague_id) if colleague_id is not None else ""
    # Read with their staff standing (roles, second factor) in the same statement.
    colleague = (
        users_with_standing().filter(pk=int(chosen), is_active=True).first()
        if chosen.isdigit()
        else None
    )
    if colleague is not None:
        remember_standing(colleague)
    if colleague is None or not has_staff_permission(colleague, StaffPermission.VIEW_CASES):
        raise refused(CaseworkError.COLLEAGUE_NOT_STAFF)
    return colleague


@transaction.atomic
def give_to(
    *, case_id: Any, staff: User, colleague_id: Any, request: HttpRequest | None = None
) -> Case:
    """Give a case to a colleague: one's own (or an unassigned) case, or any case for a team
    leader. Giving it to whoever already has it changes nothing."""
    require_case_worker(staff)
    colleague = _colleague(colleague_id)
    case = locked(case_id)
    refuse_if_closed(case)
    if case.assignee_id not in (None, staff.pk) and not may_assign(staff):
        raise refused(CaseworkError.ASSIGN_NOT_PERMITTED)
    if case.assignee_id == colleague.pk:
        return case
    _refuse_unless_colleague_decides(colleague, [case])
    return _given(case, colleague, staff=staff, bulk=False, request=request)


@transaction.atomic
def reassign_in_bulk(
    *,
    case_ids: Sequence[Any],
    staff: User,
    colleague_id: Any,
    request: HttpRequest | None = None,
) -> list[Case]:
    """A team leader gives many cases to one colleague: one history row and one audit event
    per case. Closed cases, and those the colleague already has, are left as they are."""
    require_case_worker(staff)
    if not may_assign(staff):
        raise refused(CaseworkError.ASSIGN_NOT_PERMITTED)
    chosen = sorted({int(case_id) for case_id in case_ids if str(case_id).isdigit()})
    if not chosen:
        raise refused(CaseworkError.NOTHING_CHOSEN)
    if len(chosen) > BULK_MAX:
        raise refused(CaseworkError.TOO_MANY_CHOSEN)
    colleague = _colleague(colleague_id)
    # Locked in id order, so two bulk moves over overlapping cases cannot deadlock.
    cases = list(Case.objects.select_for_update(of=("self",)).filter(pk__in=chosen).order_by("pk"))
    for case in cases:
        mark_locked(case)
    if len(cases) != len(chosen):
        raise refused(CaseworkError.NOT_FOUND, "One or more of the cases no longer exist.")
    to_move = [
        case
        for case in cases
        if case.status != CaseStatus.CLOSED and case.assignee_id != colleague.pk
    ]
    # All or nothing: one case the colleague cannot decide refuses the whole move, by kind.
    _refuse_unless_colleague_decides(colleague, to_move)
    return [_given(case, colleague, staff=staff, bulk=True, request=request) for case in to_move]


@transaction.atomic
def release(*, case_id: Any, staff: User, request: HttpRequest | None = None) -> Case:
    """Put a case back in the unassigned queue: one's own, or any case for a team leader."""
    require_case_worker(staff)
    case = locked(case_id)
    if case.assignee_id is None:
        return case
    refuse_if_closed(case)
    if case.assignee_id != staff.pk and not may_assign(staff):
        raise refused(CaseworkError.NOT_YOURS)
    case.assignee = None
    case.save(update_fields=["assignee", "updated_at"])
    log(
        case,
        action="released",
        actor=staff,
        verb=CaseworkVerb.CASE_RELEASED,
        data={},
        request=request,
    )
    return case


@transaction.atomic
def get_next(*, staff: User, request: HttpRequest | None = None) -> Case | None:
    """Take the oldest most urgent unassigned case in my teams that is ours to act on (of a
    kind I may decide, not waiting for the provider); None when there is none. Rows another request is taking are
    skipped, never waited for, and never handed out twice."""
    require_case_worker(staff)
    team_ids = my_team_ids(staff)
    kinds = kinds_decided_by(staff)
    if not team_ids or not kinds:
        return None
    case = lock_next_case(team_ids, kinds)
    if case is None:
        return None
    mark_locked(case)
    return _taken(case, staff, how="get_next", request=request)
