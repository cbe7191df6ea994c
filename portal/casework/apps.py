"""The regulator's back office: one case for every item staff must act on, queues, deadlines."""

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "portal.casework"
    verbose_name = "Casework: the regulator's queue of cases"

    def ready(self) -> None:
        from portal.casework import receivers  # noqa: F401  (connects the signal receivers)
