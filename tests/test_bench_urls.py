"""The URLconf benchmarks run with (portal.settings.bench): the portal's URLs plus a trivial
view to compare pages with, which must touch neither templates nor the database."""

import pytest

from tests.support.url_access import access_problems


def test_every_bench_url_declares_who_may_use_it():
    assert access_problems("portal.bench_urls") == []


@pytest.mark.django_db
def test_the_trivial_view_answers_without_the_database(client, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = "portal.bench_urls"
    with django_assert_num_queries(0):
        response = client.get("/bench/trivial")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.get("/accessibility/").status_code == 200  # and the portal's own pages
