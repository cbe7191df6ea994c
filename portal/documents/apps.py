from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "portal.documents"
    verbose_name = "Documents: uploads, virus scanning, storage and downloads"

    def ready(self) -> None:
        from django.core import checks

        from portal.documents import access
        from portal.documents.checks import check_documents_settings

        access.register()
        checks.register(check_documents_settings)
