"""Staff roles and the named permissions each one holds.

A role is a job at the regulator; a permission is what a page or service asks for. Pages never
ask for a role, so a role can change what it holds here without touching any view.
"""

from django.db import models

from portal.staff_permissions import StaffPermission


class StaffRole(models.TextChoices):
    INSPECTOR = "inspector", "Inspector"
    REGISTRATION_ASSESSOR = "registration_assessor", "Registration assessor"
    TEAM_LEADER = "team_leader", "Team leader"
    ADMINISTRATOR = "administrator", "Administrator"


class Region(models.TextChoices):
    """England's nine regions, spelt as the register's `region` field spells them."""

    NORTH_EAST = "North East", "North East"
    NORTH_WEST = "North West", "North West"
    YORKSHIRE = "Yorkshire and The Humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "East Midlands", "East Midlands"
    WEST_MIDLANDS = "West Midlands", "West Midlands"
    EAST = "East", "East of England"
    LONDON = "London", "London"
    SOUTH_EAST = "South East", "South East"
    SOUTH_WEST = "South West", "South West"


class Sector(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    PRIMARY_MEDICAL = "primary_medical", "Primary medical services"
    DENTAL = "dental", "Dental"
    HOSPITALS = "hospitals", "Hospitals"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community health"


_S = StaffPermission

ROLE_PERMISSIONS: dict[str, frozenset[StaffPermission]] = {
    StaffRole.INSPECTOR: frozenset(
        {
            _S.VIEW_CASES,
            _S.VIEW_NOTIFICATIONS_QUEUE,
            _S.DECIDE_NOTIFICATIONS,
            _S.VIEW_REGISTER,
            _S.VIEW_APPLICATIONS,
        }
    ),
    StaffRole.REGISTRATION_ASSESSOR: frozenset(
        {
            _S.VIEW_CASES,
            _S.VIEW_REGISTER,
            _S.VIEW_APPLICATIONS,
            _S.ASSESS_APPLICATIONS,
        }
    ),
    StaffRole.TEAM_LEADER: frozenset(
        {
            _S.VIEW_CASES,
            _S.ASSIGN_CASES,
            _S.VIEW_DASHBOARDS,
            _S.VIEW_NOTIFICATIONS_QUEUE,
            _S.DECIDE_NOTIFICATIONS,
            _S.VIEW_REGISTER,
            _S.VIEW_APPLICATIONS,
            _S.ASSESS_APPLICATIONS,
            _S.DECIDE_SECOND_FACTOR_RESETS,
        }
    ),
    StaffRole.ADMINISTRATOR: frozenset(
        {
            _S.MANAGE_STAFF,
            _S.MANAGE_ACCOUNTS,
            _S.DECIDE_SECOND_FACTOR_RESETS,
            _S.VIEW_DASHBOARDS,
            _S.VIEW_REGISTER,
        }
    ),
}


def role_labels(roles: "list[str] | tuple[str, ...]") -> list[str]:
    """The names of the roles held (a stored role no longer offered is left out)."""
    return [StaffRole(role).label for role in roles if role in StaffRole.values]


def permissions_for_roles(roles: "list[str] | tuple[str, ...]") -> frozenset[StaffPermission]:
    held: set[StaffPermission] = set()
    for role in roles:
        held |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(held)
