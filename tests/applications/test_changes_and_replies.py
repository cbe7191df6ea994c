"""Change applications against the register (a condition quoted exactly, varied when
granted), and bad input on the applicant's reply forms."""

import pytest
from django.urls import reverse

from portal.applications.completeness import blocking_problems
from portal.applications.definitions import CATALOGUE
from portal.applications.services import decisions, drafts
from portal.register.models import Condition
from tests.applications import helpers


def _vary(wording: str):
    owner = helpers.provider()
    helpers.location(owner)
    signer = helpers.nominated_individual(owner)
    condition = Condition.objects.create(
        provider=owner, text="Complete medicines training by 1 March 2027."
    )
    application = drafts.start_application(
        user=signer, definition=CATALOGUE.latest("vary-condition"), provider=owner
    )
    helpers.complete(
        application,
        {
            "condition_change": "vary",
            "condition_wording": wording,
            "condition_new_wording": "Complete medicines training by 1 June 2027.",
            "condition_reason": "The course was cancelled; we are booked on the next one.",
            "sop_aims": "To care.",
            "sop_services": "Unchanged.",
        },
    )
    return application, signer, condition


@pytest.mark.django_db
def test_a_condition_not_on_the_register_is_caught():
    application, _signer, _condition = _vary("Some condition we never imposed.")
    assert [p.message for p in blocking_problems(application)] == [
        "We cannot find that condition on your registration: copy it exactly as your "
        "certificate of registration words it"
    ]


@pytest.mark.django_db
def test_a_granted_variation_changes_the_condition_on_the_register():
    application, signer, condition = _vary("complete medicines training  by 1 March 2027.")
    assert blocking_problems(application) == []
    staff = helpers.send_and_validate(application, signer)
    decisions.grant(application_id=application.pk, staff=staff)
    decisions.take_effect(application_id=application.pk, staff=staff)
    texts = list(
        Condition.objects.in_force()
        .filter(provider=condition.provider)
        .values_list("text", flat=True)
    )
    assert texts == ["Complete medicines training by 1 June 2027."]


def _proposed(client):
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    staff = helpers.send_and_validate(application, applicant)
    decisions.serve_proposal(
        application_id=application.pk, staff=staff, kind="refuse", reasons="Not fit."
    )
    client.force_login(applicant)
    return application


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select whether you want to make representations"),
        ({"choice": "maybe"}, "Select whether you want to make representations"),
        ({"choice": "make", "body": "   "}, "Enter your representations"),
        ({"choice": "make", "body": "x" * 10_001}, "must be 10,000 characters or fewer"),
    ],
)
def test_bad_representations_get_specific_errors(client, data, message):
    application = _proposed(client)
    response = client.post(reverse("applications:representations", args=[application.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.stage == "proposal_served"


@pytest.mark.django_db
def test_representations_are_kept_as_written(client):
    application = _proposed(client)
    hostile = "<img src=x onerror=alert(1)> ../../etc/passwd"
    response = client.post(
        reverse("applications:representations", args=[application.pk]),
        {"choice": "make", "body": hostile},
    )
    assert response.status_code == 302
    message = application.messages.get(kind="representations")
    assert message.body == hostile
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "<img src=x" not in page
    again = client.post(
        reverse("applications:representations", args=[application.pk]),
        {"choice": "none"},
    )
    assert again.status_code == 200  # replayed: refused, with why
    assert "considering representations" in again.content.decode()
    assert (
        application.messages.filter(kind__in=["representations", "no_representations"]).count() == 1
    )


@pytest.mark.django_db
def test_withdrawing_after_a_proposal_is_refused_on_the_page(client):
    application = _proposed(client)
    response = client.get(reverse("applications:withdraw", args=[application.pk]))
    assert "we served a notice of proposal on" in response.content.decode()
    response = client.post(
        reverse("applications:withdraw", args=[application.pk]), {"confirm": "on"}
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.stage == "proposal_served"


@pytest.mark.django_db
def test_a_part_is_sent_back_only_with_a_reason(client):
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    part = application.parts.get()
    client.force_login(applicant)
    url = reverse("applications:send_back", args=[application.pk, part.pk])
    response = client.post(url, {"reason": ""})
    assert "Tell them what needs to change" in response.content.decode()
    response = client.post(url, {"reason": "x" * 10_001})
    assert "must be 10,000 characters or fewer" in response.content.decode()
    response = client.post(url, {"reason": "Your referee's address bounced."})
    assert response.status_code == 302
    assert client.post(url, {"reason": "again"}).status_code == 404  # no longer signed


@pytest.mark.django_db
def test_a_provider_starts_a_change_for_one_of_its_locations(client):
    owner = helpers.provider(name="Hill Care")
    first = helpers.location(owner, name="First House")
    helpers.location(owner, name="Second House")
    signer = helpers.nominated_individual(owner)
    client.force_login(signer)
    response = client.post(reverse("applications:choose_type"), {"application_type": "nonsense"})
    assert "Select what you want to apply for" in response.content.decode()
    response = client.post(
        reverse("applications:choose_type"), {"application_type": "add-activity"}
    )
    assert response["Location"] == reverse("applications:start", args=["add-activity"])
    url = reverse("applications:start", args=["add-activity"])
    page = client.get(url).content.decode()
    assert "First House" in page
    assert "Second House" in page
    response = client.post(url, {"location": "1-not-ours"})
    assert "Select the location" in response.content.decode()
    response = client.post(url, {})
    assert "Select the location" in response.content.decode()
    response = client.post(url, {"location": first.pk})
    application = owner.applications.get()
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.location == first
    assert application.title == "First House (Hill Care)"


@pytest.mark.django_db
def test_a_partner_change_is_refused_for_a_provider_that_is_no_partnership(client):
    owner = helpers.provider(ownership_type="Organisation")
    helpers.location(owner)
    signer = helpers.nominated_individual(owner)
    client.force_login(signer)
    response = client.post(reverse("applications:start", args=["add-partner"]))
    assert response.status_code == 200
    assert "Only a partnership has partners" in response.content.decode()
    assert not owner.applications.exists()


@pytest.mark.django_db
def test_a_delegate_is_told_on_the_check_page_who_can_sign(client):
    application, signer, prepared_by = helpers.cancel_provider_prepared_by_delegate()
    client.force_login(prepared_by)
    page = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "Someone else needs to sign and send this application" in page
    assert signer.full_name in page
    assert "Sign and send application" not in page
    response = client.post(reverse("applications:check", args=[application.pk]), {"confirm": "on"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.stage == "draft"
