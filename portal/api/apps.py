from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portal.api"
    verbose_name = "API for care-record software"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.api import checks  # noqa: F401 (registers the key pages' permission)
