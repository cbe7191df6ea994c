"""What a file is, decided from its bytes: never the browser's claim or the extension alone.

Debian's libmagic (python-magic) names most formats from the first bytes; ZIP-based formats
(Word, Excel, OpenDocument) are recognised by their structure, which libmagic only guesses
at from the first entry. Then every kind gets checks that libmagic does not make: a file that
is two formats at once (a PDF that is also a ZIP, a picture with an archive after it), web
page code in a text file, an archive that expands to far more than it holds, a file with a
password the virus scanner could not look inside.
"""

import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

import magic

HEAD_BYTES = 64 * 1024
_CHUNK_BYTES = 256 * 1024
# An office document is XML in a ZIP: it expands a great deal, but not without limit.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_EXPANDED_BYTES = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 1000  # real documents stay far below; bombs are far above
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


class FileKind(StrEnum):
    """Every kind of file the portal accepts; the value is its content type."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    DOC = "application/msword"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    XLS = "application/vnd.ms-excel"
    ODT = "application/vnd.oasis.opendocument.text"
    ODS = "application/vnd.oasis.opendocument.spreadsheet"
    JPEG = "image/jpeg"
    PNG = "image/png"
    TEXT = "text/plain"
    CSV = "text/csv"


@dataclass(frozen=True)
class KindInfo:
    short_name: str  # as people know the file, in error messages: "PDF", "DOCX"
    label: str  # in lists of files: "PDF document"
    extensions: tuple[str, ...]  # the first is the one a download gets if its name has none


KINDS: dict[FileKind, KindInfo] = {
    FileKind.PDF: KindInfo("PDF", "PDF document", (".pdf",)),
    FileKind.DOC: KindInfo("DOC", "Word document", (".doc",)),
    FileKind.DOCX: KindInfo("DOCX", "Word document", (".docx",)),
    FileKind.XLS: KindInfo("XLS", "Excel spreadsheet", (".xls",)),
    FileKind.XLSX: KindInfo("XLSX", "Excel spreadsheet", (".xlsx",)),
    FileKind.ODT: KindInfo("ODT", "OpenDocument text", (".odt",)),
    FileKind.ODS: KindInfo("ODS", "OpenDocument spreadsheet", (".ods",)),
    FileKind.JPEG: KindInfo("JPG", "JPEG image", (".jpg", ".jpeg")),
    FileKind.PNG: KindInfo("PNG", "PNG image", (".png",)),
    FileKind.TEXT: KindInfo("TXT", "Text file", (".txt",)),
    FileKind.CSV: KindInfo("CSV", "CSV file", (".csv",)),
}

ALL_KINDS = frozenset(FileKind)


def label_for(content_type: str) -> str:
    try:
        return KINDS[FileKind(content_type)].label
    except ValueError:
        return "File"


def allowed_names(kinds: frozenset[FileKind]) -> str:
    """'a PDF, DOCX or PNG': the kinds in the order of FileKind, for error messages."""
    names = [KINDS[kind].short_name for kind in FileKind if kind in kinds]
    if len(names) == 1:
        return f"a {names[0]}"
    return f"a {', '.join(names[:-1])} or {names[-1]}"


class Refusal(StrEnum):
    """Why a file's content is refused (the documents errors say it to people)."""

    EMPTY = "empty"
    UNKNOWN_TYPE = "unknown_type"
    TWO_FORMATS = "two_formats"
    WEB_CODE = "web_code"
    ENCRYPTED = "encrypted"
    ARCHIVE_BOMB = "archive_bomb"


class ContentRefused(Exception):
    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


# libmagic's names for the kinds it recognises by their first bytes.
_MAGIC_KINDS = {
    "application/pdf": FileKind.PDF,
    "application/msword": FileKind.DOC,
    "application/vnd.ms-excel": FileKind.XLS,
    "image/jpeg": FileKind.JPEG,
    "image/png": FileKind.PNG,
    "text/plain": FileKind.TEXT,
    "text/csv": FileKind.CSV,
}
_SIGNATURES = {
    FileKind.PDF: (b"%PDF-",),
    FileKind.DOC: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    FileKind.XLS: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    FileKind.JPEG: (b"\xff\xd8\xff",),
    FileKind.PNG: (b"\x89PNG\r\n\x1a\n",),
}
_ZIP_SIGNATURE = b"PK\x03\x04"
# What a browser would take for a page or a script if it ever rendered the text.
_WEB_CODE = re.compile(
    rb"<\s*(script|html|body|iframe|object|embed|svg|img|meta|link|style|form|a\s)"
    rb"|<\?php|<!doctype\s+html|javascript\s*:",
    re.IGNORECASE,
)
_WEB_CODE_OVERLAP = 32


def detect(file: IO[bytes], *, name: str = "") -> FileKind:
    """The kind of `file` (read from the start; left at an unspecified position), or
    ContentRefused. `name` only tells a CSV from other plain text."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if not head:
        raise ContentRefused(Refusal.EMPTY)
    if head.startswith(_ZIP_SIGNATURE):
        return _zip_kind(file)
    kind = _MAGIC_KINDS.get(magic.from_buffer(head, mime=True))
    if kind is None:
        raise ContentRefused(Refusal.UNKNOWN_TYPE, magic.from_buffer(head)[:200])
    if kind in _SIGNATURES and not head.startswith(_SIGNATURES[kind]):
        raise ContentRefused(Refusal.UNKNOWN_TYPE, "signature not at the start")
    if _is_also_a_zip(file):
        raise ContentRefused(Refusal.TWO_FORMATS, f"{kind.name} and ZIP")
    if kind in (FileKind.TEXT, FileKind.CSV):
        _check_text(file)
        if name.lower().endswith(".csv"):
            return FileKind.CSV
        return kind
    return kind


def _is_also_a_zip(file: IO[bytes]) -> bool:
    file.seek(0)
    try:
        return zipfile.is_zipfile(file)
    finally:
        file.seek(0)


def _check_text(file: IO[bytes]) -> None:
    """Plain text all through: no NUL bytes (binary data after a text start) and no web code."""
    file.seek(0)
    carry = b""
    while chunk := file.read(_CHUNK_BYTES):
        if b"\x00" in chunk:
            raise ContentRefused(Refusal.UNKNOWN_TYPE, "binary data in text")
        window = carry + chunk
        found = _WEB_CODE.search(window)
        if found:
            raise ContentRefused(Refusal.WEB_CODE, found.group(0)[:40].decode("latin-1"))
        carry = window[-_WEB_CODE_OVERLAP:]


def _zip_kind(file: IO[bytes]) -> FileKind:
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ContentRefused(Refusal.UNKNOWN_TYPE, f"broken ZIP: {error}") from None
    with archive:
        members = archive.infolist()
        _check_zip_structure(members)
        names = {member.filename for member in members}
        if "mimetype" in names:
            return _opendocument_kind(archive, members[0], names)
        if "[Content_Types].xml" in names:
            return _office_open_xml_kind(archive, names)
    raise ContentRefused(Refusal.UNKNOWN_TYPE, "a ZIP archive that is no office document")


def _check_zip_structure(members: list[zipfile.ZipInfo]) -> None:
    if not members:
        raise ContentRefused(Refusal.UNKNOWN_TYPE, "an empty ZIP archive")
    if len(members) > ZIP_MAX_MEMBERS:
        raise ContentRefused(Refusal.ARCHIVE_BOMB, f"{len(members)} members")
    # Data before the first entry is another file in front of the archive.
    if members[0].header_offset != 0 or min(m.header_offset for m in members) != 0:
        raise ContentRefused(Refusal.TWO_FORMATS, "data before the ZIP archive")
    expanded = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if expanded > ZIP_MAX_EXPANDED_BYTES or expanded / packed > ZIP_MAX_RATIO:
        raise ContentRefused(Refusal.ARCHIVE_BOMB, f"{expanded} bytes from {packed}")
    for member in members:
        if member.flag_bits & 0x1:
            raise ContentRefused(Refusal.ENCRYPTED, member.filename[:100])
        if member.filename.startswith("/") or ".." in member.filename.split("/"):
            raise ContentRefused(Refusal.UNKNOWN_TYPE, "a member outside the archive")


_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": FileKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind.ODS,
}


def _opendocument_kind(
    archive: zipfile.ZipFile, first: zipfile.ZipInfo, names: set[str]
) -> FileKind:
    # The standard puts an uncompressed "mimetype" entry first, naming the document's type.
    if first.filename != "mimetype" or first.file_size > 200:
        raise ContentRefused(Refusal.UNKNOWN_TYPE, "mimetype entry misplaced")
    kind = _OPENDOCUMENT.get(archive.read(first).strip())
    if kind is None or "content.xml" not in names:
        raise ContentRefused(Refusal.UNKNOWN_TYPE, "not OpenDocument text or spreadsheet")
    if "META-INF/manifest.xml" in names:
        manifest = archive.read("META-INF/manifest.xml")[:_CONTENT_TYPES_MAX_BYTES]
        if b"encryption-data" in manifest:
            raise ContentRefused(Refusal.ENCRYPTED, "OpenDocument encryption")
    return kind


_OFFICE_OPEN_XML = {
    # Main part content type -> (kind, main part name)
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        FileKind.DOCX,
        "word/document.xml",
    ),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        FileKind.XLSX,
        "xl/workbook.xml",
    ),
}


def _office_open_xml_kind(archive: zipfile.ZipFile, names: set[str]) -> FileKind:
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _CONTENT_TYPES_MAX_BYTES:
        raise ContentRefused(Refusal.ARCHIVE_BOMB, "oversized content types")
    content_types = archive.read(info)
    for main_type, (kind, part) in _OFFICE_OPEN_XML.items():
        if main_type in content_types:
            if part not in names:
                raise ContentRefused(Refusal.UNKNOWN_TYPE, f"no {part}")
            return kind
    # Macro-enabled documents and templates have other main types: refused.
    raise ContentRefused(Refusal.UNKNOWN_TYPE, "not a Word document or Excel workbook")
