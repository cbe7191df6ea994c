"""A provider's page lists fifty of its locations a page: their rows as tuples, and the table
rows written here rather than by a template loop and macro per row (most of the page's
Python for a provider of 1,000 locations). The HTML is byte for byte what provider.html's
loop wrote (tests/register/test_location_rows.py renders both)."""

from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import QuerySet
from markupsafe import Markup, escape

from portal.frontend.reversing import url
from portal.register.models import Location, RegistrationStatus


class LocationRow(NamedTuple):
    id: str
    name: str
    postal_code: str
    registration_status: str
    dormant: bool


_Values = tuple[str, str, str, str, bool]


def location_rows(locations: QuerySet[Location]) -> QuerySet[Location, _Values]:
    """`locations`, in its order, as the columns of LocationRow (tuples: a page of them is
    read, not fifty models)."""
    return locations.values_list(*LocationRow._fields)


# _macros.html's status_tag for a location.
_DEREGISTERED = '<strong class="govuk-tag govuk-tag--grey">Deregistered</strong>'
_DORMANT = '<strong class="govuk-tag govuk-tag--yellow">Dormant</strong>'
_REGISTERED = '<strong class="govuk-tag govuk-tag--green">Registered</strong>'


def _row(values: _Values) -> str:
    row = LocationRow._make(values)
    if row.registration_status != RegistrationStatus.REGISTERED:
        tag = _DEREGISTERED
    elif row.dormant:
        tag = _DORMANT
    else:
        tag = _REGISTERED
    location_id = escape(row.id)
    return (
        '\n        <tr class="govuk-table__row"><td class="govuk-table__cell"'
        f' data-label="Location"><a class="govuk-link" href="{escape(url("register:location", row.id))}">'
        f'{escape(row.name)}</a></td><td class="govuk-table__cell" data-label="Location ID">'
        f'{location_id}</td><td class="govuk-table__cell" data-label="Postcode">'
        f'{escape(row.postal_code or "Not recorded")}</td><td class="govuk-table__cell"'
        f' data-label="Status">{tag}</td></tr>\n      '
    )


def table_rows(rows: Iterable[_Values]) -> Markup:
    return Markup("".join(map(_row, rows)))  # noqa: S704 (every value escaped above)
