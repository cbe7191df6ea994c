"""The certificate's locations table written in Python (certificate_pages.drawn_table): the
same HTML as the template it replaced on the web page and in the PDF's name
(register/_certificate_locations.html, which a small provider's PDF still includes), for
every branch of each cell."""

import datetime as dt

import pytest
from django.template import engines

from portal.register.certificate_pages import LOCATIONS_TEMPLATE, drawn_table
from portal.register.certificates import (
    Certificate,
    CertificateLocation,
    CertifiedPlace,
    certificate_for,
)
from portal.register.models import Person, Provider, RegulatedActivity
from tests.applications.register_effects_helpers import process_all_changes, registered
from tests.factories.register import certificate_in_memory

AWKWARD = 'O\'Brien & "Sons" <Care>'


def _template(certificate: Certificate) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.get_template(LOCATIONS_TEMPLATE).render(certificate=certificate)


def _certificate(provider: Provider, locations: list[CertificateLocation]) -> Certificate:
    return certificate_in_memory(provider, locations, issued_on=dt.date(2026, 12, 5))


def _entries() -> list[CertificateLocation]:
    care = RegulatedActivity(code="RA1", name="Personal care")
    odd = RegulatedActivity(code="RA<2>", name=AWKWARD)
    mo = Person(id=1, title="Dr", given_name="Mo", family_name=AWKWARD)
    bea = Person(id=2, given_name="Bea", family_name="Both")
    return [
        CertificateLocation(CertifiedPlace("1-201", "Mill House", []), []),
        CertificateLocation(
            CertifiedPlace("1-202<&>", AWKWARD, ["1 Mill Lane", AWKWARD, "OL2 2BB"]),
            [care, odd],
            [mo, bea],
        ),
        CertificateLocation(CertifiedPlace("1-203", "Brook Lodge", ["York"]), [care], [bea]),
    ]


def test_the_table_is_the_templates_html():
    for provider in (Provider(id="1-101", name="Sunrise"), Provider(id="1-102", name=AWKWARD)):
        entries = _entries()
        for locations in (entries, entries[:1], entries[1:2], []):
            certificate = _certificate(provider, locations)
            assert str(drawn_table(certificate)) == _template(certificate)
    unnamed = _certificate(Provider(id="1-103", name=""), _entries())
    assert str(drawn_table(unnamed)) == _template(unnamed)


@pytest.mark.django_db
def test_a_certificate_read_from_the_register_draws_the_same_table():
    provider = registered(name=AWKWARD).provider
    process_all_changes()
    found = certificate_for(provider.id)
    assert found is not None
    assert len(found.locations) == 2
    assert str(drawn_table(found)) == _template(found)
