from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "portal.frontend"
    verbose_name = "Front end (layouts, GOV.UK components, forms)"
