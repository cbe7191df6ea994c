from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "portal.documents"
    verbose_name = "Documents: uploads, virus scanning, storage and downloads"

    def ready(self) -> None:
        from portal.documents import access

        access.register()
