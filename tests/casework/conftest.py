"""A small back office: two teams in the North West, a team leader, two inspectors, a member
of staff in no team, and a care home and a GP practice in the region."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from portal.casework import services
from portal.casework.deadlines import Deadline
from portal.casework.models import Case, CaseKind, CaseUrgency
from portal.staff.models import Team
from portal.staff.roles import Sector, StaffRole
from portal.workflow.models import StatusChange
from tests import factories as f

# Where the tests' working-day counts start (a Monday).
MONDAY = dt.date(2026, 3, 2)


def staff(name: str, *roles: str, teams: tuple[Team, ...] = ()) -> Any:
    return f.make_user(is_staff=True, full_name=name, roles=roles, teams=teams)


def make_world() -> SimpleNamespace:
    care = Team.objects.create(
        name="North West adult social care", region="North West", sector=Sector.ADULT_SOCIAL_CARE
    )
    gps = Team.objects.create(
        name="North West primary medical", region="North West", sector=Sector.PRIMARY_MEDICAL
    )
    provider = f.make_provider("Sunrise Care", region="North West")
    home = f.make_location(provider, "Sunrise House", region="North West", care_home=True)
    surgery_provider = f.make_provider("Moss Side Surgery", region="North West")
    surgery = f.make_location(
        surgery_provider, "Moss Side", region="North West", service_types=("Doctors/GPs",)
    )
    return SimpleNamespace(
        care=care,
        gps=gps,
        provider=provider,
        home=home,
        surgery=surgery,
        leader=staff("Tess Leader", StaffRole.TEAM_LEADER, teams=(care, gps)),
        inspector=staff("Ian Inspector", StaffRole.INSPECTOR, teams=(care,)),
        other=staff("Olu Other", StaffRole.INSPECTOR, teams=(care,)),
        loner=staff("Lone Assessor", StaffRole.REGISTRATION_ASSESSOR),
        manager=f.registered_manager(home, given="Rita"),
    )


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    return make_world()


_counter = iter(range(1, 1_000_000))


def open_case(
    world: SimpleNamespace,
    *,
    location: Any = None,
    urgency: int = CaseUrgency.ROUTINE,
    minutes: int = 0,
    kind: CaseKind = CaseKind.NOTIFICATION,
    days: int | None = 5,
    started_on: dt.date | None = None,
) -> Case:
    """A case about a made-up subject (a team row stands in: the case only names it)."""
    number = next(_counter)
    subject = Team(pk=100_000 + number)
    opened = timezone.now() - dt.timedelta(days=30) + dt.timedelta(minutes=minutes)
    deadline = None if days is None else Deadline(started_on or timezone.localdate(), days)
    return services.open_case(
        kind=kind,
        subject=subject,
        reference=f"TST-{number:04d}",
        title=f"Test case {number}",
        provider=(location or world.home).provider,
        location=location or world.home,
        urgency=urgency,
        deadline=deadline,
        opened_at=opened,
    )


def moves(case: Case) -> list[tuple[str, str, str]]:
    """The case's status moves, as portal.workflow logged them."""
    return list(
        StatusChange.objects.filter(subject_type="casework.case", subject_id=str(case.pk))
        .order_by("at", "id")
        .values_list("action", "from_status", "to_status")
    )
