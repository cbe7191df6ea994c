from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "portal.organisations"
    verbose_name = "Organisations (delegation)"

    def ready(self) -> None:
        # Permission names for @requires, the register-changed receiver, and the withdrawal
        # of invitations when an inviter's access shrinks (registered with services).
        from portal.organisations import checks, invitation_services, sync  # noqa: F401
