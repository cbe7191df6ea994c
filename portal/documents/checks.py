"""Start-up checks: a documents setting that cannot work stops the site from starting,
rather than failing the first upload."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def check_documents_settings(app_configs: Any = None, **_kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.DOCUMENTS_STORAGE == "s3" and not settings.DOCUMENTS_S3_BUCKET:
        errors.append(
            Error("DOCUMENTS_STORAGE is s3 but DOCUMENTS_S3_BUCKET is empty.", id="documents.E001")
        )
    address = settings.CLAMD_ADDRESS
    if address.startswith("tcp://"):
        host, _, port = address.removeprefix("tcp://").rpartition(":")
        if not host or not port.isdigit():
            errors.append(
                Error(f"CLAMD_ADDRESS {address!r} must be tcp://host:port.", id="documents.E002")
            )
    elif not address.startswith("/"):
        errors.append(
            Error(
                f"CLAMD_ADDRESS {address!r} must be an absolute socket path or tcp://host:port.",
                id="documents.E002",
            )
        )
    for name in ("DOCUMENTS_MAX_FILE_BYTES", "DOCUMENTS_MAX_FILES_PER_QUESTION"):
        value = getattr(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            errors.append(Error(f"{name} must be a positive whole number.", id="documents.E003"))
    return errors
