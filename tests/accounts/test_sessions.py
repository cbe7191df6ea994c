"""Where you are signed in: every browser listed, and each can be signed out; changes to how
you sign in sign out the other browsers (ASVS 7.4.3, 7.4.5, 7.5.2)."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory

from portal.accounts.models import SecondFactorResetRequest, SignedInSession
from portal.accounts.services.accounts import decide_factor_reset
from portal.accounts.services.signed_in import forget_finished_sessions
from portal.audit.models import AuditEvent
from tests import factories as f
from tests.accounts.conftest import (
    KNOWN_KEY,
    PASSWORD,
    code_in,
    latest_mail_to,
    make_account,
    sign_in,
    totp_now,
)

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def browser(user_agent: str = FIREFOX) -> Client:
    return Client(HTTP_USER_AGENT=user_agent)


def signed_in_browser(account, user_agent, ip, step=0):
    client = browser(user_agent)
    sign_in(client, account, ip=ip, code=totp_now(account.key, step))
    return client


def is_signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_each_browser_is_listed_and_another_can_be_signed_out(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    phone = signed_in_browser(account, SAFARI, "10.0.0.2", step=1)
    page = laptop.get("/account/sessions/").content.decode()
    assert "Firefox on Windows (this browser)" in page
    assert "Mobile Safari on iOS" in page
    assert "10.0.0.2" in page
    phone_row = SignedInSession.objects.get(ip_address="10.0.0.2")

    response = laptop.post(f"/account/sessions/{phone_row.id}/sign-out/")
    assert response["Location"] == "/account/sessions/"
    assert "That browser has been signed out" in laptop.get("/account/sessions/").content.decode()
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert AuditEvent.objects.filter(verb="accounts.session_ended").count() == 1
    assert (
        "You are not signed in anywhere else" in laptop.get("/account/sessions/").content.decode()
    )


def test_sign_out_all_other_browsers(account):
    browsers = [signed_in_browser(account, FIREFOX, f"10.0.0.{n}", step=n) for n in range(3)]
    response = browsers[0].post("/account/sessions/sign-out-others/")
    assert response["Location"] == "/account/sessions/"
    assert (
        "2 other browsers have been signed out"
        in browsers[0].get("/account/sessions/").content.decode()
    )
    assert [is_signed_in(b) for b in browsers] == [True, False, False]
    assert SignedInSession.objects.count() == 1


def test_someone_elses_session_cannot_be_signed_out(account):
    mine = signed_in_browser(account, FIREFOX, "10.0.0.1")
    other_account = make_account("other.manager@sunrise.example")
    theirs = signed_in_browser(other_account, SAFARI, "10.0.0.9")
    their_row = SignedInSession.objects.get(user=other_account.user)
    mine.post(f"/account/sessions/{their_row.id}/sign-out/")
    assert "already signed out" in mine.get("/account/sessions/").content.decode()
    assert is_signed_in(theirs)
    assert "10.0.0.9" not in mine.get("/account/sessions/").content.decode()


def test_this_browser_is_signed_out_with_sign_out_not_here(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    row = SignedInSession.objects.get()
    laptop.post(f"/account/sessions/{row.id}/sign-out/")
    assert is_signed_in(laptop)
    laptop.post("/sign-out/")
    assert not SignedInSession.objects.exists()


def test_the_row_follows_the_session_through_confirm_it_is_you(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    key_before = laptop.session.session_key
    response = laptop.post(
        "/account/confirm-it-is-you/", {"password": PASSWORD, "code": totp_now(account.key, 1)}
    )
    assert response.status_code == 302
    assert laptop.session.session_key != key_before
    assert SignedInSession.objects.get().session_key == laptop.session.session_key
    assert "(this browser)" in laptop.get("/account/sessions/").content.decode()


def test_changing_the_password_signs_out_the_other_browsers(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    phone = signed_in_browser(account, SAFARI, "10.0.0.2", step=1)
    laptop.post(
        "/account/password/",
        {"current_password": PASSWORD, "new_password": "quartz lemonade tundra"},
    )
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert SignedInSession.objects.count() == 1
    assert Session.objects.count() == 1


def test_changing_the_authenticator_signs_out_the_other_browsers(account):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    phone = signed_in_browser(account, SAFARI, "10.0.0.2", step=1)
    laptop.get("/account/authenticator/")
    laptop.get("/set-up-authenticator/")
    device = TOTPDevice.objects.get(user=account.user, confirmed=False)
    response = laptop.post("/set-up-authenticator/", {"code": totp_now(device.key)})
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert device.key != KNOWN_KEY


def test_a_password_reset_signs_out_everywhere(account, mail):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    stranger = browser()
    stranger.post("/password-reset/", {"email": account.email})
    code = code_in(latest_mail_to(mail, account.email).body)
    stranger.post("/password-reset/check-your-email/", {"code": code})
    stranger.post("/password-reset/new-password/", {"password": "quartz lemonade tundra"})
    assert not is_signed_in(laptop)
    assert not SignedInSession.objects.exists()
    assert AuditEvent.objects.filter(verb="accounts.all_sessions_ended").count() == 1


def test_an_approved_second_factor_reset_signs_out_everywhere(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    staff = f.staff_member("assessor@regulator.example")
    reset = SecondFactorResetRequest.objects.create(
        user=account.user, explanation="Phone lost", created_at=account.user.date_joined
    )
    request = RequestFactory().post("/")
    request.user = staff
    decide_factor_reset(
        reset_id=reset.id, approve=True, reason="Called them", staff=staff, request=request
    )
    assert not is_signed_in(laptop)


def test_sessions_that_ended_unseen_are_forgotten(account):
    signed_in_browser(account, FIREFOX, "10.0.0.1")
    assert forget_finished_sessions() == 0
    Session.objects.all().delete()  # as if it expired and was cleared
    assert forget_finished_sessions() == 1
    assert not SignedInSession.objects.exists()


def test_an_idle_session_is_not_listed(account, later):
    signed_in_browser(account, SAFARI, "10.0.0.2")
    later.advance(minutes=31)
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1", step=1)
    page = laptop.get("/account/sessions/").content.decode()
    assert "Mobile Safari" not in page


@pytest.mark.parametrize(
    "user_agent",
    ["<script>alert(1)</script>", "x" * 5000, "", "Mozilla/5.0 \u0000\u202e evil"],
)
def test_any_user_agent_is_shown_safely(account, user_agent):
    laptop = signed_in_browser(account, user_agent, "10.0.0.1")
    response = laptop.get("/account/sessions/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert len(SignedInSession.objects.get().user_agent) <= 300
    assert re.search(r"\(this browser\)", page)


def test_the_sign_out_actions_only_take_posts(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    row = SignedInSession.objects.get()
    assert laptop.get(f"/account/sessions/{row.id}/sign-out/").status_code == 405
    assert laptop.get("/account/sessions/sign-out-others/").status_code == 405
    anonymous = browser()
    assert anonymous.post("/account/sessions/sign-out-others/").status_code == 302
    assert is_signed_in(laptop)


def staff_browser():

    staff = f.make_user(
        "assessor@regulator.example", is_staff=True, password=PASSWORD, second_factor=False
    )
    f.give_authenticator(staff)
    client = browser()
    client.post("/sign-in/", {"email": staff.email, "password": PASSWORD})
    assert client.post("/sign-in/authenticator/", {"code": totp_now(KNOWN_KEY)}).status_code == 302
    return client


def test_staff_find_an_account_and_sign_it_out_everywhere(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    staff = staff_browser()
    response = staff.get("/staff/accounts/", {"email": account.email.upper()})
    assert response["Location"] == f"/staff/accounts/{account.user.id}/"
    page = staff.get(response["Location"]).content.decode()
    assert "1 browser" in page
    response = staff.post(f"/staff/accounts/{account.user.id}/", {"reason": ""})
    assert "Enter why you are signing this person out" in response.content.decode()
    assert is_signed_in(laptop)
    response = staff.post(
        f"/staff/accounts/{account.user.id}/", {"reason": "Told us their laptop was stolen"}
    )
    assert response.status_code == 302
    assert not is_signed_in(laptop)
    assert is_signed_in(staff)
    event = AuditEvent.objects.get(verb="accounts.all_sessions_ended")
    assert event.data["reason"] == "Told us their laptop was stolen"
    assert event.actor is not None
    assert event.actor.email == "assessor@regulator.example"


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Enter the email address of the account"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("nobody@example.org", "There is no account with that email address"),
        ("x" * 330 + "@example.org", "Email address must be 320 characters or fewer"),
    ],
)
def test_staff_account_search_explains_what_is_wrong(account, email, error):
    staff = staff_browser()
    response = staff.get("/staff/accounts/", {"email": email})
    assert response.status_code == 200
    assert error in response.content.decode()


def test_only_staff_find_accounts(account):
    laptop = signed_in_browser(account, FIREFOX, "10.0.0.1")
    assert laptop.get("/staff/accounts/").status_code in (403, 404)
    assert laptop.post(f"/staff/accounts/{account.user.id}/", {"reason": "x"}).status_code in (
        403,
        404,
    )
    assert is_signed_in(laptop)
