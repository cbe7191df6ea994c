"""The staff search of the register (issue 17): the same results as the plain ORM read it
replaced, for every kind of search, and on PostgreSQL the search indexes of register
migration 0002 serve what Django sends."""

from typing import Any

import pytest
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace

from portal.emails.addresses import normalise_email
from portal.register import selectors
from portal.register.models import Location, Person, Provider, RoleAssignment, RoleType
from portal.register.selectors import (
    PERSON_REF_PATTERN,
    SORTED_MATCHES,
    SearchKind,
    SearchMatches,
    search_register,
)
from tests import factories as f
from tests.factories.register import add_many_locations


def search_as_before(query: str, kind: str) -> QuerySet[Any]:
    """The search as it was read before the search indexes: ordered by the name column itself
    and, for locations, with the provider joined."""
    text = " ".join(query.split())
    upper = text.upper()
    postcode = "".join(text.split()).upper()
    if kind == SearchKind.PROVIDERS:
        return (
            Provider.objects.annotate(
                compact_postcode=Replace("postal_code", Value(" "), Value(""))
            )
            .filter(
                Q(id=upper) | Q(name__icontains=text) | Q(compact_postcode__startswith=postcode)
            )
            .order_by("name", "id")
        )
    if kind == SearchKind.PEOPLE:
        people = Person.objects.all()
        for word in text.split()[:5]:
            people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
        if PERSON_REF_PATTERN.fullmatch(upper):
            people = Person.objects.filter(person_ref=upper)
        elif "@" in text:
            people = Person.objects.filter(email=normalise_email(text))
        live = RoleAssignment.objects.live().select_related("provider", "location")
        return people.prefetch_related(
            Prefetch("roles", queryset=live, to_attr="live_role_list")
        ).order_by("family_name", "given_name", "id")
    return (
        Location.objects.annotate(compact_postcode=Replace("postal_code", Value(" "), Value("")))
        .filter(
            Q(id__startswith=upper)
            | Q(provider_id=upper)
            | Q(name__icontains=text)
            | Q(compact_postcode__startswith=postcode)
        )
        .select_related("provider")
        .order_by("name", "id")
    )


def shown(item: Any, kind: str) -> tuple[Any, ...]:
    """What the results page shows of one match."""
    if kind == SearchKind.PROVIDERS:
        return (item.id, item.display_name, item.ownership_type, item.postal_code)
    if kind == SearchKind.PEOPLE:
        roles = [
            (role.role, role.location_id, role.location and role.location.name, role.provider_id)
            for role in item.live_role_list
        ]
        return (item.id, item.full_name, item.person_ref, item.email, roles)
    return (item.id, item.name, item.postal_code, item.provider_id, item.provider.display_name)


def located(location: Location, postcode: str) -> Location:
    location.postal_code = postcode
    location.save(update_fields=["postal_code"])
    return location


@pytest.fixture
def searched_register() -> dict[str, Any]:
    """Names that differ only in case and names shared by several rows, so the order (name,
    then ID) is tested, and more matches than a page of results."""
    sunrise = f.make_provider("Sunrise Care Ltd", postal_code="OL1 1AA")
    lower = f.make_provider("sunrise homes", postal_code="ol2 2bb")
    other = f.make_provider("Moonrise Partners", postal_code="M1 1AA")
    homes = [
        located(f.make_location(provider, name), postcode)
        for provider, name, postcode in [
            (sunrise, "Sunrise House", "OL1 1AA"),
            (sunrise, "Sunrise House", "OL1 2AA"),
            (sunrise, "sunrise house", "OL1 3AA"),
            (lower, "The Sunrise Lodge", "OL2 2BB"),
            (other, "Moonrise Court", "M1 1AA"),
            (other, "Ann's Place", "M1 2AA"),
        ]
    ]
    homes += add_many_locations(sunrise, 30)
    manager = f.make_person("ann.smith@care.example", given="Ann", family="Smith")
    f.give_role(manager, RoleType.REGISTERED_MANAGER, sunrise, location=homes[0])
    f.make_person("annie@care.example", given="Annie", family="Smithson")
    f.make_person("joe@care.example", given="Joe", family="Annan")
    nominated = f.make_person("ni@care.example", given="Mary Ann", family="Jones")
    f.give_role(nominated, RoleType.NOMINATED_INDIVIDUAL, sunrise)
    return {"sunrise": sunrise, "homes": homes, "manager": manager}


def found_by(query: str, kind: str) -> list[Any]:
    """Every match, read as the results pages read them (counted, then sliced)."""
    results = search_register(query, kind)
    if isinstance(results, SearchMatches):
        return list(results[0 : results.count()])
    return list(results)


@pytest.mark.django_db
@pytest.mark.parametrize("sorted_up_to", [SORTED_MATCHES, 0])
def test_every_kind_of_search_finds_what_it_found_before(
    searched_register, sorted_up_to, monkeypatch
):
    # Both ways of reading a page: sorting the matches, or reading them in the name's order.
    monkeypatch.setattr(selectors, "SORTED_MATCHES", sorted_up_to)
    sunrise, homes = searched_register["sunrise"], searched_register["homes"]
    manager = searched_register["manager"]
    searches = {
        SearchKind.LOCATIONS: [
            homes[0].id,  # a location ID
            homes[0].id[:5].lower(),  # the start of many
            sunrise.id,  # a provider ID: its locations
            "sunrise",  # a name, in any case
            "SUNRISE  HOUSE",
            "ol11aa",  # a postcode without its space
            "OL1 2",  # the start of a postcode
            "nowhere at all",
            "%",
            "_",
        ],
        SearchKind.PROVIDERS: [sunrise.id, sunrise.id.lower(), "Sunrise", "rise", "ol2 2bb", "%"],
        SearchKind.PEOPLE: [
            "ann",  # a word in a given or family name
            "Ann Smith",  # every word
            "mary   ANN jones",
            manager.person_ref.lower(),  # a person reference
            "ANN.SMITH@CARE.EXAMPLE",  # an email held
            "nobody",
        ],
    }
    for kind, queries in searches.items():
        for query in queries:
            found = found_by(query, kind)
            expected = list(search_as_before(query, kind))
            assert [shown(item, kind) for item in found] == [
                shown(item, kind) for item in expected
            ], (kind, query)
    # The searches match something worth comparing, and a page beyond the first is the same.
    assert len(found_by("sunrise", SearchKind.LOCATIONS)) == 4
    assert len(found_by(sunrise.id, SearchKind.LOCATIONS)) > 20
    assert len(found_by("Ann Smith", SearchKind.PEOPLE)) == 2
    for start in (0, 20):
        page = search_register(sunrise.id, SearchKind.LOCATIONS)[start : start + 20]
        before = search_as_before(sunrise.id, SearchKind.LOCATIONS)[start : start + 20]
        assert [shown(item, "locations") for item in page] == [
            shown(item, "locations") for item in before
        ]


def plan_of(queryset: QuerySet[Any]) -> str:
    """PostgreSQL's plan for the queryset when it has any choice but reading the whole table
    or walking a whole index. The test tables are tiny, where those are the cheaper plans;
    what is tested is that an index matches the expression Django sends."""
    with connection.cursor() as cursor:
        for plan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{plan} = off")
    return queryset.explain()


@pytest.mark.django_db
def test_the_search_indexes_serve_the_searches_on_postgresql(searched_register):
    if connection.vendor != "postgresql":
        pytest.skip("the search indexes are PostgreSQL's (pg_trgm); SQLite reads the table")
    providers = plan_of(search_register("Sunrise", SearchKind.PROVIDERS)[0:20])
    assert "register_provider_name_trigram" in providers
    assert "register_provider_compact_postcode" in providers
    locations = plan_of(search_register("Sunrise", SearchKind.LOCATIONS)[0:20])
    assert "register_location_name_trigram" in locations
    assert "register_location_compact_postcode" in locations
    assert "Seq Scan" not in locations
    people_found = search_register("Ann Smith", SearchKind.PEOPLE)
    assert not isinstance(people_found, SearchMatches)  # people have no name index to avoid
    people = plan_of(people_found)
    assert "register_person_given_name_trigram" in people
    assert "register_person_family_name_trigram" in people
    # The staff case list finds providers by name the same way.
    assert "register_provider_name_trigram" in plan_of(
        Provider.objects.filter(name__icontains="Sunrise").order_by("name")[:200]
    )
