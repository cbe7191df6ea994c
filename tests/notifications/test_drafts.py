"""Drafts are kept on the server: nothing typed is lost to a timeout, a closed browser or a
second tab, and the list says who last changed each draft."""

import pytest
from django.urls import reverse

from portal.forms.models import DraftStatus
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.engine_contexts import engine_context
from portal.notifications.models import NotificationDraft
from portal.notifications.samples import post_data
from tests.support.drafts import assert_asks_before_deleting
from tests.support.html import Page, text


def _start(client, user, location, slug="death"):
    client.force_login(user)
    response = client.post(
        reverse("notifications:start", args=[location.provider_id, location.pk, slug])
    )
    assert response.status_code == 302
    return NotificationDraft.objects.filter(created_by=user).latest("created_at")


def _new_draft_page(client, world, page_key: str) -> tuple[NotificationDraft, str]:
    """The manager starts a death notification at the organisation's location: the draft,
    and the address of its page `page_key`."""
    draft = _start(client, world.manager, world.locations["Organisation"])
    return draft, reverse("notifications:draft_page", args=[draft.pk, page_key])


@pytest.mark.django_db
def test_draft_survives_session_timeout_and_signing_in_again(client, world):
    location = world.locations["Organisation"]
    draft = _start(client, world.manager, location)
    definition = CATALOGUE.require("death")
    page = definition.require_page("about-you")
    context = engine_context(definition, location.provider_id, location.pk)
    client.post(
        reverse("notifications:draft_page", args=[draft.pk, "about-you"]),
        post_data(page, context, {"submitter_job_title": "Deputy manager"}),
    )
    # The session ends (idle timeout, closed browser): it is gone from the server.
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    client.cookies.clear()
    client.force_login(world.manager)
    history = client.get(reverse("notifications:history")).content.decode()
    assert "Death of a person using the service" in history
    assert world.manager.email in history
    page_html = client.get(
        reverse("notifications:draft_page", args=[draft.pk, "about-you"])
    ).content.decode()
    assert 'value="Deputy manager"' in page_html


@pytest.mark.django_db
def test_save_and_come_back_later_keeps_every_valid_answer_even_with_errors(client, world):
    draft, url = _new_draft_page(client, world, "death-details")
    # 31 February: the date is refused, the cause of death (valid on its own) is kept.
    typed = {
        "died_on-day": "31",
        "died_on-month": "2",
        "died_on-year": "2024",
        "cause_of_death": "Pneumonia",
    }
    response = client.post(url, {**typed, "save_for_later": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["cause_of_death"] == "Pneumonia"
    assert "died_on" not in draft.answers
    # Continuing with the impossible date shows a specific error and keeps the typed text.
    response = client.post(url, typed)
    html = response.content.decode()
    assert "Date of death must be a real date" in html
    assert "Pneumonia" in html


@pytest.mark.django_db
def test_dates_in_the_future_and_bad_times_are_refused(client, world):
    _draft, url = _new_draft_page(client, world, "death-details")
    html = client.post(
        url, {"died_on-day": "1", "died_on-month": "1", "died_on-year": "2999", "died_at": "25:61"}
    ).content.decode()
    assert "Date of death must be today or in the past" in html
    assert "Time of death must be a real time" in html


@pytest.mark.django_db
def test_two_tabs_on_different_pages_both_keep_their_answers_and_are_told(client, world):
    location = world.locations["Organisation"]
    definition = CATALOGUE.require("death")
    context = engine_context(definition, location.provider_id, location.pk)
    draft = _start(client, world.manager, location)
    seen = draft.revision  # both tabs opened the draft at this revision
    tab_one = post_data(
        definition.require_page("death-details"), context, {"cause_of_death": "Sepsis"}
    )
    tab_two = post_data(
        definition.require_page("circumstances"), context, {"circumstances": "Found in the lounge."}
    )
    client.post(
        reverse("notifications:draft_page", args=[draft.pk, "death-details"]),
        {**tab_one, "revision": seen},
    )
    response = client.post(
        reverse("notifications:draft_page", args=[draft.pk, "circumstances"]),
        {**tab_two, "revision": seen},
        follow=True,
    )
    assert "also changed in another window" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers["cause_of_death"] == "Sepsis"
    assert draft.answers["circumstances"] == "Found in the lounge."


@pytest.mark.django_db
def test_colleague_edits_are_shown_with_who_last_edited(client, world):
    location = world.locations["Organisation"]
    draft = _start(client, world.manager, location)
    ni = world.nominated["Organisation"]
    client.force_login(ni)
    definition = CATALOGUE.require("death")
    context = engine_context(definition, location.provider_id, location.pk)
    client.post(
        reverse("notifications:draft_page", args=[draft.pk, "about-you"]),
        post_data(definition.require_page("about-you"), context),
    )
    client.force_login(world.manager)
    html = client.get(reverse("notifications:history")).content.decode()
    assert f"by {ni.email}" in html


@pytest.mark.django_db
def test_identifier_that_looks_like_a_name_must_be_confirmed(client, world):
    draft, url = _new_draft_page(client, world, "person")
    data = {"person_identifier": "John Smith", "person_age_band": "85_plus"}
    html = client.post(url, data).content.decode()
    assert "looks like a person’s name" in html or "looks like a person&#8217;s name" in html
    assert "This is not the person’s name" in html or "This is not the person&#8217;s name" in html
    assert client.post(url, {**data, "person_identifier__not_a_name": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["person_identifier"] == "John Smith"


@pytest.mark.django_db
def test_stop_answer_explains_nothing_needs_sending(client, world):
    location = world.locations["Organisation"]
    draft = _start(client, world.manager, location, slug="unauthorised-absence")
    response = client.post(
        reverse("notifications:draft_page", args=[draft.pk, "security"]), {"security_level": "none"}
    )
    assert response.status_code == 302
    assert "not-needed" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "You do not need to send this notification" in html
    discard_url = reverse("notifications:discard", args=[draft.pk])
    assert_asks_before_deleting(
        client,
        discard_url,
        title="Are you sure you want to delete this draft?",
        keep=reverse("notifications:draft", args=[draft.pk]),
    )
    response = client.post(discard_url)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DISCARDED


@pytest.mark.django_db
def test_changing_an_answer_drops_answers_it_made_irrelevant(client, world):
    draft, url = _new_draft_page(client, world, "place")
    client.post(url, {"place_of_death": "other", "place_of_death_other": "A friend's house"})
    draft.refresh_from_db()
    assert draft.answers["place_of_death_other"] == "A friend's house"
    client.post(url, {"place_of_death": "hospital", "place_of_death_other": "ignored"})
    draft.refresh_from_db()
    assert "place_of_death_other" not in draft.answers


@pytest.mark.django_db
def test_hostile_input_is_kept_as_text_and_shown_escaped(client, world):
    draft, url = _new_draft_page(client, world, "circumstances")
    hostile = "<script>alert('x')</script> '; DROP TABLE notifications; -- ../../etc/passwd"
    assert client.post(url, {"circumstances": hostile}).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["circumstances"] == hostile
    html = client.get(reverse("notifications:check", args=[draft.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    # C0 and C1 controls and noncharacters: none can be shown back in a valid page.
    for invisible in ("bad\x00byte", "next\x85line", "not\ufffea character"):
        response = client.post(url, {"circumstances": invisible})
        assert "must not contain invisible control characters" in response.content.decode()


@pytest.mark.django_db
def test_a_time_later_today_is_refused_for_something_that_has_happened(client, world, monkeypatch):
    from django.utils import timezone

    from portal.forms import engine

    # The clock is outside the system: fix it at 10am today.
    ten_am = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    real_localtime = timezone.localtime
    monkeypatch.setattr(
        engine.timezone, "localtime", lambda *args: real_localtime(*args) if args else ten_am
    )
    _draft, url = _new_draft_page(client, world, "death-details")
    today = {"died_on-day": ten_am.day, "died_on-month": ten_am.month, "died_on-year": ten_am.year}
    html = client.post(url, {**today, "died_at": "11:00"}).content.decode()
    assert "Time of death must be in the past" in html
    assert client.post(url, {**today, "died_at": "9:30am"}).status_code == 302


@pytest.mark.django_db
def test_which_notification_helper_leads_straight_to_the_chosen_type(client, world):
    location = world.locations["Organisation"]
    client.force_login(world.manager)
    helper = reverse("notifications:helper")
    assert (
        "Select what has happened"
        in client.get(helper, {"situation": "nonsense", "asked": "1"}).content.decode()
    )
    answer = client.get(helper, {"situation": "serious-injury", "asked": "1"}).content.decode()
    assert "You need to send: Serious injury to a person using the service" in answer
    assert "?type=serious-injury" in answer
    response = client.get(reverse("notifications:choose_provider"), {"type": "serious-injury"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/new/{location.provider_id}/?type=serious-injury")
    # The location question posts to itself with the chosen type kept.
    page = client.get(response["Location"]).content.decode()
    assert f'action="{response["Location"]}"' in page
    response = client.post(response["Location"], {"location": location.pk})
    assert response["Location"] == reverse(
        "notifications:start", args=[location.provider_id, location.pk, "serious-injury"]
    )


@pytest.mark.django_db
def test_drafts_of_one_type_and_location_are_told_apart(client, world):
    location = world.locations["Organisation"]
    definition = CATALOGUE.require("death")
    context = engine_context(definition, location.provider_id, location.pk)
    person_page = definition.require_page("person")
    drafts = []
    for identifier in ("Room 4 resident", "Room 9 resident"):
        draft = _start(client, world.manager, location)
        data = post_data(person_page, context)
        data["person_identifier"] = identifier
        client.post(reverse("notifications:draft_page", args=[draft.pk, "person"]), data)
        drafts.append(draft)
    html = client.get(reverse("notifications:history")).content.decode()
    cards = [
        text(card)
        for card in Page(html).all("div", "govuk-summary-card")
        if "Death of a person" in text(card)
    ]
    assert len(cards) == 2
    assert cards[0] != cards[1]
    assert any("Person’s identifier Room 4 resident" in card for card in cards)
    assert any("Person’s identifier Room 9 resident" in card for card in cards)
    for card in cards:
        assert f"by {world.manager.email}" in card
        assert "Started" in card


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["police", "change-of-name"])
def test_short_forms_offer_delete_this_draft_on_their_pages(client, world, slug):
    draft = _start(client, world.manager, world.locations["Organisation"], slug)
    html = client.get(reverse("notifications:draft_page", args=[draft.pk, "about-you"]))
    links = [a.get("href") for a in Page(html.content).all("a") if text(a) == "Delete this draft"]
    assert links == [reverse("notifications:discard", args=[draft.pk])]
