from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "portal.register"
    verbose_name = "The register (providers, locations, people, roles)"

    def ready(self) -> None:
        from portal.register import id_lookups, like_patterns, permissions

        permissions.register()
        id_lookups.register()
        like_patterns.register()
