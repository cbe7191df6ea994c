"""The history's reads compiled once per shape of scope (history_queries.py) give what the
ORM's reads (selectors) give, row for row and field for field, for every mix of scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.notifications import draft_list, history_queries, permissions, selectors, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import MessageKind, Notification, NotificationMessage
from portal.notifications.permissions import NotifierScope
from portal.register.location_picker import CHECKBOX_LIMIT, location_options, search_terms
from portal.register.models import Location
from tests.factories.notifications import submit
from tests.factories.register import add_many_locations

pytestmark = pytest.mark.django_db


def _given(user, scope: NotifierScope):
    """`user` with this scope for every notification permission (kept on the object)."""
    setattr(
        user,
        permissions._CACHE_ATTRIBUTE,
        {permissions.VIEW: scope, permissions.DRAFT: scope, permissions.SUBMIT: scope},
    )
    return user


def _same(compiled: list, by_orm: list, fields: tuple[str, ...]) -> None:
    assert [item.pk for item in compiled] == [item.pk for item in by_orm]
    for one, other in zip(compiled, by_orm, strict=True):
        for name in fields:
            assert getattr(one, name) == getattr(other, name), name


def _scopes(world) -> list[NotifierScope]:
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]  # another provider's
    organisation, elsewhere = home.provider_id, other.provider_id
    return [
        NotifierScope(),
        NotifierScope(whole_providers=frozenset({organisation})),
        NotifierScope(locations={other.pk: elsewhere}),
        NotifierScope(whole_providers=frozenset({organisation}), locations={other.pk: elsewhere}),
        NotifierScope(locations={home.pk: organisation, other.pk: elsewhere}),
    ]


def test_each_read_is_the_orms_for_every_mix_of_scope(world):
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]
    sent = [
        submit("death", world.manager, home),
        submit("police", world.manager, home),
        submit("police", world.nominated["Partnership"], other),
        submit("police", world.other_manager, world.other_location),
    ]
    Notification.objects.filter(pk__in=[n.pk for n in sent[1:]]).update(
        next_due_label="Tell us how it ended", next_due_on=dt.date(2031, 1, 1)
    )
    for notification in sent[:3]:
        NotificationMessage.objects.create(
            notification=notification, kind=MessageKind.QUESTION, body="Why?", author=world.staff
        )
    for user, location in ((world.manager, home), (world.nominated["Partnership"], other)):
        services.start_draft(
            user=user,
            provider=location.provider,
            location=location,
            definition=CATALOGUE.require("police"),
        )
    # More than a page, in one provider, to see the first page cut where the ORM's is.
    for _ in range(3):
        submit("police", world.manager, home)
    seeing_each_list = 0
    for scope in _scopes(world):
        user = _given(world.manager, scope)
        owed = history_queries.owed(user)
        by_orm_owed = selectors.owed(user)
        _same(owed, by_orm_owed, ("type_slug", "next_due_label", "next_due_on", "reference"))
        assert [n.location_name for n in owed] == [
            n.location.name if n.location else None for n in by_orm_owed
        ]
        questions = history_queries.open_questions(user)
        by_orm_questions = selectors.open_questions(user)
        _same(questions, by_orm_questions, ("created_at", "notification_id"))
        assert [q.reference for q in questions] == [
            q.notification.reference for q in by_orm_questions
        ]
        drafts = history_queries.listed_drafts(user)
        by_orm = list(selectors.open_drafts(user)[: history_queries.SHOWN_DRAFTS])
        _same(drafts, by_orm, ("answers", "type_slug", "version", "created_at", "updated_at"))
        assert drafts == [draft_list.row_of(draft) for draft in by_orm]
        unfiltered = selectors.HistoryFilters()
        for size in (2, history_queries.PAGE_SIZE):
            pages = history_queries.SentPages(user, unfiltered)
            by_pages = selectors.HistoryPages(user, unfiltered)[0:size]
            _same(pages[0:size], by_pages, ("type_slug", "status", "submitted_at"))
        seeing_each_list += bool(owed and questions and drafts)
    assert seeing_each_list >= 3  # the comparisons were of rows, not of empty lists


def test_a_filtered_or_later_page_is_the_orms(world):
    home = world.locations["Organisation"]
    for _ in range(3):
        submit("police", world.manager, home)
    user = _given(world.manager, NotifierScope(locations={home.pk: home.provider_id}))
    police = selectors.HistoryFilters(type_slug="police")
    with CaptureQueriesContext(connection) as queries:
        filtered = history_queries.SentPages(user, police)[0:2]
    assert "police" in queries.captured_queries[-1]["sql"]
    _same(filtered, selectors.HistoryPages(user, police)[0:2], ("type_slug",))
    later = history_queries.SentPages(user, selectors.HistoryFilters())[1:3]
    _same(later, selectors.HistoryPages(user, selectors.HistoryFilters())[1:3], ("type_slug",))
    assert len(later) == 2


def test_the_location_filters_first_locations_are_the_orms_for_every_mix_of_scope(world):
    partnership = world.locations["Partnership"].provider
    # Partnership's locations go past the filter's short list; Organisation's do not.
    many = add_many_locations(partnership, history_queries.FIRST_LOCATIONS + 4)
    home = world.locations["Organisation"]
    few = {home.pk: home.provider_id, many[0].pk: partnership.pk, many[7].pk: partnership.pk}
    scopes = [
        *_scopes(world),
        NotifierScope(locations=few),
        NotifierScope(whole_providers=frozenset({partnership.pk})),
        NotifierScope(whole_providers=frozenset({home.provider_id}), locations=few),
    ]
    for scope in scopes:
        user = _given(world.manager, scope)
        compiled = history_queries.first_location_options(user)
        by_orm = location_options(
            permissions.first_locations_in_scope(user, history_queries.FIRST_LOCATIONS)
        )
        in_scope = {option.id for option in location_options(permissions.locations_in_scope(user))}
        if len(in_scope) <= history_queries.FIRST_LOCATIONS:
            assert compiled == by_orm, scope
        else:
            # Past the short list, which of them come back does not matter (the filter is a
            # search then), only that there are that many, all in scope, by name.
            assert len(compiled) == len(by_orm) == history_queries.FIRST_LOCATIONS
            assert {option.id for option in compiled} <= in_scope
            assert [o.name for o in compiled] == sorted(o.name for o in compiled)


def test_the_first_pages_count_is_the_orms_for_every_mix_of_scope(world):
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]
    for user, location in ((world.manager, home), (world.nominated["Partnership"], other)):
        for slug in ("death", "police"):
            submit(slug, user, location)
    limit = history_queries.COUNT_CAP + 1
    organisation = home.provider_id
    scopes = [
        *_scopes(world),
        # A location held at a provider also held whole: its notifications counted once.
        NotifierScope(whole_providers=frozenset({organisation}), locations={home.pk: organisation}),
    ]
    counted = []
    for scope in scopes:
        user = _given(world.manager, scope)
        compiled = history_queries.SentPages(user, selectors.HistoryFilters()).count(limit)
        by_orm = permissions.count_visible(user, Notification.objects.all(), limit)
        assert compiled == by_orm, scope
        counted.append(compiled)
    assert counted == [0, 2, 2, 4, 4, 2]


def test_what_is_still_owed_is_the_orms_past_a_list_from_each_part_of_the_scope(world):
    # More owed than the list shows, both at a provider held whole and at single locations,
    # their dates interleaved: the soonest overall come from both parts' soonest.
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]
    organisation, elsewhere = home.provider_id, other.provider_id
    shown = history_queries.SHOWN_OWED
    for index in range(shown + 3):
        for user, location in ((world.manager, home), (world.nominated["Partnership"], other)):
            sent = submit("police", user, location)
            Notification.objects.filter(pk=sent.pk).update(
                next_due_label=f"Tell us how it ended ({index})",
                # Ties across the parts too: the key breaks them, as the ORM's order does.
                next_due_on=dt.date(2031, 1, 1) + dt.timedelta(days=index // 2),
            )
    scopes = [
        NotifierScope(whole_providers=frozenset({organisation}), locations={other.pk: elsewhere}),
        NotifierScope(locations={home.pk: organisation, other.pk: elsewhere}),
        # A location held at a provider also held whole: each owed notification listed once.
        NotifierScope(whole_providers=frozenset({organisation}), locations={home.pk: organisation}),
    ]
    for scope in scopes:
        user = _given(world.manager, scope)
        owed = history_queries.owed(user)
        assert len(owed) == shown
        _same(owed, selectors.owed(user), ("type_slug", "next_due_label", "next_due_on"))
    both = {n.location_name for n in history_queries.owed(_given(world.manager, scopes[0]))}
    assert both == {home.name, other.name}


def test_the_reads_planned_once_are_kept_prepared_and_the_first_page_is_not(world):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    home = world.locations["Organisation"]
    submit("police", world.manager, home)
    user = _given(world.manager, NotifierScope(locations={home.pk: home.provider_id}))
    with CaptureQueriesContext(connection) as queries:
        history_queries.owed(user)
        history_queries.open_questions(user)
        history_queries.listed_drafts(user)
        history_queries.SentPages(user, selectors.HistoryFilters()).count(
            history_queries.COUNT_CAP + 1
        )
        history_queries.SentPages(user, selectors.HistoryFilters())[0:50]
    executed = [query["sql"] for query in queries.captured_queries]
    assert all("EXECUTE portal_" in sql for sql in executed[:4]), executed
    assert "EXECUTE" not in executed[4]
    assert "ANY" in executed[4]


def _copies(notification: Notification, count: int) -> None:
    """`count` more notifications like this one, each sent a minute earlier than the last."""
    copies = []
    for minutes in range(1, count + 1):
        copy = Notification.objects.get(pk=notification.pk)
        copy.pk = None
        copy.draft = None
        copy.submitted_at = notification.submitted_at - dt.timedelta(minutes=minutes)
        copies.append(copy)
    Notification.objects.bulk_create(copies)


def _pages_as_the_orms(monkeypatch, user, shown, windows) -> int:
    """The compiled count and each (start, stop) window of `shown`'s pages are the ORM's, with
    the ORM's filters out of reach; the count back."""
    limit = history_queries.COUNT_CAP + 1
    by_orm = selectors.HistoryPages(user, shown)
    counted = selectors.history_count(user, shown, None, limit)
    pages = history_queries.SentPages(user, shown)
    with monkeypatch.context() as patched:
        # Compiled: neither the count nor these pages go through the ORM's filters.
        patched.setattr(selectors, "history_matching", None)
        assert pages.count(limit) == counted, shown
        for start, stop in windows:
            page = pages[start:stop]
            _same(page, by_orm[start:stop], ("type_slug", "status", "submitted_at"))
            assert [row.location_name for row in page] == [
                row.location_name for row in by_orm[start:stop]
            ]
    return counted


def test_pages_filtered_by_location_are_the_orms_for_every_mix_of_scope(world, monkeypatch):
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]
    # Past a page at one location, a few at another, and one elsewhere, out of every scope.
    _copies(submit("police", world.manager, home), history_queries.PAGE_SIZE + 4)
    _copies(submit("death", world.nominated["Partnership"], other), 2)
    submit("police", world.other_manager, world.other_location)
    size = history_queries.PAGE_SIZE
    filters = [
        selectors.HistoryFilters(),  # later pages of the whole list are compiled too
        selectors.HistoryFilters(location_id=home.pk),
        selectors.HistoryFilters(location_id=other.pk),
        selectors.HistoryFilters(location_id=world.other_location.pk),
        selectors.HistoryFilters(location_search=home.name[2:9].lower()),
        selectors.HistoryFilters(location_search=other.pk),
        selectors.HistoryFilters(location_search=home.postal_code.replace(" ", "")),
        selectors.HistoryFilters(location_search="no such place"),
        # Spaces around and within (a postcode as typed), and LIKE's own characters.
        selectors.HistoryFilters(location_search=f"  {home.postal_code.lower()} "),
        selectors.HistoryFilters(location_search="100%_\\"),
    ]
    compared = []
    for scope in _scopes(world):
        for shown in filters:
            user = _given(world.manager, scope)
            windows = ((0, size), (0, 3), (size, 2 * size), (size, size + 2))
            compared.append(_pages_as_the_orms(monkeypatch, user, shown, windows))
    assert max(compared) > size  # the comparisons were of two pages, not of empty lists
    assert compared.count(0) > len(compared) // 3  # and out of scope, of nothing
    later = history_queries.SentPages(user, filters[0])
    assert (
        later[size * history_queries.COMPILED_PAGES : size * (history_queries.COMPILED_PAGES + 1)]
        == []
    )


def test_a_search_finding_several_locations_pages_through_them_all_as_the_orm(world, monkeypatch):
    # On PostgreSQL each found location gives only its newest that can reach the page asked
    # for (history_queries._newest_at_found): pages past the first must still interleave them.
    home = world.locations["Organisation"]
    other = world.locations["Partnership"]
    Location.objects.filter(pk__in=[home.pk, other.pk]).update(town_city="Sharedbridge")
    size = history_queries.PAGE_SIZE
    _copies(submit("police", world.manager, home), size + 7)
    _copies(submit("death", world.nominated["Partnership"], other), size + 3)
    # One sent while home was another provider's: in scope only where home itself is held.
    moved = submit("police", world.manager, home)
    Notification.objects.filter(pk=moved.pk).update(provider_id=other.provider_id)
    searched = selectors.HistoryFilters(location_search="sharedbridge")
    both = NotifierScope(whole_providers=frozenset({home.provider_id, other.provider_id}))
    for scope in [*_scopes(world)[1:], both]:
        user = _given(world.manager, scope)
        windows = [(start, start + size) for start in (0, size, 2 * size)]
        _pages_as_the_orms(monkeypatch, user, searched, windows)
    by_orm = selectors.HistoryPages(user, searched)
    assert len(by_orm[0 : 3 * size]) == 2 * size + 13  # the last scope holds them all
    terms = dict(
        zip(("needle", "location_id", "postcode"), search_terms("sharedbridge"), strict=True)
    )
    read = str(history_queries._page(size, providers=both.whole_providers, **terms).query)
    assert ("unnest" in read) == (connection.vendor == "postgresql")


def test_the_location_filter_lists_a_few_locations_and_searches_more(world):
    partnership = world.locations["Partnership"].provider
    many = add_many_locations(partnership, history_queries.FIRST_LOCATIONS + 4)
    home = world.locations["Organisation"]
    single = {location.pk: partnership.pk for location in many}
    scopes = [
        *_scopes(world),
        NotifierScope(locations={home.pk: home.provider_id, many[0].pk: partnership.pk}),
        NotifierScope(whole_providers=frozenset({partnership.pk})),
        NotifierScope(locations=single),
        NotifierScope(whole_providers=frozenset({home.provider_id}), locations=single),
    ]
    for scope in scopes:
        user = _given(world.manager, scope)
        in_scope = location_options(permissions.locations_in_scope(user))
        searches = len(in_scope) > CHECKBOX_LIMIT
        with CaptureQueriesContext(connection) as queries:
            options, search = history_queries.location_filter_options(user)
        assert search is searches, scope
        assert options == ([] if searches else in_scope), scope
        # More single locations than a list holds: known without reading them (and an
        # empty scope has none to read).
        reads = not scope.is_empty and len(scope.locations) <= CHECKBOX_LIMIT
        assert len(queries.captured_queries) == reads, scope
