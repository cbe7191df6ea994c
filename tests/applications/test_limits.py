"""One application names at most 10 locations, 10 registered managers and 10 partners: the
page where an eleventh would be added says so, keeps the rest of what was typed, and the
completeness check holds the line for answers that arrive any other way."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.applications.completeness import blocking_problems
from portal.applications.definitions import CATALOGUE
from portal.applications.definitions.new_provider import MAX_LOCATIONS
from portal.applications.models import Application
from portal.applications.services import drafts
from tests.applications import helpers
from tests.support.html import page_words

pytestmark = pytest.mark.django_db


def _started() -> tuple[Application, Client]:
    applicant = helpers.user()
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    return application, helpers.signed_in(applicant)


def _page(application: Application, key: str) -> str:
    return reverse("applications:page", args=[application.pk, key])


def test_the_count_pages_offer_no_more_than_ten():
    application, client = _started()
    page = client.get(_page(application, "locations")).content.decode()
    assert f'value="{MAX_LOCATIONS}"' in page
    assert f'value="{MAX_LOCATIONS + 1}"' not in page
    assert "To register more than 10, add them once you are registered" in page_words(
        client.get(_page(application, "locations"))
    )


@pytest.mark.parametrize(
    ("page_key", "data", "message"),
    [
        (
            "locations",
            {"location_count": "11"},
            "Select how many locations you want to register: up to 10 in one application "
            "(add more once you are registered)",
        ),
        (
            "managers",
            {"manager_count": "11"},
            "Select how many registered managers you will have: up to 10 in one application "
            "(add more once you are registered)",
        ),
        (
            "partnership",
            {
                "partnership_name": "Ash & Oak <Partners>",
                "applicant_name": "Ada Ash",
                "partner_count": "11",
            },
            "Select how many other partners there are: up to 10 in one application",
        ),
    ],
)
def test_an_eleventh_is_refused_on_its_page_and_nothing_else_is_lost(page_key, data, message):
    application, client = _started()
    client.post(_page(application, "legal-entity"), {"entity_type": "partnership"})
    response = client.post(_page(application, page_key), {**data, "continue": "1"})
    assert response.status_code == 200
    assert message in page_words(response)
    application.refresh_from_db()
    count_key = next(key for key in data if key.endswith("_count"))
    assert count_key not in application.answers
    if page_key == "partnership":
        assert application.answers["partnership_name"] == "Ash & Oak <Partners>"
        assert "Ash &amp; Oak &lt;Partners&gt;" in response.content.decode()


@pytest.mark.parametrize("value", ["-1", "0", "1e3", "10; DROP TABLE x", "<script>", "9" * 50])
def test_counts_that_are_not_on_the_list_are_refused(value):
    application, client = _started()
    response = client.post(_page(application, "locations"), {"location_count": value})
    assert response.status_code == 200
    assert "Select how many locations you want to register" in page_words(response)
    application.refresh_from_db()
    assert "location_count" not in application.answers


def test_answers_over_the_limits_arriving_otherwise_block_sending():
    application, _client = _started()
    answers = helpers.new_provider_answers()
    helpers.complete(application, {**answers, "location_count": "11", "manager_count": "12"})
    messages = {(p.message, p.href) for p in blocking_problems(application)}
    assert (
        "You can name up to 10 locations in one application: add more once you are registered",
        _page(application, "locations") + "?return=check",
    ) in messages
    assert (
        "You can name up to 10 registered managers in one application: add more once you are "
        "registered",
        _page(application, "managers") + "?return=check",
    ) in messages
