"""`any_of` and `among`: register IDs sent as one array parameter on PostgreSQL (`= ANY`, or
`IN (SELECT unnest(…))` for `among`), `IN` elsewhere."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from portal.organisations.models import Membership
from portal.register.id_lookups import AmongIds, AnyOf, _array_text
from portal.register.models import Location
from tests.factories.accounts import make_user
from tests.factories.organisations import make_membership
from tests.factories.register import add_many_locations, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def locations():
    return add_many_locations(make_provider(), 300)


def test_chosen_ids_match_exactly_those_rows(locations):
    chosen = [location.pk for location in locations[::7]]
    found = Location.objects.filter(pk__any_of=chosen).values_list("pk", flat=True)
    assert sorted(found) == sorted(chosen)


def test_ids_go_as_one_parameter_whatever_their_number(locations):
    statements = []
    for count in (2, 300):
        chosen = frozenset(location.pk for location in locations[:count])
        with CaptureQueriesContext(connection) as queries:
            assert Location.objects.filter(pk__any_of=chosen).count() == count
        statements.append(queries.captured_queries[0]["sql"])
    if connection.vendor != "postgresql":
        pytest.skip("one array parameter is PostgreSQL's; SQLite is sent IN (see below)")
    assert "= ANY(" in statements[1]
    # Only the array literal differs: the statement's shape does not grow with the IDs.
    shapes = [sql.split("= ANY(")[0] for sql in statements]
    assert shapes[0] == shapes[1]
    assert statements[1].count(locations[299].pk) == 1


def test_no_ids_match_nothing_and_leave_an_alternative_working(locations):
    assert not Location.objects.filter(pk__any_of=[]).exists()
    either = Location.objects.filter(Q(pk__any_of=set()) | Q(pk=locations[0].pk))
    assert list(either) == [locations[0]]


def test_works_through_a_foreign_key_and_a_many_to_many(locations):
    provider = locations[0].provider
    user = make_user()
    at_some = make_membership(user, provider, ["view_team"], locations[10:12])
    make_membership(make_user(), provider, ["view_team"], locations[20:22])
    found = Membership.objects.filter(locations__pk__any_of=[locations[11].pk]).distinct()
    assert list(found) == [at_some]
    through = Membership.locations.through.objects.filter(
        location_id__any_of={locations[10].pk: "a mapping gives its keys"}
    )
    assert through.count() == 1


def test_other_databases_get_an_ordinary_in(locations):
    """SQLite (make run, the demo) is sent `IN (%s, …)`: the lookup's generic SQL."""
    query = Location.objects.filter(pk__any_of=[locations[0].pk, locations[1].pk]).query
    compiler = query.get_compiler(connection=connection)
    lookup = query.where.children[0]
    assert isinstance(lookup, AnyOf)
    sql, params = lookup.as_sql(compiler, connection)
    assert sql.endswith("IN (%s, %s)")
    assert params == [locations[0].pk, locations[1].pk]
    with connection.cursor() as cursor:
        statement = "SELECT COUNT(*) FROM register_location WHERE " + sql  # noqa: S608 - ours
        cursor.execute(statement, params)
        assert cursor.fetchone() == (2,)


def test_plain_ids_go_as_the_arrays_text_and_others_as_a_list_to_quote(locations):
    assert _array_text(("1-101", "1-102")) == "{1-101,1-102}"
    for odd in ("a,b", 'say "hi"', "{x}", "back\\slash", "two words", "NULL", "null", ""):
        assert _array_text(("1-101", odd)) is None, odd
    assert _array_text((1, 2)) is None
    # Whichever way they go, they match exactly the rows with those IDs.
    provider = locations[0].provider
    odd_ids = ["1-9,1", 'Q"1', "null", "sp ace", "{b}", "back\\1"]
    for location_id in odd_ids:
        Location.objects.create(id=location_id, provider=provider, name=f"Odd {location_id}")
    plain = [location.pk for location in locations[:3]]
    for chosen in (plain, odd_ids, plain + odd_ids):
        found = Location.objects.filter(pk__any_of=chosen).values_list("pk", flat=True)
        assert sorted(found) == sorted(chosen)


def test_a_foreign_key_to_a_uuid_key_gets_a_uuid_array(locations):
    provider = locations[0].provider
    at_some = make_membership(make_user(), provider, ["view_team"], locations[30:33])
    make_membership(make_user(), provider, ["view_team"], locations[40:42])
    through = Membership.locations.through.objects
    chosen = through.filter(membership_id__any_of=[at_some.pk])
    assert sorted(chosen.values_list("location_id", flat=True)) == [
        location.pk for location in locations[30:33]
    ]
    assert not through.filter(membership_id__any_of=[]).exists()
    with CaptureQueriesContext(connection) as queries:
        list(chosen)
    if connection.vendor == "postgresql":
        assert "::uuid[])" in queries.captured_queries[-1]["sql"]


def test_among_matches_what_any_of_matches(locations):
    """`among` differs from `any_of` in how PostgreSQL is asked, not in what it finds: plain
    and odd IDs, none, an alternative beside it, a foreign key to a UUID key."""
    provider = locations[0].provider
    Location.objects.create(id='Q"1', provider=provider, name="Odd")
    for chosen in ([], [locations[0].pk], [loc.pk for loc in locations[::3]] + ['Q"1']):
        among = Location.objects.filter(pk__among=chosen).values_list("pk", flat=True)
        assert sorted(among) == sorted(chosen)
    either = Location.objects.filter(Q(pk__among=set()) | Q(pk=locations[0].pk))
    assert list(either) == [locations[0]]
    at_some = make_membership(make_user(), provider, ["view_team"], locations[30:33])
    make_membership(make_user(), provider, ["view_team"], locations[40:42])
    through = Membership.locations.through.objects
    found = through.filter(membership_id__among=[at_some.pk]).values_list("location_id", flat=True)
    assert sorted(found) == [location.pk for location in locations[30:33]]


def test_among_is_a_hashed_subquery_on_postgresql_and_an_in_elsewhere(locations):
    chosen = [locations[0].pk, locations[1].pk]
    query = Location.objects.filter(pk__among=chosen).query
    compiler = query.get_compiler(connection=connection)
    lookup = query.where.children[0]
    assert isinstance(lookup, AmongIds)
    sql, params = lookup.as_sql(compiler, connection)
    assert sql.endswith("IN (%s, %s)")
    assert params == chosen
    with CaptureQueriesContext(connection) as queries:
        assert Location.objects.filter(pk__among=chosen).count() == 2
    if connection.vendor == "postgresql":
        assert "IN (SELECT unnest(" in queries.captured_queries[0]["sql"]
