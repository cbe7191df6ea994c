"""Demo regulator staff: teams for a few regions and sectors, and one member for each role,
all with the demo password and the published demo authenticator (`manage.py demo_code`)."""

from portal.demo.accounts import demo_account, second_factor_note
from portal.demo.logins import DEMO_PASSWORD, DemoLogin
from portal.staff.models import StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole

DEMO_TEAMS = (
    ("London adult social care", Region.LONDON, Sector.ADULT_SOCIAL_CARE),
    ("North West adult social care", Region.NORTH_WEST, Sector.ADULT_SOCIAL_CARE),
    ("Yorkshire primary medical services", Region.YORKSHIRE, Sector.PRIMARY_MEDICAL),
    ("London hospitals", Region.LONDON, Sector.HOSPITALS),
)

# (email, name, roles, teams by name)
DEMO_STAFF: tuple[tuple[str, str, list[StaffRole], list[str]], ...] = (
    (
        "inspector@regulator.example",
        "Demo Inspector",
        [StaffRole.INSPECTOR],
        ["London adult social care", "North West adult social care"],
    ),
    (
        "assessor@regulator.example",
        "Demo Assessor",
        [StaffRole.REGISTRATION_ASSESSOR],
        ["London adult social care", "Yorkshire primary medical services"],
    ),
    (
        "team.leader@regulator.example",
        "Demo Team Leader",
        [StaffRole.TEAM_LEADER],
        ["London adult social care", "London hospitals"],
    ),
    ("admin@regulator.example", "Demo Administrator", [StaffRole.ADMINISTRATOR], []),
)


def load_demo_staff() -> list[DemoLogin]:
    """Teams and staff, made once (running again changes nothing)."""
    teams = {}
    for name, region, sector in DEMO_TEAMS:
        teams[name], _ = Team.objects.get_or_create(
            region=region, sector=sector, defaults={"name": name}
        )
    logins = []
    for email, full_name, roles, team_names in DEMO_STAFF:
        user = demo_account(email, full_name=full_name)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        member, created = StaffMember.objects.get_or_create(
            user=user, defaults={"roles": [str(role) for role in roles]}
        )
        if created:
            member.teams.set([teams[name] for name in team_names])
        labels = ", ".join(StaffRole(role).label.lower() for role in roles)
        logins.append(
            DemoLogin(
                f"Regulator staff ({labels})", email, DEMO_PASSWORD, note=second_factor_note()
            )
        )
    return logins
