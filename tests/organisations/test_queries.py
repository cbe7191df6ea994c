"""Signed-in pages stay within 12 SQL queries, however big the team."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.organisations import services
from portal.register.models import Location
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow_team(world, start, size):
    for i in range(start, start + size):
        location = Location.objects.create(id=f"1-9{i:08d}", provider=world.p, name=f"Extra {i}")
        give_access(
            make_user(f"member{i}@sunrise.example"), world.p, ["notifications"], [location, world.a]
        )
        services.invite(
            actor=world.users["ni"],
            provider=world.p,
            email=f"invitee{i}@x.example",
            permissions=["view_submissions"],
            whole_provider=False,
            location_ids=[location.pk],
        )
        services.request_to_join(
            user=make_user(f"asker{i}@x.example"), provider=world.p, message=""
        )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("team", "ni"),
        ("team", "rm_a"),
        ("team", "delegate_team_a"),
        ("providers", "ni"),
        ("invite_email", "ni"),
    ],
)
def test_pages_use_a_fixed_number_of_queries(client, world, name, kind):
    kwargs = {} if name == "providers" else {"provider_id": world.p.pk}
    url = reverse(f"organisations:{name}", kwargs=kwargs)
    client.force_login(world.users[kind])
    grow_team(world, 0, 1)  # one of everything, so every list (and its prefetch) is in play
    small = queries_for(client, url)
    grow_team(world, 1, 20)
    large = queries_for(client, url)
    assert large == small
    assert large <= 12
