from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "portal.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Each domain's catalogue of audit verbs (`<app>/audit_verbs.py`), so record() knows
        # every verb before the first event.
        autodiscover_modules("audit_verbs")
