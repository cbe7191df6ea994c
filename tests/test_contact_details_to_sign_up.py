"""Issue 6, end to end across accounts, notifications and the register: a registered manager
who shares a mailbox with a colleague is refused sign-up; the provider's nominated individual
sends a change-of-contact-details notification with the manager's own address; regulator staff
accept it, which changes the register; the manager then signs up with the new address and the
account carries their registered manager role. Nothing is mocked: real pages, real services,
mail read from the loopback SMTP server."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.accounts.selectors import SignUpCase, sign_up_eligibility
from portal.forms import engine
from portal.notifications import engine_contexts
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.models import Notification, NotificationDraft, NotificationStatus
from portal.notifications.samples import post_data
from portal.organisations.access import registered_roles
from portal.register.models import Location, Person, Provider, RoleType
from tests import factories as f
from tests.accounts.conftest import KNOWN_KEY, code_in, deliver_pending, totp_now
from tests.notifications.browser_helpers import walk_draft
from tests.support.browser import assert_accessible, expect_heading, finish_sign_up

SHARED_MAILBOX = "office@carehome.example"
OWN_ADDRESS = "sam.shared@carehome.example"
SIGN_IN_PASSWORD = "lantern meadow cobalt ripple"
NEW_PASSWORD = "juniper anchor velvet orbit"

# Transactional: the register's change signal and the mail outbox act after commit, as live.
pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Register:
    provider: Provider
    location: Location
    manager: Person
    colleague: Person
    nominated: User
    staff: User


def _user_with_authenticator(*, email: str, person: Person | None, is_staff: bool) -> User:
    user = User.objects.create_user(
        email, SIGN_IN_PASSWORD, person=person, is_staff=is_staff, full_name=email
    )
    f.give_authenticator(user)
    if is_staff:
        f.give_staff_roles(user, second_factor=False)
    return user


@pytest.fixture
def register(db: Any) -> Register:
    provider = f.make_provider(name="Meadow Care Ltd")
    location = f.make_location(provider, name="Meadow House")
    second_location = f.make_location(provider, name="Meadow Lodge")
    # Two different registered people, both given the office mailbox on the register.
    manager = f.make_person(given="Sam", family="Shared", email=SHARED_MAILBOX)
    f.give_role(manager, RoleType.REGISTERED_MANAGER, provider, location)
    colleague = f.make_person(given="Robin", family="Colleague", email=SHARED_MAILBOX)
    f.give_role(colleague, RoleType.REGISTERED_MANAGER, provider, second_location)
    nominated_person = f.make_person(given="Nina", family="Nominee", email="nina@meadow.example")
    f.give_role(nominated_person, RoleType.NOMINATED_INDIVIDUAL, provider)
    nominated = _user_with_authenticator(
        email=nominated_person.email, person=nominated_person, is_staff=False
    )
    staff = _user_with_authenticator(email="iris@regulator.example", person=None, is_staff=True)
    return Register(provider, location, manager, colleague, nominated, staff)


def _sign_in(page: Any, user: User, totp_step: int = 0) -> None:
    """The real sign-in pages: email and password, then the authenticator code."""
    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(SIGN_IN_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        totp_now(KNOWN_KEY, totp_step)
    )
    page.get_by_role("button", name="Sign in").click()
    expect_heading(page, "Home")  # signing in lands on the home page


def _start_sign_up(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-up/")
    assert_accessible(page)
    page.get_by_label("What is your email address?").fill(email)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Check your email")
    assert_accessible(page)


def _mail_body(mail: Any, address: str, count: int = 1) -> str:
    deliver_pending()
    return str(mail.wait_for(address, count=count)[-1].body)


@pytest.mark.browser
def test_shared_mailbox_manager_signs_up_after_staff_accept_a_change_of_contact_details(
    page: Any, live_server: Any, mail: Any, register: Register
) -> None:
    # 1. The shared mailbox cannot be used to sign up; the email says how to fix it.
    _start_sign_up(page, SHARED_MAILBOX)
    refusal = _mail_body(mail, SHARED_MAILBOX)
    assert "held by multiple roles" in refusal
    assert "2 different registered people" in refusal
    assert "S*** S*****" in refusal  # the manager, masked
    assert "R**** C********" in refusal  # the colleague, masked
    assert "change of contact details" in refusal
    assert "Sam" not in refusal
    assert not User.objects.filter(email=SHARED_MAILBOX).exists()
    # The refused address gets no code, so the code page cannot lead anywhere.
    page.get_by_label("Enter the 6-digit code").fill("123456")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "The code is incorrect" in page.locator(".govuk-error-summary").inner_text()
    assert "/sign-up/check-your-email/" in page.url

    # 2. The nominated individual signs in and sends the change of contact details.
    _sign_in(page, register.nominated)
    definition = CATALOGUE.require("change-contact-details")
    assert definition is not None
    page.goto(reverse("notifications:history"))
    page.get_by_role("button", name="Send a notification").click()
    page.get_by_label("The provider as a whole").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(definition.name).check()
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, definition.name)
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_load_state()
    draft = NotificationDraft.objects.get(created_by=register.nominated)
    context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
    seen_person_page: list[bool] = []

    def on_page(current: Any) -> None:
        # The person page offers the manager by name, with the new-address question.
        if current.url.rstrip("/").endswith("/person"):
            assert current.get_by_label("Sam Shared").count() == 1
            assert_accessible(current)
            seen_person_page.append(True)

    walk_draft(
        page,
        definition,
        context,
        {
            "changes": ["person_email"],
            "changed_person": register.manager.person_ref,
            "new_email": OWN_ADDRESS,
        },
        on_page=on_page,
    )
    assert seen_person_page
    expect_heading(page, "Check your answers before sending your notification")
    assert OWN_ADDRESS in page.content()
    assert_accessible(page)
    if definition.declaration:
        page.get_by_label("I confirm this declaration").check()
    page.get_by_role("button", name="Send notification").click()
    page.wait_for_load_state()
    notification = Notification.objects.get(draft=draft)
    assert notification.reference in page.locator(".govuk-panel").inner_text()
    assert notification.status == NotificationStatus.SUBMITTED
    # Sent is not accepted: the register (and so sign-up) has not changed yet.
    assert sign_up_eligibility(OWN_ADDRESS).case is SignUpCase.NOT_REGISTERED

    # 3. Regulator staff sign in, find it in the inbox and accept it.
    _sign_in(page, register.staff)
    page.goto(reverse("notifications_staff:inbox"))
    assert_accessible(page)
    page.get_by_role("link", name=notification.reference).click()
    assert SHARED_MAILBOX in page.content()
    assert OWN_ADDRESS in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Accept and update the register").click()
    page.wait_for_load_state()
    assert "The register has been updated" in page.content()
    assert_accessible(page)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACCEPTED
    register.manager.refresh_from_db()
    register.colleague.refresh_from_db()
    assert register.manager.email == OWN_ADDRESS
    assert register.colleague.email == SHARED_MAILBOX  # only the named person changed
    # The nominated individual is told of the decision.
    assert "accepted" in _mail_body(mail, register.nominated.email).lower()

    # 4. The manager signs up with their own address and gets their role.
    _start_sign_up(page, OWN_ADDRESS)
    code = code_in(_mail_body(mail, OWN_ADDRESS))
    page.get_by_label("Enter the 6-digit code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Create a password")
    assert_accessible(page)
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    finish_sign_up(page)
    done = str(page.locator("main").inner_text())
    assert OWN_ADDRESS in done
    assert "Registered manager" in done
    assert register.location.name in done
    user = User.objects.get(email=OWN_ADDRESS)
    assert user.person == register.manager
    grants = [
        (held.role, held.location.pk if held.location else None) for held in registered_roles(user)
    ]
    assert grants == [(RoleType.REGISTERED_MANAGER, register.location.pk)]
    # The colleague now holds the office mailbox alone, so they may sign up with it too.
    assert sign_up_eligibility(SHARED_MAILBOX).case is SignUpCase.ELIGIBLE


# --- The same path through the views with the test client (fast; runs without a browser) --


def _client_sign_in(client: Any, user: User, totp_step: int = 0) -> None:
    response = client.post("/sign-in/", {"email": user.email, "password": SIGN_IN_PASSWORD})
    assert response["Location"] == "/sign-in/authenticator/"
    response = client.post("/sign-in/authenticator/", {"code": totp_now(KNOWN_KEY, totp_step)})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def _client_sign_up_email(client: Any, mail: Any, email: str) -> str:
    response = client.post("/sign-up/", {"email": email})
    assert response["Location"] == "/sign-up/check-your-email/"
    return _mail_body(mail, email)


def test_the_whole_path_through_the_views(client: Any, mail: Any, register: Register) -> None:
    refusal = _client_sign_up_email(client, mail, SHARED_MAILBOX)
    assert "held by multiple roles" in refusal
    assert "change of contact details" in refusal
    # Whatever is typed, a refused address has no code to prove.
    for guess in ("000000", "123456"):
        response = client.post("/sign-up/check-your-email/", {"code": guess})
        assert "The code is incorrect" in response.content.decode()
    # Nor can the password step be reached without a proven address.
    response = client.post("/sign-up/create-password/", {"password": NEW_PASSWORD})
    assert response["Location"] == "/sign-up/"
    assert not User.objects.filter(email=SHARED_MAILBOX).exists()

    # The nominated individual fills every page of the form through the draft pages.
    client.cookies.clear()
    _client_sign_in(client, register.nominated)
    definition = CATALOGUE.require("change-contact-details")
    assert definition is not None
    start_url = reverse(
        "notifications:start", args=[register.provider.pk, "provider", definition.slug]
    )
    assert client.get(start_url).status_code == 200
    assert client.post(start_url).status_code == 302
    draft = NotificationDraft.objects.get(created_by=register.nominated)
    context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
    overrides = {
        "changes": ["person_email"],
        "changed_person": register.manager.person_ref,
        "new_email": OWN_ADDRESS,
    }
    for _ in range(30):
        draft.refresh_from_db()
        todo = engine.incomplete_pages(definition, draft.answers, context)
        if not todo:
            break
        url = reverse("notifications:draft_page", args=[draft.pk, todo[0].key])
        assert client.get(url).status_code == 200
        response = client.post(url, post_data(todo[0], context, overrides))
        assert response.status_code == 302, response.content.decode()[:3000]
    else:
        raise AssertionError("the draft never became complete")
    check_url = reverse("notifications:check", args=[draft.pk])
    assert OWN_ADDRESS in client.get(check_url).content.decode()
    response = client.post(check_url, {"confirmed": "on"})
    notification = Notification.objects.get(draft=draft)
    assert response["Location"] == reverse(
        "notifications:confirmation", args=[notification.reference]
    )
    assert notification.answers["new_email"] == OWN_ADDRESS
    assert notification.answers["changed_person"] == register.manager.person_ref

    # Staff accept it from the inbox.
    client.cookies.clear()
    _client_sign_in(client, register.staff)
    inbox = client.get(reverse("notifications_staff:inbox")).content.decode()
    assert notification.reference in inbox
    accept = reverse("notifications_staff:accept", args=[notification.reference])
    assert client.post(accept).status_code == 302
    # Accepting again is refused and changes nothing.
    assert "so you cannot do that now" in client.post(accept).content.decode()
    register.manager.refresh_from_db()
    assert register.manager.email == OWN_ADDRESS

    # The manager signs up with the new address.
    client.cookies.clear()
    code = code_in(_client_sign_up_email(client, mail, OWN_ADDRESS))
    assert client.post("/sign-up/check-your-email/", {"code": code})["Location"] == (
        "/sign-up/create-password/"
    )
    response = client.post("/sign-up/create-password/", {"password": NEW_PASSWORD})
    assert response["Location"] == "/set-up-authenticator/"
    user = User.objects.get(email=OWN_ADDRESS)
    assert client.get("/set-up-authenticator/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/set-up-authenticator/", {"code": totp_now(device.key)})
    assert response["Location"] == "/recovery-codes/"
    assert client.get("/recovery-codes/").status_code == 200
    done = client.get("/sign-up/done/").content.decode()
    assert "Account created" in done
    assert "Registered manager" in done
    assert register.location.name in done
    assert user.person == register.manager
    held = [(r.role, r.location.pk if r.location else None) for r in registered_roles(user)]
    assert held == [(RoleType.REGISTERED_MANAGER, register.location.pk)]
