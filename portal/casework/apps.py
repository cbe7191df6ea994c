from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "portal.casework"
    verbose_name = "Casework: the regulator's queue of cases"

    def ready(self) -> None:
        # Accounts sits below casework, so its handler is registered from here.
        from portal.casework import second_factor_handler

        second_factor_handler.register()
