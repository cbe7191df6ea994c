from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "portal.demo"
    verbose_name = "Demo data and the development server"
