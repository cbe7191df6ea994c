"""The certificate of registration as a stored PDF, made once per register state.

Rendering the PDF of a large provider costs seconds of CPU, so it is not done per request: the
file is rendered once, stored through Django's storage API (the "documents" storage: local
disk, or S3-compatible object storage in production) and served from there. Its name is a
digest of what the certificate says (its date of issue aside), so any register change that
alters the certificate names a new file: a stale certificate is never found, let alone served.
Two renders of one state at once are prevented by a per-provider lock.

Digesting the HTML cost a download about 2 ms of CPU, so each worker keeps the key it found
for each state it has seen, by what names the register state the certificate was read from
(the versions of its rows: certificates.CertificateState): within one process (one version
of the code and the settings) the same state always makes the same HTML, so the key is the
same as digesting it again, and a download of a state seen before reads no certificate.
"""

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.template import engines

from portal.frontend.pdf import render_document_html, render_pdf
from portal.register.certificate_pages import locations_table
from portal.register.certificates import Certificate

TEMPLATE = "register/certificate.html"
STORAGE = "documents"
FOLDER = "certificates"
# First key of the PostgreSQL advisory locks taken here (the second is the provider's).
LOCK_CLASS = 17017


def _storage() -> Storage:
    return storages[STORAGE]


def _folder(provider_id: str) -> str:
    return f"{FOLDER}/{''.join(c for c in provider_id if c.isalnum() or c == '-')}"


# The key of each register state this process has seen, by the certificate's state digest
# (a plain dict: a lookup and a store are each atomic, and two threads that find the same
# key store the same answer). Emptied when full: a few hundred providers' keys each day.
_KEYS_BY_STATE: dict[str, str] = {}
_KEYS_KEPT = 2_000


def _kept_under(state_digest: str) -> str | None:
    """What _KEYS_BY_STATE keeps the key of a register state under; None where keys are not
    kept (no digest, or templates that may be edited meanwhile and draw other HTML)."""
    if not state_digest or engines["jinja2"].env.auto_reload:  # type: ignore[attr-defined]
        return None
    # What the layout shows besides the certificate (settings, fixed in production).
    return repr(
        (
            state_digest,
            settings.SERVICE_NAME,
            settings.REGULATOR_NAME,
            settings.SUPPORT_EMAIL,
            settings.SUPPORT_PHONE,
        )
    )


def known_key(state_digest: str) -> str | None:
    """The key this process found for the register state `state_digest` names (see
    certificates.CertificateState), if it has seen that state."""
    state = _kept_under(state_digest)
    return None if state is None else _KEYS_BY_STATE.get(state)


def state_key(certificate: Certificate) -> str:
    """Where the PDF of this register state is stored: a digest of the certificate's HTML
    with its date of issue left out (the same state on another day is the same file),
    found once per state in each process."""
    state = _kept_under(certificate.state_digest)
    if state is None:
        return _html_key(certificate)
    key = _KEYS_BY_STATE.get(state)
    if key is None:
        if len(_KEYS_BY_STATE) >= _KEYS_KEPT:
            _KEYS_BY_STATE.clear()
        key = _KEYS_BY_STATE[state] = _html_key(certificate)
    return key


def _html_key(certificate: Certificate) -> str:
    """The key digested from the certificate's HTML."""
    undated = dataclasses.replace(certificate, issued_on=dt.date.min)
    # A large provider's locations table as the web page keeps it drawn: the same markup the
    # template's own include makes, so the same digest, without drawing a thousand rows for
    # every download.
    html = render_document_html(
        TEMPLATE,
        {
            "certificate": undated,
            "generated_at": None,
            "locations_table": locations_table(certificate),
        },
    )
    digest = hashlib.sha256(html.encode()).hexdigest()
    return f"{_folder(certificate.provider.id)}/{digest}.pdf"


def open_stored(key: str) -> File | None:
    """The stored certificate `key` names, opened; None if it has not been made yet."""
    storage = _storage()
    if not storage.exists(key):
        return None
    return storage.open(key, "rb")


@contextmanager
def provider_lock(provider_id: str) -> Iterator[None]:
    """One holder at a time per provider (a transaction-scoped PostgreSQL advisory lock; on
    SQLite, used only by the development server, writes are serialised anyway)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [LOCK_CLASS, provider_id]
                )
        yield


def make_certificate(certificate: Certificate) -> str:
    """Render and store the certificate unless its state is stored already; its key back.
    Older states of the provider's certificate are removed."""
    key = state_key(certificate)
    storage = _storage()
    with provider_lock(certificate.provider.id):
        if not storage.exists(key):
            data = render_pdf(TEMPLATE, {"certificate": certificate})
            saved = storage.save(key, ContentFile(data))
            if saved != key:  # another name means the storage renamed it: do not keep it
                storage.delete(saved)
                raise FileExistsError(key)
        remove_certificates(certificate.provider.id, keep=key)
    return key


def remove_certificates(provider_id: str, *, keep: str = "") -> int:
    """Delete the provider's stored certificates but `keep`; how many were deleted."""
    storage = _storage()
    folder = _folder(provider_id)
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        key = f"{folder}/{name}"
        if key != keep:
            storage.delete(key)
            removed += 1
    return removed
