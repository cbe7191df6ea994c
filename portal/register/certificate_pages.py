"""The certificate's web page: its locations table (a thousand rows for the largest providers)
says only what the certificate says, so, like the PDF (certificate_files), it is drawn once
per content: kept in the cache under a digest of exactly what it shows. Never per person; the
page's access check and the reading of the register still run on every request."""

import functools
import hashlib

from django.core.cache import cache
from django.template import engines
from markupsafe import Markup, escape

from portal.register.certificates import Certificate, CertificateLocation

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
    """The table of `certificate.locations`, drawn now: written here, byte for byte what
    LOCATIONS_TEMPLATE draws (which the PDF of a small provider includes itself), rather
    than fifty rows of loops and escapes passed up through the template's nested blocks
    (tests/register/test_certificate_table_rows.py compares the two)."""
    provider = escape(certificate.provider.display_name)
    rows = "".join(map(_location_row, certificate.locations)) or _NO_LOCATIONS
    return Markup(  # noqa: S704 (every value escaped here)
        '<table class="govuk-table portal-table-stack">\n'
        '    <caption class="govuk-table__caption govuk-table__caption--s">'
        f"Locations of {provider}</caption>\n"
        '    <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        '      <th scope="col" class="govuk-table__header">Location</th>\n'
        '      <th scope="col" class="govuk-table__header">Regulated activities</th>\n'
        '      <th scope="col" class="govuk-table__header">Registered manager</th>\n'
        "    </tr></thead>\n"
        '    <tbody class="govuk-table__body">\n'
        f"    {rows}\n"
        "    </tbody>\n"
        "  </table>"
    )


_NO_LOCATIONS = (
    '\n      <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="3">'
    "No registered locations.</td></tr>\n    "
)


def _location_row(entry: CertificateLocation) -> str:
    place = entry.location
    activities = "<br>".join(str(escape(activity.name)) for activity in entry.activities)
    managers = "<br>".join(str(escape(person.full_name)) for person in entry.managers)
    return (
        '\n      <tr class="govuk-table__row">\n'
        '        <td class="govuk-table__cell" data-label="Location">'
        f"{escape(place.name)} ({escape(place.id)})<br>"
        f"{escape(', '.join(place.address_lines))}</td>\n"
        '        <td class="govuk-table__cell" data-label="Regulated activities">'
        f"{activities or 'None recorded'}</td>\n"
        '        <td class="govuk-table__cell" data-label="Registered manager">'
        f"{managers or 'None in post'}</td>\n"
        "      </tr>\n    "
    )
