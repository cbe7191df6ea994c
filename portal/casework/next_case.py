"""The two reads of "get next": the member's teams, and the first unassigned case in them
of the kinds they decide, locked (SELECT ... FOR UPDATE SKIP LOCKED).

Twenty people press it at once, so each press's CPU delays the others'. Building the SQL was
most of a press's Python, so both statements are compiled once per database and
run again with the press's values (portal.compiled_queries). The team ids stay a statement
of their own: inlined as a subquery, PostgreSQL walks the whole unassigned queue instead of
one team's index."""

from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from portal.accounts.models import User
from portal.casework.models import Case, CaseStatus
from portal.compiled_queries import CompiledRows
from portal.staff.models import Team

# Stand-ins compiled into the SQL where a press's values go (none is a real id).
_USERS = (-734_512_901, -734_512_902)
_FIRST_TEAM = -734_512_903  # team n's pair is (_FIRST_TEAM - 2n, _FIRST_TEAM - 2n - 1)

_CASE_FIELDS = [field.attname for field in Case._meta.concrete_fields]


def _team_ids_query(user: Any) -> QuerySet[Any]:
    # No ORDER BY (a team's default is its name): the ids are only filtered on.
    return (
        Team.objects.filter(members__user=user, members__ended_at__isnull=True)
        .order_by()
        .values_list("pk", flat=True)
    )


_TEAM_IDS = CompiledRows(_team_ids_query, {"user": _USERS})


def my_team_ids(user: User) -> list[int]:
    """The teams of a current staff member (none once their access has ended)."""
    return [row[0] for row in _TEAM_IDS.rows(user=user.pk)]


def _next_query(kinds: tuple[str, ...], **teams: Any) -> QuerySet[Any]:
    return (
        Case.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(
            team_id__in=list(teams.values()),
            kind__in=kinds,
            assignee__isnull=True,
            status__in=[CaseStatus.NEW, CaseStatus.IN_PROGRESS],
        )
        .order_by("queue_rank", "opened_at", "pk")
        .values_list(*_CASE_FIELDS)[:1]
    )


# One statement per (number of teams, kinds decided): a handful in practice.
_NEXT: dict[tuple[int, tuple[str, ...]], CompiledRows] = {}


def _compiled_next(teams: int, kinds: tuple[str, ...]) -> CompiledRows:
    key = (teams, kinds)
    if key not in _NEXT:
        stand_ins = {
            f"team{n}": (_FIRST_TEAM - 2 * n, _FIRST_TEAM - 2 * n - 1) for n in range(teams)
        }
        _NEXT[key] = CompiledRows(lambda **values: _next_query(kinds, **values), stand_ins)
    return _NEXT[key]


def lock_next_case(team_ids: list[int], kinds: list[str]) -> Case | None:
    """The oldest most urgent unassigned open case in `team_ids` of one of `kinds`, locked
    for the rest of the caller's transaction; rows another transaction holds are skipped."""
    compiled = _compiled_next(len(team_ids), tuple(kinds))
    teams: dict[str, Any] = {f"team{n}": team_id for n, team_id in enumerate(team_ids)}
    rows = compiled.rows(DEFAULT_DB_ALIAS, **teams)
    if not rows:
        return None
    return Case.from_db(DEFAULT_DB_ALIAS, _CASE_FIELDS, rows[0])
