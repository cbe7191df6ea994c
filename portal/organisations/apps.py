from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "portal.organisations"
    verbose_name = "Organisations (delegation)"

    def ready(self) -> None:
        # Permission names for @requires, and the register-changed receiver.
        from portal.organisations import checks, sync  # noqa: F401
