"""The certificate's web page draws its page of the locations table on every request
(register/certificate_paging.py); the table kept by what it says (register/
certificate_pages.py) now serves only the PDF's name. The page must show the register as it
is, even while a table drawn before a change is kept, and nobody gains access through it."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.register import certificate_pages
from portal.register.certificates import certificate_for
from portal.register.models import Location
from portal.register.registration_changes import RegisterDecision, remove_location
from tests.applications.register_effects_helpers import (
    named_location,
    person,
    process_all_changes,
    registered,
)
from tests.factories import accounts as f

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str) -> str:
    # Only the session timer and the per-request nonce and token differ between two requests.
    html = client.get(url).content.decode()
    html = re.sub(r'data-(idle|absolute)-left="\d+"', "", html)
    return re.sub(r'(nonce|value)="[^"]{20,}"', "", html)


def test_the_page_follows_the_register_whatever_table_is_kept(monkeypatch):
    cache.clear()
    provider = registered(name="Kept & <Co>").provider
    process_all_changes()
    client = Client()
    client.force_login(f.make_user(person=person("nora@example.com")))
    url = reverse("register:certificate", args=[provider.id])

    monkeypatch.setattr(certificate_pages, "CACHED_FROM_LOCATIONS", 0)
    found = certificate_for(provider.id)
    assert found is not None
    kept = certificate_pages.locations_table(found)  # as the PDF's name keeps it
    assert kept is not None
    drawn_each_time = _page(client, url)
    assert str(kept) in drawn_each_time  # the same markup, drawn for the page
    assert _page(client, url) == drawn_each_time
    assert "Locations of Kept &amp; &lt;Co&gt;" in drawn_each_time
    assert "Mill House" in drawn_each_time

    Location.objects.filter(pk=named_location(provider, "Brook Lodge").pk).update(
        name="Brook Lodge Renamed"
    )
    renamed = _page(client, url)
    assert "Brook Lodge Renamed" in renamed
    remove_location(
        provider=provider,
        location_id=named_location(provider, "Mill House").id,
        decision=RegisterDecision(actor=None, reference="APP-2"),
    )
    assert "Mill House" not in _page(client, url)

    stranger = Client()
    stranger.force_login(f.make_user())
    assert stranger.get(url).status_code == 404
