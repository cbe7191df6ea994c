"""A provider page's location rows written in Python (location_rows): the same HTML as the
template loop and macro they replaced, and the same locations, in order, as the models."""

import pytest
from django.template import engines

from portal.register.location_rows import LocationRow, location_rows, table_rows
from portal.register.models import Location, Provider, RegistrationStatus

# provider.html's loop over a page of locations before location_rows, as it was.
_LOOP = """{% import "register/_macros.html" as m %}{% for location in locations %}
        <tr class="govuk-table__row"><td class="govuk-table__cell" data-label="Location"><a class="govuk-link" href="{{ url('register:location', location.id) }}">{{ location.name }}</a></td><td class="govuk-table__cell" data-label="Location ID">{{ location.id }}</td><td class="govuk-table__cell" data-label="Postcode">{{ location.postal_code or "Not recorded" }}</td><td class="govuk-table__cell" data-label="Status">{{ m.status_tag(location) }}</td></tr>
      {% endfor %}"""

_EXAMPLES = [
    ("1-1000210669", "Sunrise House", "OL1 1AA", RegistrationStatus.REGISTERED, False),
    ("1-1000210670", 'O\'Brien & "Sons" <Annex>', "", RegistrationStatus.REGISTERED, False),
    ("RXX01", "Moss Side", "M16 0AA", RegistrationStatus.REGISTERED, True),
    ("1-1000210671", "Closed home", "OL2 2BB", RegistrationStatus.DEREGISTERED, False),
    ("1-1000210672", "Closed and dormant", "", RegistrationStatus.DEREGISTERED, True),
    ("odd id&<x>", "Odd", "A&B", RegistrationStatus.REGISTERED, False),
]


def _render(locations: list[Location]) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.from_string(_LOOP).render(locations=locations)


def test_rows_are_the_template_loops_html():
    locations = [
        Location(id=i, name=n, postal_code=p, registration_status=s, dormant=d)
        for i, n, p, s, d in _EXAMPLES
    ]
    assert str(table_rows(_EXAMPLES)) == _render(locations)
    for values, location in zip(_EXAMPLES, locations, strict=True):
        assert str(table_rows([values])) == _render([location])


@pytest.mark.django_db
def test_rows_are_the_providers_locations_in_order():
    provider = Provider.objects.create(id="1-101614751", name="Sunrise Care")
    for location_id, name, postcode, status, dormant in _EXAMPLES[:5]:
        Location.objects.create(
            id=location_id,
            provider=provider,
            name=name,
            postal_code=postcode,
            registration_status=status,
            dormant=dormant,
        )
    ordered = provider.locations.order_by("name", "id")
    rows = [LocationRow._make(row) for row in location_rows(ordered)]
    assert [row.id for row in rows] == [location.id for location in ordered]
    assert str(table_rows(rows)) == _render(list(ordered))
