"""Each kind of user's home: where sign-in lands, what needs them, one click to each section,
and a service navigation that shows only what they may use."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications import services as notification_services
from portal.notifications.models import Notification
from portal.organisations.selectors import CURRENT_PROVIDER_SESSION_KEY
from tests.accounts.conftest import KNOWN_KEY, PASSWORD, totp_now
from tests.home.conftest import HomeWorld
from tests.home.helpers import (
    main_links,
    main_text,
    nav_texts,
    navigation,
    sentences_without_links,
    summary,
)

pytestmark = pytest.mark.django_db

HOME = "/home/"


def sign_in_with_password_and_code(client, user, next_url: str = ""):
    query = f"?next={next_url}" if next_url else ""
    response = client.post(f"/sign-in/{query}", {"email": user.email, "password": PASSWORD})
    assert response["Location"] == "/sign-in/authenticator/"
    return client.post("/sign-in/authenticator/", {"code": totp_now(KNOWN_KEY)})


def test_signing_in_lands_on_the_home_page(client, home_world: HomeWorld):
    response = sign_in_with_password_and_code(client, home_world.manager)
    assert response["Location"] == HOME
    # Someone already signed in who asks for the sign-in page goes home too.
    assert client.get("/sign-in/")["Location"] == HOME


def test_signing_in_still_goes_to_the_safe_page_that_was_asked_for(client, home_world):
    asked = reverse("notifications:history")
    assert sign_in_with_password_and_code(client, home_world.manager, asked)["Location"] == asked


def test_signing_in_never_follows_a_next_page_on_another_site(client, home_world):
    response = sign_in_with_password_and_code(client, home_world.manager, "https://evil.example/")
    assert response["Location"] == HOME


def test_a_registered_manager_reaches_every_section_in_one_click(client, home_world):
    client.force_login(home_world.manager)
    response = client.get(HOME)
    assert response.status_code == 200
    links = main_links(response)
    team = reverse("organisations:team", kwargs={"provider_id": home_world.provider.pk})
    assert links["Send a notification"] == reverse("notifications:choose_provider")
    assert links["Which notification do I need?"] == reverse("notifications:helper")
    assert links["Notifications you have sent (history)"] == reverse("notifications:history")
    assert links["Your registration"] == reverse("register:your_registration")
    assert links["Your team at Sunrise Care"] == team
    # The service navigation offers the same sections, with Home marked as this page.
    assert navigation(response) == [
        ("Home", HOME, "page"),
        ("Notifications", reverse("notifications:history"), ""),
        ("Your registration", reverse("register:your_registration"), ""),
        ("Applications", reverse("applications:list"), ""),
        ("Your team", team, ""),
        ("Your account", reverse("accounts:home"), ""),
        ("Sign out", reverse("accounts:sign_out"), ""),
    ]


def test_the_home_lists_what_needs_the_manager_now(client, home_world):
    client.force_login(home_world.manager)
    links = main_links(client.get(HOME))
    question = home_world.police.messages.get(kind="question")
    answer = reverse("notifications:answer", args=[home_world.police.reference, question.pk])
    assert links[f"Answer our question about {home_world.police.reference}"] == answer
    assert links[home_world.absence.reference] == reverse(
        "notifications:detail", args=[home_world.absence.reference]
    )
    assert "Death of a person using the service" in links  # the draft to finish
    join = [text for text in links if text.startswith("Decide on Nell Newcomer")]
    assert join, links


def test_the_current_section_is_marked_on_its_pages(client, home_world):
    client.force_login(home_world.manager)
    current = {name: mark for name, _href, mark in navigation(client.get("/notifications/"))}
    assert current["Notifications"] == "page"
    assert current["Home"] == ""
    team = reverse("organisations:team", kwargs={"provider_id": home_world.provider.pk})
    current = {name: mark for name, _href, mark in navigation(client.get(team + "?page=1"))}
    assert current["Your team"] == "page"
    draft_pages = navigation(client.get(reverse("notifications:choose_provider"), follow=True))
    assert dict((n, m) for n, _h, m in draft_pages)["Notifications"] == "true"


def test_a_delegate_sees_only_what_their_access_allows(client, home_world):
    client.force_login(home_world.delegate)
    response = client.get(HOME)
    assert nav_texts(response) == [
        "Home",
        "Notifications",
        "Applications",
        "Your account",
        "Sign out",
    ]
    links = main_links(response)
    assert "Send a notification" in links
    assert "Your registration" not in links
    # A question about location A is not the delegate's (they act at B only).
    assert not [text for text in links if text.startswith("Answer our question")]


def test_someone_acting_for_several_providers_can_switch(client, home_world):
    client.force_login(home_world.nominated)
    response = client.get(HOME)
    assert "Your providers" in nav_texts(response)
    assert "Your team" not in nav_texts(response)  # which team? they choose a provider first
    assert main_links(response)["Change which provider you are acting for"] == reverse(
        "organisations:providers"
    )
    session = client.session
    session[CURRENT_PROVIDER_SESSION_KEY] = home_world.second_provider.pk
    session.save()
    response = client.get(HOME)
    assert "You are acting for Moonrise Care" in main_text(response)
    assert nav_texts(response)[:6] == [
        "Home",
        "Notifications",
        "Your registration",
        "Applications",
        "Your team",
        "Your providers",
    ]


def test_staff_reach_their_inbox_and_the_register_in_one_click(client, home_world):
    client.force_login(home_world.staff)
    response = client.get(HOME)
    nav = {name: href for name, href, _mark in navigation(response)}
    assert nav["Inbox"] == reverse("notifications_staff:inbox")
    assert nav["Register"] == reverse("register:search")
    links = main_links(response)
    assert links["Notifications inbox"] == reverse("notifications_staff:inbox")
    assert links["Search the register"] == reverse("register:search")
    # One new (the absence), one waiting for the provider's answer (the police incident).
    assert summary(response) == {
        "New notifications": "1",
        "Updates overdue from providers": "0",
        "Waiting for a provider's answer": "1",
        "Answers received": "0",
    }


def test_staff_see_answers_as_they_arrive(client, home_world):
    question = home_world.police.messages.get(kind="question")
    notification_services.answer_question(
        question_id=question.pk, user=home_world.manager, body="Nobody was hurt."
    )
    client.force_login(home_world.staff)
    response = client.get(HOME)
    assert summary(response)["Answers received"] == "1"
    assert summary(response)["New notifications"] == "2"  # the answer puts it back as new
    links = main_links(response)
    assert links[home_world.police.reference] == reverse(
        "notifications_staff:detail", args=[home_world.police.reference]
    )
    notification_services.mark_reviewed(
        notification_id=home_world.police.pk, staff=home_world.staff
    )
    assert home_world.police.reference not in main_links(client.get(HOME))
    # New information later puts it back in the queue, but the answer was already seen.
    notification_services.add_update(
        notification_id=home_world.police.pk,
        user=home_world.manager,
        follow_up_key="",
        answers={},
        body="The police have closed their enquiry.",
    )
    response = client.get(HOME)
    assert summary(response)["New notifications"] == "2"
    assert summary(response)["Answers received"] == "0"


def test_someone_with_no_role_is_told_how_to_get_access(client, home_world):
    client.force_login(home_world.newcomer)
    response = client.get(HOME)
    assert nav_texts(response) == ["Home", "Applications", "Your account", "Sign out"]
    assert main_links(response)["ask to join it"] == reverse("organisations:join")
    assert "You asked to join Sunrise Care" in main_text(response)


def test_signed_in_the_start_page_offers_the_home_not_sign_up_or_sign_in(client, home_world):
    client.force_login(home_world.manager)
    response = client.get("/")
    links = main_links(response)
    assert links["Go to your home page"] == HOME
    assert "Start now" not in links
    assert "Sign in" not in links
    assert "Create an account" not in nav_texts(response)
    assert "Sign in" not in nav_texts(response)


def test_part_way_through_signing_in_the_header_offers_no_sign_up_or_sign_in(client, home_world):
    client.post("/sign-in/", {"email": home_world.manager.email, "password": PASSWORD})
    response = client.get("/sign-in/authenticator/")
    assert nav_texts(response) == []


def test_signed_out_the_header_offers_sign_up_and_sign_in(client, db):
    assert nav_texts(client.get("/")) == ["Create an account", "Sign in"]


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/", None),
        ("/contact/", None),
        ("/account/", "manager"),
        ("/registration/", "manager"),
        ("/registration/", "nominated"),
    ],
)
def test_every_sentence_that_sends_people_somewhere_links_there(client, home_world, path, who):
    if who:
        client.force_login(getattr(home_world, who))
    response = client.get(path)
    assert response.status_code == 200
    assert not sentences_without_links(response, "apply", "send us", "send a change"), path


def test_staff_see_updates_providers_owe_past_their_date(client, home_world):
    Notification.objects.filter(pk=home_world.absence.pk).update(
        next_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(home_world.staff)
    response = client.get(HOME)
    assert summary(response)["Updates overdue from providers"] == "1"
    # The figure's link opens the inbox filtered the same way.
    inbox = client.get(reverse("notifications_staff:inbox") + "?status=&deadline=overdue")
    assert home_world.absence.reference in inbox.content.decode()
    assert home_world.police.reference not in inbox.content.decode()


def test_part_way_through_signing_up_the_header_offers_no_sign_up_or_sign_in(client, db):
    session = client.session
    session["sign_up_proven"] = "new.manager@care.example"  # the emailed code was right
    session.save()
    response = client.get("/sign-up/create-password/")
    assert response.status_code == 200
    assert nav_texts(response) == []


def test_a_page_refused_before_sign_in_is_read_still_has_its_header(client, db):
    response = client.get("/?q=%C0%AF")  # not UTF-8: refused before the session is read
    assert response.status_code == 400
    assert nav_texts(response) == ["Create an account", "Sign in"]


def test_staff_see_only_the_sections_their_staff_permissions_open(
    client, home_world, monkeypatch, django_assert_max_num_queries
):
    """Staff roles (issue 15) will give staff some permissions and not others; until they
    exist, the one function that decides what a member of staff holds is replaced here."""
    from portal import staff_permissions
    from portal.home import sections
    from portal.staff_permissions import StaffPermission

    held = frozenset({StaffPermission.VIEW_REGISTER, StaffPermission.DECIDE_SECOND_FACTOR_RESETS})

    def only_some(principal):
        staff = principal is not None and principal.is_authenticated and principal.is_staff
        return held if staff else frozenset()

    monkeypatch.setattr(staff_permissions, "staff_permissions_of", only_some)
    monkeypatch.setattr(sections, "staff_permissions_of", only_some)
    client.force_login(home_world.staff)
    with django_assert_max_num_queries(6):
        response = client.get(HOME)
    assert nav_texts(response) == [
        "Home",
        "Register",
        "Second factor requests",
        "Your account",
        "Sign out",
    ]
    links = main_links(response)
    assert links["Search the register"] == reverse("register:search")
    assert links["Second factor reset requests"] == reverse("accounts:staff_factor_resets")
    assert "Notifications inbox" not in links
    assert "Find an account" not in links
    text = main_text(response)
    assert "Second factor reset requests" in text
    assert "Your queue" not in text
    assert "New notifications" not in text
    # What the home leaves out, the pages themselves refuse.
    assert client.get(reverse("notifications_staff:inbox")).status_code == 403
    assert client.get(reverse("register:search")).status_code == 200
