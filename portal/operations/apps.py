from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "portal.operations"
    verbose_name = "Operations (health, request ids, logging, worker)"
