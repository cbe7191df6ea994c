"""What people may do for a provider: fine-grained permissions and the access levels people
choose from when they give a colleague access.

Fine-grained permissions are what the access function checks and what each membership
stores. People never see them: they choose access levels ("Draft and submit notifications"),
each of which stands for a fixed set of fine-grained permissions.
"""

from enum import StrEnum


class Permission(StrEnum):
    VIEW_SUBMISSIONS = "view_submissions"
    DRAFT_NOTIFICATIONS = "draft_notifications"
    SUBMIT_NOTIFICATIONS = "submit_notifications"
    PREPARE_APPLICATIONS = "prepare_applications"
    PREPARE_CANCELLATIONS = "prepare_cancellations"
    # Applications and cancellations end with a legal declaration by a registered person,
    # so this one is never delegated: only registered roles carry it.
    SIGN_DECLARATIONS = "sign_declarations"
    VIEW_TEAM = "view_team"
    MANAGE_TEAM = "manage_team"


ALL_PERMISSIONS = frozenset(Permission)
DELEGABLE_PERMISSIONS = ALL_PERMISSIONS - {Permission.SIGN_DECLARATIONS}
# What is left of someone's access to a deregistered provider or location during the
# read-only period: they can still see what was sent and who had access.
READ_ONLY_PERMISSIONS = frozenset({Permission.VIEW_SUBMISSIONS, Permission.VIEW_TEAM})


class AccessLevel(StrEnum):
    """The choices a person makes when giving access (one checkbox each)."""

    VIEW = "view"
    NOTIFICATIONS = "notifications"
    REGISTRATION = "registration"
    TEAM = "team"


ACCESS_LEVEL_LABELS: dict[AccessLevel, str] = {
    AccessLevel.VIEW: "View submissions",
    AccessLevel.NOTIFICATIONS: "Draft and submit notifications",
    AccessLevel.REGISTRATION: "Manage registration",
    AccessLevel.TEAM: "Manage team",
}

ACCESS_LEVEL_HINTS: dict[AccessLevel, str] = {
    AccessLevel.VIEW: "See notifications and applications already sent, and their replies",
    AccessLevel.NOTIFICATIONS: "Write statutory notifications, send them and answer our questions about them",
    AccessLevel.REGISTRATION: (
        "Prepare applications to change or cancel registration. Only a registered person "
        "can sign the declaration and send them"
    ),
    AccessLevel.TEAM: "Give colleagues access, change it and remove it (never more than they have)",
}

ACCESS_LEVEL_PERMISSIONS: dict[AccessLevel, frozenset[Permission]] = {
    AccessLevel.VIEW: frozenset({Permission.VIEW_SUBMISSIONS}),
    AccessLevel.NOTIFICATIONS: frozenset(
        {
            Permission.VIEW_SUBMISSIONS,
            Permission.DRAFT_NOTIFICATIONS,
            Permission.SUBMIT_NOTIFICATIONS,
        }
    ),
    AccessLevel.REGISTRATION: frozenset(
        {
            Permission.VIEW_SUBMISSIONS,
            Permission.PREPARE_APPLICATIONS,
            Permission.PREPARE_CANCELLATIONS,
        }
    ),
    AccessLevel.TEAM: frozenset({Permission.VIEW_TEAM, Permission.MANAGE_TEAM}),
}


def permissions_for_levels(levels: list[str] | set[str] | frozenset[str]) -> frozenset[str]:
    """Fine-grained permissions that the chosen access levels stand for."""
    granted: set[str] = set()
    for level in levels:
        granted |= ACCESS_LEVEL_PERMISSIONS[AccessLevel(level)]
    return frozenset(granted)


def levels_for_permissions(permissions: list[str] | set[str] | frozenset[str]) -> list[AccessLevel]:
    """Access levels wholly contained in a set of fine-grained permissions, in display order.

    "View submissions" is left out when another level already includes it, so a summary
    reads "Draft and submit notifications" rather than both.
    """
    held = set(permissions)
    levels = [level for level, needed in ACCESS_LEVEL_PERMISSIONS.items() if needed <= held]
    if len(levels) > 1 and AccessLevel.VIEW in levels:
        others = set().union(
            *(ACCESS_LEVEL_PERMISSIONS[x] for x in levels if x != AccessLevel.VIEW)
        )
        if Permission.VIEW_SUBMISSIONS in others:
            levels.remove(AccessLevel.VIEW)
    return levels


def describe_permissions(permissions: list[str] | set[str] | frozenset[str]) -> list[str]:
    labels = [ACCESS_LEVEL_LABELS[level] for level in levels_for_permissions(permissions)]
    if Permission.SIGN_DECLARATIONS in permissions:
        labels.append("Sign declarations")
    return labels
