from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "portal.staff"
    verbose_name = "Staff: the regulator's roles and teams"

    def ready(self) -> None:
        # staff_permissions sits below this package: it learns here how to read roles.
        from portal.staff.access import staff_permissions_from_roles
        from portal.staff_permissions import register_staff_permissions_reader

        register_staff_permissions_reader(staff_permissions_from_roles)
