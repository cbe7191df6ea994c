"""How much may be uploaded to one question: from settings, per question if it says so."""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from portal.documents.detection import ALL_KINDS, FileKind


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_files: int
    kinds: frozenset[FileKind] = field(default=ALL_KINDS)

    @property
    def max_size_text(self) -> str:
        """ "50 MB", as people read it (Django's filesizeformat says "50.0 MB")."""
        text = str(filesizeformat(self.max_bytes)).replace("\xa0", " ")
        return text.replace(".0 ", " ")


def limits_for(question: str, *, kinds: frozenset[FileKind] = ALL_KINDS) -> UploadLimits:
    own = settings.DOCUMENTS_QUESTION_LIMITS.get(question, {})
    return UploadLimits(
        max_bytes=own.get("max_bytes", settings.DOCUMENTS_MAX_FILE_BYTES),
        max_files=own.get("max_files", settings.DOCUMENTS_MAX_FILES_PER_QUESTION),
        kinds=kinds,
    )
