from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    verbose_name = "Statutory notifications"

    def ready(self) -> None:
        from portal.notifications import email_change_outcomes, permissions  # noqa: F401

        permissions.register()
