from django.apps import AppConfig


class EmailsConfig(AppConfig):
    name = "portal.emails"
    verbose_name = "Email outbox"
