"""The certificate's web page: its locations table (a thousand rows for the largest providers)
says only what the certificate says, so, like the PDF (certificate_files), it is drawn once
per content: kept in the cache under a digest of exactly what it shows. Never per person; the
page's access check and the reading of the register still run on every request."""

import functools
import hashlib

from django.core.cache import cache
from django.template import engines
from markupsafe import Markup

from portal.register.certificates import Certificate

LOCATIONS_TEMPLATE = "register/_certificate_locations.html"
# A small provider's table costs less to draw than to digest and keep.
CACHED_FROM_LOCATIONS = 100
_TIMEOUT_SECONDS = 24 * 60 * 60


@functools.cache
def _template_digest() -> str:
    # In the key so that a changed template never meets markup drawn by the old one.
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    source, _filename, _uptodate = env.loader.get_source(env, LOCATIONS_TEMPLATE)
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _content_digest(certificate: Certificate) -> str:
    """Everything the table shows (register/_certificate_locations.html), in order: the
    digest of the rows it was drawn from when read from the register (certificate_for)."""
    if certificate.table_digest:
        return f"rows-{certificate.table_digest}"
    # One repr of every row, hashed at once (a thousand small updates cost more).
    rows = [
        (
            *entry.location,  # its ID, name and address lines
            [activity.name for activity in entry.activities],
            [person.full_name for person in entry.managers],
        )
        for entry in certificate.locations
    ]
    shown = repr((certificate.provider.display_name, rows))
    return hashlib.sha256(shown.encode()).hexdigest()


def locations_table(certificate: Certificate) -> Markup | None:
    """The drawn table of a large provider, from the cache when this content was drawn
    before; None for a small one (the page includes the template itself)."""
    if len(certificate.locations) < CACHED_FROM_LOCATIONS:
        return None
    key = f"certificate-locations:{_template_digest()}:{_content_digest(certificate)}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = str(drawn_table(certificate))
        cache.set(key, drawn, _TIMEOUT_SECONDS)
    # The output of one of our templates, escaped as every page is.
    return Markup(drawn)  # noqa: S704


def drawn_table(certificate: Certificate) -> Markup:
    """The table of `certificate.locations`, drawn now: the web page's fifty rows drawn
    apart and put in whole, rather than each piece of them passed up through the page's
    nine nested template blocks."""
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    # The output of one of our templates, escaped as every page is.
    return Markup(env.get_template(LOCATIONS_TEMPLATE).render(certificate=certificate))  # noqa: S704
