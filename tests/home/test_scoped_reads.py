"""The home's drafts, questions and what is owed, read through SQL compiled once per shape of
scope, are what the notification selectors read through the ORM, for every shape: providers
held whole (one or several), locations, both, and nothing."""

from django.db import connection

from portal.accounts.models import User
from portal.home import selectors as home
from portal.notifications import permissions, selectors
from portal.notifications import services as notification_services
from portal.notifications.catalogue import CATALOGUE
from tests import factories as f
from tests.factories.organisations import give_access


def _fields(objects):
    return [(o.pk, {k: v for k, v in vars(o).items() if not k.startswith("_")}) for o in objects]


def _both_ways(user):
    scope = permissions.scope_for
    return [
        (
            home._DRAFTS.read(scope(user, permissions.DRAFT)),
            list(home._shown(selectors.open_drafts(user))[: home.SHOWN + 1]),
        ),
        (
            home._QUESTIONS.read(scope(user, permissions.SUBMIT)),
            selectors.open_questions(user, limit=home.SHOWN),
        ),
        (
            home._OWED.read(scope(user, permissions.VIEW)),
            selectors.owed(user, limit=home.SHOWN),
        ),
    ]


def test_each_shape_of_scope_reads_what_the_orm_reads(home_world):
    world = home_world
    # Work at the second provider too, so that a scope of two providers finds both.
    elsewhere = world.second_provider.locations.get()
    other_manager = f.registered_manager(elsewhere, given="Omar")
    f.submit("absence", other_manager, elsewhere)
    notification_services.start_draft(
        user=other_manager,
        provider=world.second_provider,
        location=elsewhere,
        definition=CATALOGUE.require("death"),
    )
    # Locations at one provider, the whole of another.
    give_access(world.manager, world.second_provider, ["notifications"])
    # A fresh object: the one above keeps the access worked out before this.
    manager = User.objects.get(pk=world.manager.pk)
    found_any = False
    for user in (manager, world.nominated, world.delegate, world.newcomer, other_manager):
        for compiled, by_orm in _both_ways(user):
            assert _fields(compiled) == _fields(by_orm), user
            for row in compiled:
                location = getattr(row, "location", None)
                if location is not None:
                    assert location.name
            found_any = found_any or bool(compiled)
    assert found_any
    # Each shape compiled once (on PostgreSQL), the ORM not run instead: two providers held
    # whole, locations, and both. SQLite sends location IDs as an IN list, whose text changes
    # with their number, so there only the whole-provider shape is kept.
    compiled_shapes = {
        shape
        for reads in (home._DRAFTS, home._QUESTIONS, home._OWED)
        for shape, compiled in reads._by_shape.items()
        if compiled._compiled("default") is not None
    }
    kept = {(2, False), (0, True), (1, True)} if connection.vendor == "postgresql" else {(2, False)}
    assert kept <= compiled_shapes
    # The nominated individual's scope holds both providers whole, and finds work at each.
    owed = home._OWED.read(permissions.scope_for(world.nominated, permissions.VIEW))
    assert {row.location.provider_id for row in owed} >= {
        world.provider.pk,
        world.second_provider.pk,
    }


def test_a_scope_holding_nothing_reads_nothing_and_asks_nothing(
    home_world, django_assert_num_queries
):
    scope = permissions.NotifierScope()
    with django_assert_num_queries(0):
        assert home._OWED.read(scope) == []
