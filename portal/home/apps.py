from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "portal.home"
    verbose_name = "Each user's home page and the service navigation"
