from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "portal.staff"
    verbose_name = "Staff: the regulator's roles and teams"
