from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    verbose_name = "Statutory notifications"

    def ready(self) -> None:
        from portal.notifications import attachments, permissions

        permissions.register()
        attachments.register()
