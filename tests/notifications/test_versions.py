"""A submission keeps the form version it was made with and is always shown with it."""

from dataclasses import replace

import pytest
from django.urls import reverse

from portal.forms.vocabulary import Section
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.build import page, text
from tests.factories.notifications import submit


@pytest.fixture
def police_v2():
    v1 = CATALOGUE.require("police")
    extra = Section(
        "v2",
        "New in version 2",
        (
            page(
                "weapons",
                "Weapons",
                text(
                    "weapon_details",
                    "Were weapons involved? Describe them",
                    "Describe any weapons involved",
                ),
            ),
        ),
    )
    v2 = replace(v1, version=2, sections=(*v1.sections, extra))
    CATALOGUE.add(v2)
    yield v2
    CATALOGUE.remove("police", 2)


@pytest.mark.django_db
def test_v1_submission_still_renders_with_v1_after_v2_exists(client, world, police_v2):
    location = world.locations["Organisation"]
    police_v2_removed = CATALOGUE.get("police", 1)
    CATALOGUE.remove("police", 2)
    old = submit("police", world.manager, location)
    CATALOGUE.add(police_v2)
    assert old.version == 1
    assert police_v2_removed is not None
    new = submit("police", world.manager, location)
    assert new.version == 2
    client.force_login(world.manager)
    old_html = client.get(reverse("notifications:detail", args=[old.reference])).content.decode()
    new_html = client.get(reverse("notifications:detail", args=[new.reference])).content.decode()
    assert "Version 1" in old_html
    assert "New in version 2" not in old_html
    assert "Version 2" in new_html
    assert "New in version 2" in new_html
    client.force_login(world.staff)
    staff_html = client.get(
        reverse("notifications_staff:detail", args=[old.reference])
    ).content.decode()
    assert "New in version 2" not in staff_html
