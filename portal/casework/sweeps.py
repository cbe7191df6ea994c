"""Time-based casework the worker's sweeper runs (settings.SWEEP_HOOKS): the daily digest of
cases that went overdue, one email to each team leader a day."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.audit.services import record
from portal.casework.audit_verbs import CaseworkVerb
from portal.casework.models import Case, CaseStatus, OverdueDigest
from portal.emails.services import queue_email
from portal.staff.models import StaffMember
from portal.staff.roles import StaffRole

logger = logging.getLogger(__name__)
# A digest lists at most this many cases by name; the link shows the rest.
DIGEST_LINES = 50


def _overdue_in(team_ids: list[int], today: dt.date) -> QuerySet[Case]:
    return (
        Case.objects.filter(team_id__in=team_ids, due_on__lt=today)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("team")
        .order_by("due_on", "pk")
    )


def _line(case: Case) -> str:
    due = case.due_on.isoformat() if case.due_on else ""
    team = case.team.name if case.team else ""
    return f"- {case.reference} {case.title} ({team}), due {due}"


def send_overdue_digests(today: dt.date | None = None) -> int:
    """Email each current team leader the cases in their teams that went overdue since their
    last digest (the first time: every overdue case). Once a day: the digest row is unique
    per leader and day, written with the email in one transaction, so a second sweep (or a
    second worker) the same day sends nothing."""
    day = today or timezone.localdate()
    members = (
        StaffMember.objects.filter(ended_at__isnull=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("teams")
    )
    sent = 0
    # Roles are a JSON list: read in Python (a few hundred staff), the same on every database.
    for leader in (member for member in members if StaffRole.TEAM_LEADER in member.roles):
        if OverdueDigest.objects.filter(recipient=leader.user, day=day).exists():
            continue
        team_ids = [team.pk for team in leader.teams.all()]
        last = (
            OverdueDigest.objects.filter(recipient=leader.user, day__lt=day)
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        overdue = _overdue_in(team_ids, day)
        # Went overdue since the last digest: due before today, and not before the last one.
        new = overdue.filter(due_on__gte=last) if last else overdue
        cases = list(new[: DIGEST_LINES + 1])
        if not cases:
            continue
        if _send(leader, day, cases, total=overdue.count()):
            sent += 1
    if sent:
        logger.info("Sent %s overdue digest(s)", sent)
    return sent


def _send(leader: StaffMember, day: dt.date, cases: list[Case], *, total: int) -> bool:
    lines = [_line(case) for case in cases[:DIGEST_LINES]]
    if len(cases) > DIGEST_LINES:
        lines.append("- and more: see the link below")
    try:
        with transaction.atomic():
            OverdueDigest.objects.create(
                recipient=leader.user, day=day, cases=len(cases), sent_at=timezone.now()
            )
            queue_email(
                to=leader.user.email,
                template="casework_overdue_digest",
                context={"count": len(cases), "lines": "\n".join(lines), "total": total},
            )
            record(
                verb=CaseworkVerb.OVERDUE_DIGEST_SENT,
                target=leader.user,
                data={"day": day.isoformat(), "cases": len(cases)},
            )
    except IntegrityError:
        return False  # another worker sent today's digest a moment ago
    return True
