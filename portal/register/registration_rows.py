""" "Your registration"'s repeated markup written here rather than by the template: a
nominated individual's page lists every provider they hold a role at (fourteen for some),
each with its details list and a page of locations, and the register macros
(register/_macros.html) called for every row and cell were most of the page's rendering.
The HTML is byte for byte what your_registration.html's loops and macros wrote
(tests/register/test_registration_rows.py renders both)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from markupsafe import Markup, escape

from portal.register.models import Person, Provider
from portal.register.selectors import LocationView, ProviderRegistration


class _Recorded(Protocol):
    """A provider or a location, as the status tag and the address read them."""

    @property
    def is_registered(self) -> bool: ...

    @property
    def address_lines(self) -> list[str]: ...


_DEREGISTERED = '<strong class="govuk-tag govuk-tag--grey">Deregistered</strong>'
_DORMANT = '<strong class="govuk-tag govuk-tag--yellow">Dormant</strong>'
_REGISTERED = '<strong class="govuk-tag govuk-tag--green">Registered</strong>'


def _status_tag(record: _Recorded) -> str:
    """The macro `status_tag` (only a location has `dormant`)."""
    if not record.is_registered:
        return _DEREGISTERED
    if getattr(record, "dormant", False):
        return _DORMANT
    return _REGISTERED


def _address(record: _Recorded) -> str:
    lines = record.address_lines
    return str(escape(", ".join(lines))) if lines else "Not recorded"


def _date(value: dt.date | None) -> str:
    return str(escape(value.strftime("%-d %B %Y"))) if value else "Not recorded"


def _people(people: Sequence[Person]) -> str:
    if not people:
        return "None recorded"
    return "<br>".join(str(escape(person.full_name)) for person in people)


def _summary_row(key: str, value: str) -> str:
    """A row of a GOV.UK summary list without actions (`value` already escaped)."""
    return (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
        f'{escape(key)}</dt><dd class="govuk-summary-list__value">{value}</dd></div>'
    )


def provider_details(provider: Provider) -> Markup:
    """The rows of the provider's details list."""
    rows = (
        ("Provider ID", str(escape(provider.id))),
        ("Type of provider", str(escape(provider.get_ownership_type_display() or "Not recorded"))),
        ("Registration", f"{_status_tag(provider)} since {_date(provider.registration_date)}"),
        ("Address", _address(provider)),
        (
            "Companies House number",
            str(escape(provider.companies_house_number or "Not recorded")),
        ),
        ("Charity number", str(escape(provider.charity_number or "Not recorded"))),
    )
    drawn = "\n        ".join(_summary_row(key, value) for key, value in rows)
    return Markup(drawn)  # noqa: S704 (every value escaped above)


def people_rows(registration: ProviderRegistration) -> Markup:
    """The rows of the provider's registered people: its nominated and responsible
    individuals, then each partner (on the template's three lines, each kept if empty)."""
    nominated = registration.nominated_individuals
    responsible = registration.responsible_individuals
    lines = (
        _summary_row("Nominated individual", _people(nominated)) if nominated else "",
        _summary_row("Responsible individual", _people(responsible)) if responsible else "",
        "".join(
            _summary_row(role.label, str(escape(role.person.full_name)))
            for role in registration.partners
        ),
    )
    return Markup("\n          ".join(lines))  # noqa: S704 (every value escaped above)


def _manager_cell(view: LocationView) -> str:
    if view.managers:
        return _people(view.managers)
    absent = view.location.registered_manager_absent_date
    if absent:
        return f"No manager in post since {_date(absent)}"
    return "None recorded"


def _location_row(view: LocationView) -> str:
    location = view.location
    activities = (
        "<br>".join(str(escape(name)) for name in view.activities)
        if view.activities
        else "None recorded"
    )
    return (
        "\n          \n"
        '          <tr class="govuk-table__row">\n'
        '            <td class="govuk-table__cell" data-label="Location">'
        f'{escape(location.name)}<br><span class="govuk-hint govuk-!-font-size-16">'
        f"{escape(location.id)}</span><br>{_status_tag(location)}</td>\n"
        '            <td class="govuk-table__cell" data-label="Address">'
        f"{_address(location)}</td>\n"
        '            <td class="govuk-table__cell" data-label="Regulated activities">'
        f"{activities}</td>\n"
        '            <td class="govuk-table__cell" data-label="Registered manager">'
        f"{_manager_cell(view)}</td>\n"
        "          </tr>\n        "
    )


def location_rows(views: Iterable[LocationView]) -> Markup:
    """The rows of a provider's table of locations."""
    return Markup("".join(map(_location_row, views)))  # noqa: S704 (every value escaped above)
