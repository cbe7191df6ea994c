"""What regulator staff may do, by name.

Views ask for a named staff permission (`@requires(StaffPermission.X.required)`), never for
`is_staff`. A member of staff holds the permissions of their current roles (portal.staff);
`is_staff` alone grants nothing. This module sits below portal.staff, so portal.staff registers
the function that reads a principal's roles (`register_staff_permissions_reader`) at start-up.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.http import HttpRequest

from portal.access import Principal, register_permission


class StaffPermission(StrEnum):
    VIEW_NOTIFICATIONS_QUEUE = "view_notifications_queue"
    DECIDE_NOTIFICATIONS = "decide_notifications"
    VIEW_REGISTER = "view_register"
    MANAGE_ACCOUNTS = "manage_accounts"
    DECIDE_SECOND_FACTOR_RESETS = "decide_second_factor_resets"
    # Registration applications: see them all; validate, assess, serve notices and decide.
    VIEW_APPLICATIONS = "view_applications"
    ASSESS_APPLICATIONS = "assess_applications"
    # The back office (issue 15): the case queue, assigning work, dashboards, staff management.
    VIEW_CASES = "view_cases"
    ASSIGN_CASES = "assign_cases"
    VIEW_DASHBOARDS = "view_dashboards"
    MANAGE_STAFF = "manage_staff"

    @property
    def required(self) -> str:
        """The name `@requires(...)` takes."""
        return f"staff.{self.value}"


StaffPermissionsReader = Callable[[Principal], frozenset[StaffPermission]]
_readers: list[StaffPermissionsReader] = []


def register_staff_permissions_reader(reader: StaffPermissionsReader) -> None:
    """portal.staff tells this module how to read a signed-in principal's roles (once)."""
    _readers[:] = [reader]


def staff_permissions_of(principal: Principal | None) -> frozenset[StaffPermission]:
    """The one place that decides which staff permissions a principal holds."""
    if principal is None or not principal.is_authenticated or not principal.is_active:
        return frozenset()
    if not principal.is_staff or not _readers:
        # Only regulator accounts can hold staff roles: a provider's account costs no query.
        return frozenset()
    return _readers[0](principal)


def has_staff_permission(principal: Principal | None, permission: StaffPermission) -> bool:
    return permission in staff_permissions_of(principal)


def _check(permission: StaffPermission) -> Any:
    def check(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
        return has_staff_permission(request.user, permission)

    return check


for _permission in StaffPermission:
    register_permission(_permission.required, _check(_permission), covers_everything=True)
