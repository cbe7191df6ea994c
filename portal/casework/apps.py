"""The regulator's back office: one case for every item staff must act on, queues, deadlines."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CaseworkConfig(AppConfig):
    name = "portal.casework"
    verbose_name = "Casework: the regulator's queue of cases"

    def ready(self) -> None:
        from portal.casework import receivers  # noqa: F401  (connects the signal receivers)

        # Each domain's `cases.py` registers its links and backfill (see links.py, backfill.py).
        autodiscover_modules("cases")

        # Accounts sits below casework, so its handler is registered from here.
        from portal.casework import second_factor_handler

        second_factor_handler.register()
