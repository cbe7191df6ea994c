from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "portal.applications"
    verbose_name = "Registration applications"

    def ready(self) -> None:
        from portal.applications import case_handler, permissions
        from portal.applications.definitions import CATALOGUE

        # Loading the catalogue checks every definition: a broken one stops start-up.
        assert CATALOGUE.current_types()
        permissions.register()
        case_handler.register()
