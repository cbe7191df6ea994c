"""The certificate page keeps a large provider's drawn locations table by what it says
(register/certificate_pages.py): the page must be the one drawn without it, a register change
must draw a new one, and nobody gains access through it."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.register import certificate_pages
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


def test_the_kept_table_is_the_drawn_one_and_follows_the_register(monkeypatch):
    cache.clear()
    provider = registered(name="Kept & <Co>").provider
    process_all_changes()
    client = Client()
    client.force_login(f.make_user(person=person("nora@example.com")))
    url = reverse("register:certificate", args=[provider.id])

    monkeypatch.setattr(certificate_pages, "CACHED_FROM_LOCATIONS", 10**6)
    drawn_each_time = _page(client, url)
    monkeypatch.setattr(certificate_pages, "CACHED_FROM_LOCATIONS", 0)
    assert _page(client, url) == drawn_each_time  # drawn and kept
    assert _page(client, url) == drawn_each_time  # from the cache
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
