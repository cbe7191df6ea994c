from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    verbose_name = "Statutory notifications"

    def ready(self) -> None:
        from portal.notifications import (  # noqa: F401 (email_change_outcomes registers)
            attachments,
            case_handler,
            email_change_outcomes,
            permissions,
        )

        permissions.register()
        attachments.register()
        case_handler.register()
