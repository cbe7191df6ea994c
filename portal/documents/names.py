"""File names as people see them: cleaned for display, never used to store anything."""

import unicodedata

from portal.documents.detection import KINDS, FileKind

MAX_NAME_CHARACTERS = 150


class NameUnusable(ValueError):
    pass


def _visible(character: str) -> bool:
    # Control characters (NUL, newlines), format characters (right-to-left override,
    # zero-width joiners), unassigned and private-use code points all go.
    return unicodedata.category(character)[0] != "C"


def clean_name(raw: str, kind: FileKind) -> str:
    """A name safe to show and to offer as a download name: the last path component,
    visible characters only, spaces collapsed, at most MAX_NAME_CHARACTERS, ending with an
    extension of the detected kind (a PDF called "plan.docx" is offered as "plan.docx.pdf",
    so nobody opens it with the wrong program)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch if _visible(ch) else " " for ch in name)
    name = " ".join(name.split())
    known = [ext for ext in KINDS[kind].extensions if name.lower().endswith(ext)]
    if known:
        stem, extension = name[: -len(known[0])], name[-len(known[0]) :]
    else:
        stem, extension = name, KINDS[kind].extensions[0]
    stem = stem.strip(". ")
    if not any(ch.isalnum() for ch in stem):
        raise NameUnusable(raw)
    stem = stem[: MAX_NAME_CHARACTERS - len(extension)].rstrip(". ")
    return f"{stem}{extension}"
