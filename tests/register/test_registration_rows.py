""" "Your registration"'s details lists and location rows written in Python
(registration_rows): the same HTML as the template loops and register macros they replaced,
for every branch of each cell, and the page draws them where the loops did."""

import datetime as dt

from django.template import engines

from portal.register.models import Location, Person, Provider, RegistrationStatus
from portal.register.registration_queries import ShownLocation
from portal.register.registration_rows import location_rows, people_rows, provider_details
from portal.register.selectors import HeldBy, LocationView, ProviderRegistration

# your_registration.html's details list and location loop before registration_rows, as
# they were (the page's `m` is register/_macros.html).
_DETAILS = """{% import "register/_macros.html" as m %}{{ m.summary_row("Provider ID", provider.id) }}
        {{ m.summary_row("Type of provider", provider.get_ownership_type_display() or "Not recorded") }}
        {{ m.summary_row("Registration", m.status_tag(provider) ~ " since " ~ m.date(provider.registration_date)) }}
        {{ m.summary_row("Address", m.address(provider)) }}
        {{ m.summary_row("Companies House number", provider.companies_house_number or "Not recorded") }}
        {{ m.summary_row("Charity number", provider.charity_number or "Not recorded") }}"""
_LOCATIONS = """{% import "register/_macros.html" as m %}{% for view in views %}
          {% set location = view.location %}
          <tr class="govuk-table__row">
            <td class="govuk-table__cell" data-label="Location">{{ location.name }}<br><span class="govuk-hint govuk-!-font-size-16">{{ location.id }}</span><br>{{ m.status_tag(location) }}</td>
            <td class="govuk-table__cell" data-label="Address">{{ m.address(location) }}</td>
            <td class="govuk-table__cell" data-label="Regulated activities">{% for activity in view.activities %}{{ activity }}{% if not loop.last %}<br>{% endif %}{% else %}None recorded{% endfor %}</td>
            <td class="govuk-table__cell" data-label="Registered manager">{% if view.managers %}{{ m.people(view.managers) }}{% elif location.registered_manager_absent_date %}No manager in post since {{ m.date(location.registered_manager_absent_date) }}{% else %}None recorded{% endif %}</td>
          </tr>
        {% endfor %}"""

_PEOPLE = """{% import "register/_macros.html" as m %}
          {% if reg.nominated_individuals %}{{ m.summary_row("Nominated individual", m.people(reg.nominated_individuals)) }}{% endif %}
          {% if reg.responsible_individuals %}{{ m.summary_row("Responsible individual", m.people(reg.responsible_individuals)) }}{% endif %}
          {% for role in reg.partners %}{{ m.summary_row(role.label, role.person.full_name) }}{% endfor %}
"""

AWKWARD = 'O\'Brien & "Sons" <Care>'


def _render(source: str, **context: object) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.from_string(source).render(**context)


def _providers() -> list[Provider]:
    return [
        Provider(id="1-101", name="Sunrise", ownership_type="Organisation"),
        Provider(
            id="1-102<x>",
            name=AWKWARD,
            ownership_type="Partnership",
            registration_date=dt.date(2011, 3, 9),
            address_line_1=AWKWARD,
            town_city="Oldham",
            postal_code="OL1 1AA",
            companies_house_number="0123&4567",
            charity_number="<12>",
        ),
        Provider(
            id="1-103",
            ownership_type="",
            registration_status=RegistrationStatus.DEREGISTERED,
            registration_date=dt.date(2026, 12, 31),
        ),
        Provider(id="1-104", ownership_type="Retired type"),
    ]


def _shown(**fields: object) -> ShownLocation:
    """A location as the page reads it; any column not given as a new location has it."""
    new = Location(provider_id="1-101")
    columns = {name: getattr(new, name) for name in ShownLocation._fields[:-2]}
    return ShownLocation(**{**columns, "number": 1, "of": 1, **fields})


def _views() -> list[LocationView]:
    mo = Person(id=1, title="Dr", given_name="Mo", family_name=AWKWARD)
    bea = Person(id=2, given_name="Bea", family_name="Both")
    return [
        LocationView(_shown(id="1-201", name="Mill House"), [], []),
        LocationView(
            _shown(
                id="1-202<&>",
                name=AWKWARD,
                address_line_1="1 Mill Lane",
                address_line_2=AWKWARD,
                county="Lancs",
                postal_code="OL2 2BB",
            ),
            [mo, bea],
            ["Personal care", AWKWARD],
        ),
        LocationView(
            _shown(id="1-203", name="Dormant", dormant=True),
            [bea],
            ["Accommodation"],
        ),
        LocationView(
            _shown(
                id="1-204",
                name="Gone",
                registration_status=RegistrationStatus.DEREGISTERED,
                dormant=True,
                registered_manager_absent_date=dt.date(2026, 1, 1),
            ),
            [],
            [],
        ),
        LocationView(
            _shown(id="1-205", name="Waiting", registered_manager_absent_date=dt.date(2025, 6, 30)),
            [],
            ["Personal care"],
        ),
    ]


def test_the_details_are_the_macros_html():
    for provider in _providers():
        assert str(provider_details(provider)) == _render(_DETAILS, provider=provider)


def test_the_location_rows_are_the_loops_html():
    views = _views()
    assert str(location_rows(views)) == _render(_LOCATIONS, views=views)
    assert str(location_rows([])) == _render(_LOCATIONS, views=[]) == ""
    for view in views:
        assert str(location_rows([view])) == _render(_LOCATIONS, views=[view])


def test_the_registered_people_are_the_macros_html():
    nora = Person(id=1, given_name="Nora", family_name=AWKWARD)
    ria = Person(id=2, title="Ms", given_name="Ria", family_name="Resp")
    pat = Person(id=3, given_name="Pat", family_name="Partner")
    sam = Person(id=4, given_name="Sam", family_name="<Second>")
    partners = [
        HeldBy("main_partner", "1-101", None, pat),
        HeldBy("partner", "1-101", None, sam),
        HeldBy("retired<role>", "1-101", None, sam),
    ]
    people = {
        "nominated_individuals": ([], [nora], [nora, ria]),
        "responsible_individuals": ([], [ria]),
        "partners": ([], partners[:1], partners),
    }
    for nominated in people["nominated_individuals"]:
        for responsible in people["responsible_individuals"]:
            for held in people["partners"]:
                registration = ProviderRegistration(
                    provider=Provider(id="1-101"),
                    your_roles=[],
                    locations=[],
                    nominated_individuals=nominated,  # type: ignore[arg-type]
                    partners=held,  # type: ignore[arg-type]
                    responsible_individuals=responsible,  # type: ignore[arg-type]
                )
                expected = _render(_PEOPLE, reg=registration)
                assert f"\n          {people_rows(registration)}" == expected
