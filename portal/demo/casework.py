"""The back office in the demo: a team for adult social care and one for primary medical
services in every region (made before anything is submitted, so cases are routed), the demo
inspector and the demo team leader in all of them, and some cases already given to the
inspector."""

from portal.accounts.models import User
from portal.casework import services
from portal.casework.backfill import run_backfills
from portal.casework.models import Case, CaseStatus
from portal.staff.models import StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole

DEMO_SECTORS = (Sector.ADULT_SOCIAL_CARE, Sector.PRIMARY_MEDICAL)


def ensure_teams(staff: User) -> None:
    teams = [
        Team.objects.get_or_create(
            region=region, sector=sector, defaults={"name": f"{label} {sector.label.lower()}"}
        )[0]
        for region, label in Region.choices
        for sector in DEMO_SECTORS
    ]
    # Roles are a JSON list: read them in Python (SQLite, make run's database, cannot look inside).
    leaders = [m for m in StaffMember.objects.all() if StaffRole.TEAM_LEADER in m.roles]
    for member in [StaffMember.objects.get(user=staff), *leaders]:
        member.teams.add(*teams)


def assign_some(staff: User) -> None:
    """Cases for everything the demo made, and the two most urgent given to the inspector
    (the rest stay unassigned for "get next")."""
    run_backfills()
    if Case.objects.filter(assignee=staff).exists():
        return
    waiting = Case.objects.filter(assignee__isnull=True).exclude(status=CaseStatus.CLOSED)
    for case in waiting.order_by("queue_rank", "opened_at", "pk")[:2]:
        services.give_to(case_id=case.pk, staff=staff, colleague_id=staff.pk)
