from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "portal.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from portal.webhooks import permissions

        permissions.register()
