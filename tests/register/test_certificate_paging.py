"""The certificate's web page lists a large provider's locations fifty at a time
(register/certificate_paging.py): every page put together says what the whole certificate
says, the compiled reads return the ORM's rows, a search finds by name, town, postcode or
ID, and the page says that the PDF lists every location."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.register import certificate_paging as paging
from portal.register.certificates import Certificate, CertificateLocation, certificate_for
from portal.register.models import Location, Provider
from portal.register.registration_changes import NamedPerson, NewCondition, NewManager
from tests.applications.register_effects_helpers import location, person, registered
from tests.factories import accounts as f
from tests.support.browser import assert_accessible, assert_reflows, sign_in_with_session

pytestmark = pytest.mark.django_db

SIZE = 2 * paging.LOCATIONS_PAGE_SIZE + 7  # three pages, the last one short


@pytest.fixture
def large() -> Provider:
    """A provider of SIZE locations; Bea manages every third, a condition is on the last."""
    places = tuple(
        location(f"k{n}", f"Home {n:03d}", "RA1", "RA2" if n % 2 else "RA1") for n in range(SIZE)
    )
    return registered(
        locations=places,
        managers=(
            NewManager(NamedPerson("Mo", "Manager", "mo@example.com"), ("k0",)),
            NewManager(
                NamedPerson("Bea", "Both", "bea@example.com"),
                tuple(f"k{n}" for n in range(0, SIZE, 3)),
            ),
        ),
        conditions=(
            NewCondition("No more than 12 people", location=f"k{SIZE - 1}"),
            NewCondition("Only adults", location="k1"),
            NewCondition("Medicines training by March", manager_email="mo@example.com"),
            NewCondition("Report each quarter"),
        ),
    ).provider


def _entries(entries: list[CertificateLocation]) -> list[tuple[Any, ...]]:
    return [
        (
            entry.location,
            [activity.name for activity in entry.activities],
            [manager.full_name for manager in entry.managers],
            [condition.pk for condition in entry.conditions],
        )
        for entry in entries
    ]


def _conditions_at(entries: list[CertificateLocation]) -> list[tuple[Any, ...]]:
    """What the conditions' section shows of each location: its name and conditions."""
    return [(entry.location, [c.pk for c in entry.conditions]) for entry in entries]


def _rest(certificate: Certificate) -> tuple[Any, ...]:
    """All the certificate says beside its table of locations."""
    return (
        certificate.provider,
        [activity.name for activity in certificate.activities],
        [p.full_name for p in certificate.nominated_individuals],
        [p.full_name for p in certificate.responsible_individuals],
        [p.full_name for p in certificate.main_partners],
        [p.full_name for p in certificate.partners],
        [c.pk for c in certificate.provider_conditions],
        [
            (m.manager.full_name, [c.pk for c in m.conditions])
            for m in certificate.manager_conditions
        ],
    )


def test_the_pages_together_are_the_whole_certificate(large):
    whole = certificate_for(large.id)
    assert whole is not None
    assert len(whole.locations) == SIZE
    listed: list[CertificateLocation] = []
    for number in (1, 2, 3):
        page = paging.certificate_page_for(large.id, number=number)
        assert page is not None
        assert page.matching == SIZE
        assert page.is_paged
        assert page.first == len(listed) + 1
        assert page.last == min(number * paging.LOCATIONS_PAGE_SIZE, SIZE)
        assert _rest(page.certificate) == _rest(whole)
        # Every location's conditions on every page, as the whole certificate lists them.
        assert _conditions_at(page.location_conditions) == _conditions_at(whole.location_conditions)
        listed += page.certificate.locations
    assert _entries(listed) == _entries(list(whole.locations))
    beyond = paging.certificate_page_for(large.id, number=4)
    assert beyond is not None
    assert list(beyond.certificate.locations) == []
    assert paging.certificate_page_for("1-000000000") is None


def test_a_small_providers_page_is_one_page():
    small = registered().provider
    whole = certificate_for(small.id)
    page = paging.certificate_page_for(small.id)
    assert whole is not None
    assert page is not None
    assert not page.is_paged
    assert page.matching == 2
    assert _entries(list(page.certificate.locations)) == _entries(list(whole.locations))
    assert _conditions_at(page.location_conditions) == _conditions_at(whole.location_conditions)
    assert _rest(page.certificate) == _rest(whole)


@pytest.mark.parametrize(
    ("search", "names"),
    [
        (
            "home 10",
            ["Home 100", "Home 101", "Home 102", "Home 103", "Home 104", "Home 105", "Home 106"],
        ),
        ("OLDHAM", None),  # every location is in Oldham
        ("ol22bb", None),  # the postcode, spaces ignored
        ("nowhere", []),
    ],
)
def test_a_search_finds_by_name_town_postcode_or_id(large, search, names):
    page = paging.certificate_page_for(large.id, search=search)
    assert page is not None
    found = [entry.location.name for entry in page.certificate.locations]
    if names is None:
        assert page.matching == SIZE
        assert len(found) == paging.LOCATIONS_PAGE_SIZE
    else:
        assert found == names
        assert page.matching == len(names)
    an_id = Location.objects.filter(provider=large, name="Home 042").get().id
    by_id = paging.certificate_page_for(large.id, search=an_id.lower())
    assert by_id is not None
    assert [entry.location.id for entry in by_id.certificate.locations] == [an_id]


def test_the_compiled_reads_are_the_orms(large):
    alias = Location.objects.db
    reads = (paging._PLACES_PAGE, paging._ROLES, paging._LINKS, paging._CONDITIONS)
    if connection.vendor == "postgresql":  # compiled there; SQLite's IN lists vary in length
        assert all(read._compiled(alias) is not None for read in reads)
    today = timezone.localdate()
    for after, through in ((0, 50), (50, 100), (100, 150), (150, 200)):
        assert paging._PLACES_PAGE.rows(
            alias, provider_id=large.id, after=after, through=through
        ) == [tuple(row) for row in paging.places_page_query(large.id, after, through)]
    ids = sorted(Location.objects.filter(provider=large).values_list("id", flat=True))
    # A search that found nothing reads the provider's own people still, and no activities.
    for shown in (ids[:50], ids[:1], ["1-no-such-place"], []):
        compiled = paging._ROLES.rows(alias, provider_id=large.id, today=today, locations=shown)
        assert compiled == [tuple(row) for row in paging.page_roles_query(large.id, today, shown)]
        assert paging._LINKS.rows(alias, locations=shown) == [
            tuple(row) for row in paging.page_links_query(shown)
        ]
    compiled_conditions = paging._CONDITIONS.objects(alias, provider_id=large.id, today=today)
    read = list(paging.conditions_query(large.id, today))
    assert [(c.pk, c.location, c.manager, c.activity) for c in compiled_conditions] == [
        (c.pk, c.location, c.manager, c.activity) for c in read
    ]


def test_a_compiled_search_reads_the_orms_rows(large):
    """Searches with LIKE's own characters, any case, spaces, a postcode, an ID: the
    compiled search returns the rows the ORM's search does, page by page."""
    Location.objects.filter(provider=large, name="Home 005").update(name="Home 5% off_peak")
    Location.objects.filter(provider=large, name="Home 006").update(name="Home 6 back\\slash")
    Location.objects.filter(provider=large, name="Home 007").update(town_city="St. O'Brien")
    an_id = Location.objects.filter(provider=large, name="Home 042").get().id
    searches = [
        "Home",
        "home 00",
        "%",
        "5%",
        "_",
        "f_p",
        "\\",
        "back\\s",
        "o'brien",
        "ol2 2bb",
        " OL22BB ",
        an_id,
        an_id.lower(),
        "nowhere",
    ]
    alias = Location.objects.db
    if connection.vendor == "postgresql":
        assert paging._PLACES_SEARCH._compiled(alias) is not None
    for search in searches:
        for after in (0, 50, 100):
            through = after + paging.LOCATIONS_PAGE_SIZE
            by_orm = [
                tuple(row) for row in paging.places_page_query(large.id, after, through, search)
            ]
            assert paging._places(large.id, after, through, search) == by_orm, (search, after)
    assert len(paging._places(large.id, 0, 50, "%")) == 1  # the literal percent sign only
    assert len(paging._places(large.id, 0, 50, "_")) == 1


def _page(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def _shown(html: str) -> list[str]:
    return re.findall(r'data-label="Location">(Home \d+) \(', html)


def test_the_web_page_lists_fifty_and_says_the_pdf_lists_every_one(large):
    client = Client()
    client.force_login(f.make_user(person=person("nora@example.com")))
    url = reverse("register:certificate", args=[large.id])
    first = _page(client, url)
    pdf_url = reverse("register:certificate_pdf", args=[large.id])
    assert (
        f'The <a class="govuk-link" href="{pdf_url}">certificate as a PDF</a> lists every location.'
        in first
    )
    assert "Locations 1 to 50 of 107, by name." in first
    assert _shown(first) == [f"Home {n:03d}" for n in range(50)]
    assert 'aria-label="Pages of locations"' in first
    assert 'href="?page=2#locations"' in first
    # Conditions of every location, whichever page of locations is shown.
    assert f"At Home {SIZE - 1:03d}" in first
    assert "At Home 001" in first
    third = _page(client, f"{url}?page=3")
    assert "Locations 101 to 107 of 107, by name." in third
    assert _shown(third) == [f"Home {n:03d}" for n in range(100, SIZE)]
    assert "(locations page 3)" in third
    beyond = _page(client, f"{url}?page=9")
    assert "There are no more locations to show." in beyond
    assert _shown(beyond) == []
    searched = _page(client, f"{url}?q=home+10")
    assert "Locations 1 to 7 of 7 matching “home 10”, by name." in searched
    assert "Show every location" in searched
    assert "No location on this certificate matches your search." in _page(client, f"{url}?q=zzz")
    # A wrong page number shows the first page.
    assert _shown(_page(client, f"{url}?page=x")) == _shown(first)
    stranger = Client()
    stranger.force_login(f.make_user())
    assert stranger.get(url).status_code == 404


def test_a_small_providers_web_page_has_no_paging():
    small = registered().provider
    client = Client()
    client.force_login(f.make_user(person=person("nora@example.com")))
    html = _page(client, reverse("register:certificate", args=[small.id]))
    assert "Mill House" in html
    assert "Brook Lodge" in html
    assert "lists the locations" not in html
    assert "govuk-pagination" not in html
    assert 'name="q"' not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_paged_web_page_is_accessible_and_prints_the_locations_shown(page, live_server, large):
    sign_in_with_session(page, live_server, f.make_user(person=person("nora@example.com")))
    page.goto(reverse("register:certificate", args=[large.id]))
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label("Search the locations on this certificate").fill("home 10")
    page.get_by_role("button", name="Search locations").click()
    assert page.get_by_text("Locations 1 to 7 of 7 matching “home 10”, by name.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Show every location").click()
    page.get_by_role("navigation", name="Pages of locations").get_by_role(
        "link", name="Page 3"
    ).click()
    assert page.get_by_text("Locations 101 to 107 of 107, by name.").is_visible()
    assert_accessible(page)
    # Printed, the page is the certificate: the locations shown, without the search or links
    # to other pages.
    page.emulate_media(media="print")
    assert page.get_by_text("Locations 101 to 107 of 107, by name.").is_visible()
    assert not page.get_by_label("Search the locations on this certificate").is_visible()
    assert not page.get_by_role("navigation", name="Pages of locations").is_visible()
