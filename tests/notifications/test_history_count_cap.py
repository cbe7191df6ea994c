"""The history counts up to a cap (history_views.HISTORY_COUNT_CAP): exactly at it the page
says how many; past it, "more than", and every notification stays within reach: "next" goes
on to the last page, and the filters and the CSV export take them all. A cap of 3 and pages
of 2 stand in for 1,000 and 50."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications import history_views
from portal.notifications.models import Notification
from tests.factories.notifications import submit

pytestmark = pytest.mark.django_db

MORE_THAN = (
    "More than 3 notifications. Use the filters to find the ones you need, or download them "
    "all as a spreadsheet (CSV)."
)


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr(history_views, "HISTORY_COUNT_CAP", 3)
    monkeypatch.setattr(history_views, "HISTORY_PAGE_SIZE", 2)


def _sent(world, how_many):
    """`how_many` deaths at Organisation House, a minute apart, newest first."""
    home = world.locations["Organisation"]
    sent = [submit("death", world.manager, home) for _ in range(how_many)]
    now = timezone.now()
    for minutes, notification in enumerate(reversed(sent)):
        Notification.objects.filter(pk=notification.pk).update(
            submitted_at=now - dt.timedelta(minutes=minutes)
        )
    return list(reversed(sent))


def _page(client, **params):
    html = client.get(reverse("notifications:history"), params).content.decode()
    count = re.search(r'<p class="govuk-body">([^<]*notification[^<]*)</p>', html)
    assert count is not None
    listed = re.findall(r'data-label="Reference"><a class="govuk-link" href="[^"]*">([^<]+)<', html)
    following = re.search(
        r'class="govuk-link govuk-pagination__link" href="\?([^"]*page=(\d+))"'
        r' rel="next"',
        html,
    )
    return count[1], listed, following[2] if following else None


def test_exactly_at_the_cap_the_page_says_how_many(client, world, capped):
    _sent(world, 3)
    client.force_login(world.nominated["Organisation"])
    said, listed, following = _page(client)
    assert said == "3 notifications."
    assert len(listed) == 2
    assert following == "2"
    assert _page(client, page="2")[0] == "3 notifications."


def test_over_the_cap_every_notification_is_reached_by_next(client, world, capped):
    sent = _sent(world, 7)
    client.force_login(world.nominated["Organisation"])
    said, seen, following = _page(client)
    assert said == MORE_THAN
    pages = 1
    while following is not None:
        said, listed, following = _page(client, page=following)
        seen += listed
        pages += 1
        # A later page counts as far as it needs, and then knows how many there are.
        assert said in (MORE_THAN, "7 notifications.")
    assert pages == 4
    assert seen == [notification.reference for notification in sent]


def test_over_the_cap_with_filters_and_in_the_export(client, world, capped):
    sent = _sent(world, 4)
    client.force_login(world.nominated["Organisation"])
    said, _listed, _following = _page(client, notification_type="death")
    assert said == MORE_THAN.replace("notifications.", "notifications match your filters.")
    response = client.get(reverse("notifications:export"), {"notification_type": "death"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == [notification.reference for notification in sent]


@pytest.mark.parametrize("asked", ["0", "-1", "99", "999999999999999999999"])
def test_a_page_past_either_end_is_the_last_page_counted_exactly(client, world, capped, asked):
    sent = _sent(world, 5)
    client.force_login(world.nominated["Organisation"])
    said, listed, following = _page(client, page=asked)
    assert said == "5 notifications."
    assert listed == [sent[-1].reference]
    assert following is None


@pytest.mark.parametrize(
    ("asked", "limit"),
    [
        (None, 4),
        ("1", 4),
        ("2", 5),
        (" 3 ", 7),
        ("last", 4),
        ("1.5", 4),
        ("", 4),
        ("0", None),
        ("-2", None),
        ("9" * 30, 2 * 10**9 + 1),
    ],
)
def test_how_far_each_page_counts(capped, asked, limit):
    assert history_views.count_limit(asked) == limit
