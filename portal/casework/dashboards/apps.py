from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Its own app (inside casework) so its snapshot tables have their own migrations."""

    name = "portal.casework.dashboards"
    label = "casework_dashboards"
    verbose_name = "Casework dashboards"
