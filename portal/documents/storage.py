"""Where document bytes live: Django's storage API, so local disk and S3-compatible object
storage are one code path. "documents" holds files; "quarantine" holds infected ones, and no
download ever reads it."""

import secrets
from collections.abc import Iterator

from django.core.files import File
from django.core.files.storage import Storage, storages

DOCUMENTS = "documents"
QUARANTINE = "quarantine"
READ_CHUNK_BYTES = 1024 * 1024


def documents_storage() -> Storage:
    return storages[DOCUMENTS]


def quarantine_storage() -> Storage:
    return storages[QUARANTINE]


def storage_for(*, quarantined: bool) -> Storage:
    return quarantine_storage() if quarantined else documents_storage()


def new_key() -> str:
    """Random (192 bits), fanned out over 256 folders; never derived from the user's name."""
    token = secrets.token_hex(24)
    return f"{token[:2]}/{token}"


def store(key: str, content: File) -> None:
    """Write `content` (read in chunks by the storage backend) under exactly `key`."""
    saved = documents_storage().save(key, content)
    if saved != key:  # never happens with random keys; if it did, the row would lie
        documents_storage().delete(saved)
        raise FileExistsError(key)


def open_stored(key: str, *, quarantined: bool = False) -> File:
    """The stored file, opened now (FileNotFoundError if it is not there)."""
    return storage_for(quarantined=quarantined).open(key, "rb")


def chunks_of(stored: File) -> Iterator[bytes]:
    while chunk := stored.read(READ_CHUNK_BYTES):
        yield chunk


def move_to_quarantine(key: str) -> None:
    """Copy into quarantine, in chunks; the caller deletes the original once the row says so
    (a crash in between leaves an orphan the sweeper removes, never a lost file)."""
    source = documents_storage()
    if quarantine_storage().exists(key):  # copied by an earlier attempt that then failed
        return
    with source.open(key, "rb") as stored:
        saved = quarantine_storage().save(key, File(stored, name=key))
    if saved != key:
        raise FileExistsError(key)


def delete(key: str, *, quarantined: bool = False) -> None:
    storage_for(quarantined=quarantined).delete(key)
