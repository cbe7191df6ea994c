"""The regulator's queue at scale: keyset pages, capped counts, search and deadline filters,
and what hostile or stale query strings get (a clear message or the first page, never a 500)."""

import datetime as dt
import random
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.notifications import selectors, staff_views
from portal.notifications.models import Notification, NotificationStatus
from portal.register.models import Location
from tests.support.html import rel_link

INBOX = reverse("notifications_staff:inbox")
START = timezone.now() - dt.timedelta(days=30)


def make(world, *, urgency=3, minutes=0, slug="death", location=None, **fields):
    """A submitted notification straight into the table: the queue reads none of the answers."""
    location = location or world.locations["Organisation"]
    moment = START + dt.timedelta(minutes=minutes)
    return Notification.objects.create(
        type_slug=slug,
        version=1,
        provider=location.provider,
        location=location,
        answers={"circumstances": "x" * 2000},
        urgency=urgency,
        submitted_by=world.manager,
        submitted_at=moment,
        last_activity_at=moment,
        **fields,
    )


def references(html: str) -> list[str]:
    return re.findall(r">(NOT-[0-9-]+)</a>", html)


def follow(html: str, rel: str) -> str:
    target = rel_link(html, rel)
    assert target is not None, f"no {rel} link"
    return INBOX + target


def joined(pages: list[list[str]]) -> list[str]:
    return [reference for page in pages for reference in page]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(staff_views, "INBOX_PAGE_SIZE", 3)


@pytest.fixture
def queue(world):
    """Eight new notifications over three urgency levels, two sent at the same moment."""
    rows = [
        make(world, urgency=1, minutes=1),
        make(world, urgency=3, minutes=5),
        make(world, urgency=2, minutes=2),
        make(world, urgency=3, minutes=3),
        make(world, urgency=3, minutes=3),  # same moment as the one before: id decides
        make(world, urgency=1, minutes=0),
        make(world, urgency=2, minutes=9),
        make(world, urgency=3, minutes=1),
    ]
    return sorted(rows, key=lambda n: (-n.urgency, n.submitted_at, n.pk))


def walk(client, url, rel):
    """Follow `rel` links from `url` to the end; the references on each page, in order."""
    pages = []
    for _ in range(20):
        html = client.get(url).content.decode()
        pages.append(references(html))
        target = rel_link(html, rel)
        if target is None:
            return pages, html
        url = INBOX + target
    raise AssertionError("pagination never ended")


@pytest.mark.django_db
def test_pages_follow_on_without_gaps_or_repeats_both_ways(client, world, queue, small_pages):
    client.force_login(world.staff)
    pages, last = walk(client, INBOX, "next")
    assert [len(page) for page in pages] == [3, 3, 2]
    assert joined(pages) == [n.reference for n in queue]
    assert "8 notifications" in last
    # Back from the last page to the first.
    back, first = walk(client, follow(last, "prev"), "prev")
    assert back == [pages[1], pages[0]]
    assert rel_link(first, "prev") is None


@pytest.mark.django_db
def test_page_links_keep_the_filters(client, world, queue, small_pages):
    Notification.objects.filter(pk=queue[0].pk).update(status=NotificationStatus.CLOSED)
    client.force_login(world.staff)
    pages, _ = walk(client, f"{INBOX}?status=&urgency=3", "next")
    assert joined(pages) == [n.reference for n in queue if n.urgency == 3]
    html = client.get(INBOX, {"status": "", "urgency": "3"}).content.decode()
    assert "status=&amp;urgency=3&amp;after=" in html


@pytest.mark.django_db
def test_a_page_from_a_decided_notification_still_follows_on(client, world, queue, small_pages):
    """Staff work the queue while paging: the row a link starts from may have left it."""
    client.force_login(world.staff)
    first = client.get(INBOX).content.decode()
    Notification.objects.filter(pk=queue[2].pk).update(status=NotificationStatus.CLOSED)
    second = client.get(follow(first, "next")).content.decode()
    assert references(second) == [n.reference for n in queue[3:6]]


@pytest.mark.django_db
def test_count_is_capped_with_honest_wording(client, world, queue, monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 5)
    client.force_login(world.staff)
    html = client.get(INBOX).content.decode()
    assert "More than 5 notifications" in html
    html = client.get(INBOX, {"urgency": "2"}).content.decode()
    assert "2 notifications match your filters" in html


@pytest.mark.django_db
def test_search_by_reference_provider_or_location(client, world):
    other = world.locations["Partnership"]
    mine = make(world)
    theirs = make(world, location=other)
    client.force_login(world.staff)
    by_reference = client.get(INBOX, {"search": mine.reference.lower().replace("-", " ")})
    assert references(by_reference.content.decode()) == [mine.reference]
    for term in (other.provider_id, other.pk.lower(), f"  {other.pk} "):
        html = client.get(INBOX, {"search": term}).content.decode()
        assert references(html) == [theirs.reference], term
    html = client.get(INBOX, {"search": "1-000000000"}).content.decode()
    assert "0 notifications match your filters" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"search": "NOT-0000-0428"}, "Check each digit: the last one is a check digit"),
        ({"search": "<script>alert(1)</script>"}, "a provider ID like 1-101614751"),
        ({"search": "1" * 41}, "must be 40 characters or fewer"),
        ({"status": "deleted"}, "Select a status from the list"),
        ({"notification_type": "../../etc"}, "Select a type from the list"),
        ({"urgency": "9"}, "Select an urgency from the list"),
        ({"deadline": "yesterday"}, "Select a deadline filter from the list"),
    ],
)
def test_bad_filters_are_named_and_the_default_queue_is_shown(
    client, world, queue, params, message
):
    client.force_login(world.staff)
    response = client.get(INBOX, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in unescape(html)
    assert "<script>alert" not in html
    # The default queue, not a filtered one, and a way back to it.
    assert references(html) == [n.reference for n in queue]
    assert "match your filters" not in html
    assert "Clear filters" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"after": "abc"},
        {"after": "-1"},
        {"after": "0"},
        {"after": "9" * 40},
        {"before": "1 OR 1=1"},
        {"after": "12.5"},
        {"before": "٣"},  # a digit, but not one of ours
        {"after": "999999999999"},  # no such notification
    ],
)
def test_hostile_or_stale_cursors_give_the_first_page_and_say_so(client, world, queue, params):
    client.force_login(world.staff)
    response = client.get(INBOX, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "That page of the list is no longer available, so this is the first page." in html
    assert references(html) == [n.reference for n in queue]
    assert "Clear filters" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "-5", "0", "9" * 30, "2"])
def test_old_page_numbers_are_ignored(client, world, queue, page):
    client.force_login(world.staff)
    response = client.get(INBOX, {"page": page})
    assert response.status_code == 200
    assert references(response.content.decode()) == [n.reference for n in queue]


@pytest.mark.django_db
def test_past_the_end_offers_the_way_back(client, world, queue):
    client.force_login(world.staff)
    html = client.get(INBOX, {"after": queue[-1].pk}).content.decode()
    assert "There are no more notifications in this list." in html
    assert rel_link(html, "prev") == f"?status=submitted&before={queue[-1].pk}"
    # Both directions at once: "after" is followed.
    html = client.get(INBOX, {"after": queue[0].pk, "before": queue[5].pk}).content.decode()
    assert references(html)[0] == queue[1].reference


@pytest.mark.django_db
def test_deadline_filters(client, world):
    on_time = make(world, urgency=2)
    late = make(world, urgency=2, late=True, due_on=START.date() - dt.timedelta(days=3))
    today = timezone.localdate()
    overdue = make(
        world,
        urgency=3,
        next_due_on=today - dt.timedelta(days=1),
        next_due_label="Tell us when the person returns",
    )
    make(world, next_due_on=today + dt.timedelta(days=5), next_due_label="Tell us later")
    client.force_login(world.staff)
    html = client.get(INBOX, {"deadline": "late"}).content.decode()
    assert references(html) == [late.reference]
    assert "Sent late" in html
    html = client.get(INBOX, {"deadline": "overdue"}).content.decode()
    assert references(html) == [overdue.reference]
    assert "Update overdue" in html
    assert on_time.reference in client.get(INBOX).content.decode()


@pytest.mark.django_db
def test_queries_do_not_grow_with_depth_and_leave_the_answers_behind(
    client, world, queue, small_pages
):
    client.force_login(world.staff)
    client.get(INBOX)  # the session is read and saved once
    counts = []
    for params in ({}, {"after": queue[2].pk}, {"before": queue[6].pk}, {"status": ""}):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INBOX, params).status_code == 200
        counts.append(len(captured))
        listed = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
        assert listed
        assert not any('"answers"' in sql for sql in listed)
    assert max(counts) <= 12


@pytest.mark.django_db
def test_only_staff_see_the_queue(client, world):
    client.force_login(world.manager)
    assert client.get(INBOX).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_mix_pages_in_queue_order_both_ways(client, world, monkeypatch, seed):
    """Random urgencies, times with ties and page sizes: forwards and backwards, the pages are
    the queue order cut into pieces, with nothing missed or repeated."""
    rng = random.Random(seed)
    monkeypatch.setattr(staff_views, "INBOX_PAGE_SIZE", rng.randint(1, 4))
    rows = [
        make(world, urgency=rng.choice((1, 2, 3)), minutes=rng.randint(0, 5))
        for _ in range(rng.randint(5, 14))
    ]
    expected = [n.reference for n in sorted(rows, key=lambda n: (-n.urgency, n.submitted_at, n.pk))]
    client.force_login(world.staff)
    pages, last = walk(client, INBOX, "next")
    assert joined(pages) == expected
    if len(pages) > 1:
        back, _ = walk(client, follow(last, "prev"), "prev")
        assert joined(list(reversed(back))) == joined(pages[:-1])


@pytest.mark.django_db
def test_a_cursor_from_outside_the_filter_starts_where_it_falls(client, world, queue):
    client.force_login(world.staff)
    urgent = next(n for n in queue if n.urgency == 3)
    html = client.get(INBOX, {"urgency": "2", "after": urgent.pk}).content.decode()
    assert references(html) == [n.reference for n in queue if n.urgency == 2]
    routine = next(n for n in queue if n.urgency == 1)
    html = client.get(INBOX, {"urgency": "2", "after": routine.pk}).content.decode()
    assert references(html) == []
    assert "There are no more notifications in this list." in html


def test_a_location_id_whose_digits_pass_the_check_digit_is_still_a_location_id(client, world):
    # "10000002199" passes the Damm check, so it was read as the reference NOT-1000-0002-199.
    location = Location.objects.create(
        id="1-0000002199", provider=world.providers["Organisation"], name="Check Digit House"
    )
    found = make(world, location=location)
    client.force_login(world.staff)
    html = client.get(INBOX, {"search": "1-0000002199"}).content.decode()
    assert references(html) == [found.reference]
