from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "portal.casework"
    verbose_name = "Casework: the regulator's queue of cases"
