"""Choosing among a provider's locations, for every form that offers them.

Up to `CHECKBOX_LIMIT` locations are plain checkboxes. Above it, a list of hundreds of
checkboxes is slow to render and hard to use (worse with a screen reader), so the field
becomes a picker: search by name, town, postcode or location ID, narrow by region, local
authority or service type, one page of results at a time, "select all that match", and a
summary of what is chosen with a remove button each.

It works without JavaScript: every picker button submits the form it sits in (a "picker
step"), the chosen IDs travel as `locations` values (checked boxes for the page shown,
hidden inputs for the rest), and the page comes back with the step applied and nothing lost.
With JavaScript, the search box becomes an accessible autocomplete (portal/location-picker.js).

The locations are read once, as tuples, so the page's query count does not grow with them.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from django import forms
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.db.models.lookups import Contains
from markupsafe import Markup, escape

from portal.frontend.choices import ReadyChoices
from portal.register.models import Location, address_lines_of

CHECKBOX_LIMIT = 20
PAGE_SIZE = 20
SUMMARY_LIMIT = 50
SEARCH_MAX_LENGTH = 100

# Names of the picker's own inputs; `STEP` is the name of every picker button.
STEP = "location_picker"
SEARCH = "location_search"
REGION = "location_region"
AUTHORITY = "location_authority"
SERVICE = "location_service"


class LocationOption(NamedTuple):
    id: str
    name: str
    town: str
    postal_code: str
    region: str
    local_authority: str

    @property
    def label(self) -> str:
        return ", ".join(part for part in (self.name, self.town, self.postal_code) if part)


class _LabelledOptions(Sequence[tuple[str, str]]):
    """The options as (ID, label) choices, each label written only when it is read: a page that
    shows 20 of a provider's thousand locations reads none of the others' labels (only a
    posted answer is checked against them all)."""

    def __init__(self, options: Sequence[LocationOption], extra: Sequence[tuple[str, str]]):
        self._options, self._extra = options, extra

    def __len__(self) -> int:
        return len(self._options) + len(self._extra)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for option in self._options:
            yield option.id, option.label
        yield from self._extra

    def __getitem__(self, index: Any) -> Any:
        return list(self)[index]


# location_options' columns, then what a radio's hint says of the address.
OPTION_COLUMNS = ("id", "name", "town_city", "postal_code", "region", "local_authority")
ADDRESS_COLUMNS = (*OPTION_COLUMNS, "address_line_1", "address_line_2", "county")


# A row's first six values are an option's, in order: each made in C, not through the named
# tuple's Python __new__ (a thousand of them for a large provider).
_option_of_row = partial(tuple.__new__, LocationOption)
_first_six = itemgetter(slice(0, 6))


def options_of_rows(rows: Iterable[Sequence[Any]]) -> list[LocationOption]:
    """Rows that start with an option's six values (location_options' columns), as options."""
    return list(map(_option_of_row, map(_first_six, rows)))


def location_options(locations: "QuerySet[Location]") -> list[LocationOption]:
    """The locations as light tuples, in the queryset's order: one query."""
    return options_of_rows(locations.values_list(*OPTION_COLUMNS))


def options_with_addresses(
    locations: "QuerySet[Location]",
) -> tuple[list[LocationOption], dict[str, str]]:
    """The locations as light tuples and each one's address (a radio's hint), in one query:
    a provider's thousand locations are read to offer 20, so no model for each."""
    return options_and_addresses(list(locations.values_list(*ADDRESS_COLUMNS)))


def options_and_addresses(
    rows: Sequence[Sequence[str]],
) -> tuple[list[LocationOption], dict[str, str]]:
    """Rows of `ADDRESS_COLUMNS` as options and each one's address. Only plain radios show
    the address: above `CHECKBOX_LIMIT` the picker's results show the town and postcode, so
    no address is written."""
    options = options_of_rows(rows)
    if len(rows) > CHECKBOX_LIMIT:
        return options, {}
    addresses = {}
    for pk, _name, town, postcode, _region, _authority, line_1, line_2, county in rows:
        if lines := address_lines_of(line_1, line_2, town, county, postcode):
            addresses[pk] = ", ".join(lines)
    return options, addresses


def options_of(locations: Iterable[Location]) -> list[LocationOption]:
    """Locations already read, as the picker's tuples (no query)."""
    return [
        LocationOption(
            loc.pk, loc.name, loc.town_city, loc.postal_code, loc.region, loc.local_authority
        )
        for loc in locations
    ]


def is_picker_step(data: Mapping[str, Any] | None) -> bool:
    """Whether a POST came from a picker button (search, page, select all, remove) rather
    than from the form's own submit button: the page is shown again, not processed."""
    return data is not None and bool(data.get(STEP))


def _squashed(text: str) -> str:
    return "".join(text.split()).casefold()


@dataclass
class LocationPicker:
    """The picker's state for one request, and what it shows."""

    options: Sequence[LocationOption]
    chosen_ids: list[str]
    search: str = ""
    region: str = ""
    local_authority: str = ""
    service_type: str = ""
    service_type_ids: frozenset[str] | None = None  # locations of the chosen service type
    page: int = 1
    search_error: str = ""
    announcement: str = ""
    service_types: list[str] = field(default_factory=list)
    summary_limit: int = SUMMARY_LIMIT
    stepped: bool = False  # shown again after a picker button: focus returns to the search

    @cached_property
    def by_id(self) -> dict[str, LocationOption]:
        return {option.id: option for option in self.options}

    @cached_property
    def matches(self) -> list[LocationOption]:
        if self.search_error:
            return []
        if not self.filtered and self.service_type_ids is None:  # the first page: all of them
            return list(self.options)
        needle = self.search.strip().casefold()
        squashed = _squashed(self.search)
        found = []
        for option in self.options:
            if self.region and option.region != self.region:
                continue
            if self.local_authority and option.local_authority != self.local_authority:
                continue
            if self.service_type_ids is not None and option.id not in self.service_type_ids:
                continue
            if needle and not (
                needle in option.name.casefold()
                or needle in option.town.casefold()
                or (squashed and squashed in _squashed(option.postal_code))
                or squashed == option.id.casefold()
            ):
                continue
            found.append(option)
        return found

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.region or self.local_authority or self.service_type)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.matches) // PAGE_SIZE))

    @property
    def page_results(self) -> list[LocationOption]:
        number = min(self.page, self.page_count)
        return self.matches[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]

    @property
    def current_page(self) -> int:
        return min(self.page, self.page_count)

    @property
    def chosen(self) -> list[LocationOption]:
        by_id = self.by_id
        return [by_id[pk] for pk in self.chosen_ids if pk in by_id]

    @property
    def hidden_ids(self) -> list[str]:
        """Chosen IDs not shown as a checkbox on this page, carried as hidden inputs."""
        shown = {option.id for option in self.page_results}
        return [pk for pk in self.chosen_ids if pk not in shown]

    @cached_property
    def regions(self) -> list[str]:
        return sorted(set(map(attrgetter("region"), self.options)) - {""})

    @cached_property
    def local_authorities(self) -> list[str]:
        return sorted(set(map(attrgetter("local_authority"), self.options)) - {""})

    def results_html(self, name: str, id_prefix: str, multiple: bool) -> Markup:
        """The page of results as small GOV.UK checkboxes (several may be chosen) or radios
        (one), each with its town, postcode and ID as a hint: the markup govukCheckboxes and
        govukRadios give for these items (tests compare them), written here because the
        macros spent about 0.1 ms of Jinja on each result, the most of any part of a page
        offering locations."""
        kind, input_type = ("checkboxes", "checkbox") if multiple else ("radios", "radio")
        chosen = set(self.chosen_ids)
        name, id_prefix = escape(name), escape(id_prefix)
        items = []
        for index, option in enumerate(self.page_results, start=1):
            item_id = f"{id_prefix}-{index}" if index > 1 else id_prefix
            where = "".join(f"{part}, " for part in (option.town, option.postal_code) if part)
            checked = " checked" if option.id in chosen else ""
            items.append(
                f'<div class="govuk-{kind}__item">\n'
                f'<input class="govuk-{kind}__input" id="{item_id}" name="{name}"'
                f' type="{input_type}" value="{escape(option.id)}"{checked}'
                f' aria-describedby="{item_id}-item-hint">\n'
                f'<label class="govuk-label govuk-{kind}__label" for="{item_id}">'
                f"{escape(option.name)}</label>\n"
                f'<div id="{item_id}-item-hint" class="govuk-hint govuk-{kind}__hint">'
                f"{escape(where)}location ID {escape(option.id)}</div>\n"
                "</div>\n"
            )
        listed = "".join(items)
        return Markup(  # noqa: S704 (every value escaped above)
            '<div class="govuk-form-group">\n'
            f'<div class="govuk-{kind} govuk-{kind}--small" data-module="govuk-{kind}">\n'
            f"{listed}</div>\n</div>"
        )

    def apply(self, step: str, matches: Iterable[LocationOption]) -> None:
        """Do what a picker button asks. Unknown steps only show the page again."""
        if step == "select_all":
            added = [o.id for o in matches if o.id not in set(self.chosen_ids)]
            self.chosen_ids += added
            self.announcement = f"{_count(len(added))} added. {_count(len(self.chosen_ids))} chosen"
        elif step == "remove_all":
            self.chosen_ids = []
            self.announcement = "All chosen locations removed"
        elif step.startswith("remove:"):
            removed = step.removeprefix("remove:")
            option = self.by_id.get(removed)
            self.chosen_ids = [pk for pk in self.chosen_ids if pk != removed]
            if option is not None:
                self.announcement = f"{option.name} removed. {_count(len(self.chosen_ids))} chosen"
        elif step.startswith("page:"):
            number = step.removeprefix("page:")
            self.page = int(number) if number.isdigit() and len(number) < 6 else 1
        elif step.startswith("add:"):
            option = self.by_id.get(step.removeprefix("add:"))
            if option is not None and option.id not in self.chosen_ids:
                self.chosen_ids.append(option.id)
            if option is not None:
                self.announcement = f"{option.name} added. {_count(len(self.chosen_ids))} chosen"
        elif step == "search":
            self.page = 1


def _count(number: int) -> str:
    return f"{number} location{'' if number == 1 else 's'}"


def _text(data: Mapping[str, Any], name: str) -> str:
    """A posted text, without control characters (a NUL would break the page shown back)."""
    value = data.get(name, "")
    return "".join(c for c in value if c.isprintable()) if isinstance(value, str) else ""


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def build_picker(
    options: Sequence[LocationOption],
    *,
    data: Any,
    initial_ids: Sequence[str],
    service_types: Mapping[str, frozenset[str]] | None = None,
    name: str = "locations",
) -> LocationPicker:
    """The picker's state from a picker step's POST (or a refused submit), else from the
    initial choice. `service_types` maps each service type to the IDs of its locations."""
    posted = data is not None
    chosen = data.getlist(name) if posted and hasattr(data, "getlist") else initial_ids
    known = {option.id for option in options}
    picker = LocationPicker(options=options, chosen_ids=_unique(pk for pk in chosen if pk in known))
    types = service_types or {}
    picker.service_types = sorted(types)
    if not posted:
        return picker
    step = _text(data, STEP)
    # After the autocomplete chose a location, its label is in the search box: not a search.
    search = "" if step.startswith("add:") else _text(data, SEARCH)
    picker.search = search
    if len(search) > SEARCH_MAX_LENGTH:
        picker.search_error = f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"
    picker.region = r if (r := _text(data, REGION)) in picker.regions else ""
    picker.local_authority = a if (a := _text(data, AUTHORITY)) in picker.local_authorities else ""
    picker.service_type = s if (s := _text(data, SERVICE)) in types else ""
    if picker.service_type:
        picker.service_type_ids = types[picker.service_type]
    picker.stepped = bool(step)
    picker.apply(step, picker.matches)
    return picker


def search_terms(search: str) -> tuple[str, str, str]:
    """What search_filter looks for: a name or town containing the first, a postcode (spaces
    left out) containing the last, or exactly the middle as a location ID. All empty when
    there is nothing to search for."""
    squashed = "".join(search.split())
    if not squashed:
        return "", "", ""
    return search.strip(), squashed, squashed.upper()


def search_filter(search: str) -> Q:
    """The picker's search, in SQL, for a list that filters by location without reading them
    all: a name or town containing `search`, a postcode containing it (spaces ignored), or
    exactly this location ID."""
    terms = search_terms(search)
    return search_filter_of(*terms) if terms[1] else Q()


def search_filter_of(needle: str, location_id: str, postcode: str) -> Q:
    """search_filter for its search_terms (each a parameter of the SQL as it is)."""
    compact_postcode = Replace(Upper("postal_code"), Value(" "), Value(""))
    return (
        Q(name__icontains=needle)
        | Q(town_city__icontains=needle)
        | Q(Contains(compact_postcode, postcode))
        | Q(pk__iexact=location_id)
    )


def search_results(
    options: Sequence[LocationOption], query: str, limit: int = 10
) -> list[dict[str, str]]:
    """What the autocomplete suggests for `query`: the first matches, as id and label."""
    if not query.strip() or len(query) > SEARCH_MAX_LENGTH:
        return []
    picker = LocationPicker(options=options, chosen_ids=[], search=query)
    return [{"id": o.id, "label": o.label, "name": o.name} for o in picker.matches[:limit]]


def service_types_of(
    options: Sequence[LocationOption], provider_id: str
) -> dict[str, frozenset[str]]:
    """Each service type offered at these locations (all of `provider_id`), with the IDs of
    its locations: one query, by provider rather than by a list of a thousand IDs (which
    psycopg and the SQL compiler took longer to send than the database to answer)."""
    through = Location.service_types.through
    rows = through.objects.filter(location__provider_id=provider_id).values_list(
        "servicetype__name", "location_id"
    )
    offered = {option.id for option in options}
    grouped: dict[str, set[str]] = {}
    for name, location_id in rows:
        if location_id in offered:
            grouped.setdefault(name, set()).add(location_id)
    return {name: frozenset(ids) for name, ids in grouped.items()}


def offered_service_types(locations: "QuerySet[Location]") -> "QuerySet[Any]":
    """The service types offered at `locations`, each once: every location's types joined,
    then made distinct. (A semi-join, one probe per type, was 4 times faster on a register of
    two types and 7 times slower on one of 40 that the provider mostly does not offer.)"""
    through = Location.service_types.through
    offered = through.objects.filter(location_id__in=locations.order_by().values("pk"))
    return offered.values_list("servicetype__name").distinct()


def service_type_names(locations: "QuerySet[Location]") -> list[str]:
    """The names of the service types offered at `locations`, in order: one query of a few
    rows, the locations a subquery. What the picker's grouping shows; only a chosen
    grouping needs each type's locations (service_types_of)."""
    return sorted(name for (name,) in offered_service_types(locations))


class _PickerField:
    """What both location fields share: the choices, and the picker above `CHECKBOX_LIMIT`."""

    picker: LocationPicker | None = None
    extra_choices: list[tuple[str, str]]
    search_url = ""  # where the autocomplete asks for suggestions (see search_results)
    choices: Any
    name = "locations"  # the posted name (the form's field name)
    choice_hints: dict[str, str] = {}

    def offer(
        self,
        options: Sequence[LocationOption],
        *,
        data: Any,
        initial_ids: Sequence[str],
        provider_id: str,
        extra: Sequence[tuple[str, str]] = (),
        locations: "QuerySet[Location] | None" = None,
        type_names: Callable[[], list[str]] | None = None,
    ) -> None:
        """Offer `options`, all locations of `provider_id` (and `extra` choices after them).
        `locations`, the queryset `options` were read from, lets the page name the service
        types without reading every location's; `type_names`, if given, reads those names
        instead (as service_type_names(locations) would)."""
        self.extra_choices = list(extra)
        self.choices = ReadyChoices(_LabelledOptions(options, self.extra_choices))
        self._options, self._provider_id, self._locations = options, provider_id, locations
        self._type_names = type_names
        self._service_types: dict[str, frozenset[str]] | None = None
        self._service_type_names: list[str] | None = None
        if len(options) > CHECKBOX_LIMIT:
            # Only a posted grouping needs the service types now; a valid answer needs none.
            wanted = _text(data, SERVICE) if data is not None else ""
            self.picker = build_picker(
                options,
                data=data,
                initial_ids=initial_ids,
                service_types=self._locations_by_service_type() if wanted else None,
                name=self.name,
            )
        else:
            self.picker = None

    def _locations_by_service_type(self) -> dict[str, frozenset[str]]:
        if self._service_types is None:
            self._service_types = service_types_of(self._options, self._provider_id)
        return self._service_types

    def service_types(self) -> list[str]:
        """The service types offered, by name. Read once, when the page is shown (the macro
        asks in both modes, so a page makes the same queries for a provider of 3 locations
        as of 1,000)."""
        if self._service_type_names is None:
            if self._service_types is None and self._type_names is not None:
                self._service_type_names = self._type_names()
            elif self._service_types is None and self._locations is not None:
                self._service_type_names = service_type_names(self._locations)
            else:
                self._service_type_names = sorted(self._locations_by_service_type())
            if self.picker is not None and not self.picker.service_types:
                self.picker.service_types = self._service_type_names
        return self._service_type_names


class LocationsField(_PickerField, forms.MultipleChoiceField):
    """Several locations: checkboxes, or the picker with "select all that match" and a
    summary of what is chosen. Extra choices (an "All locations" option after a divider)
    stay checkboxes below the picker."""

    widget = forms.CheckboxSelectMultiple
    multiple = True


class LocationField(_PickerField, forms.ChoiceField):
    """One location: radios, or the picker whose page of results are radios (nothing is
    carried between pages: one is chosen from the page shown). Extra choices (the provider
    as a whole) stay radios below it."""

    widget = forms.RadioSelect
    multiple = False
    name = "location"
