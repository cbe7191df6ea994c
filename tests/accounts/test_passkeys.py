"""Passkeys as a second factor: adding, signing in, removing, and every way an answer can be
wrong. A software authenticator (tests/support/passkeys.py) makes real WebAuthn answers."""

import html
import json
import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from portal.accounts.models import Passkey, PasskeyChallenge, SecondFactorResetRequest, User
from portal.accounts.services import passkeys as service
from portal.accounts.services.passkeys import PasskeyProblem, PasskeyRejected
from portal.audit.models import AuditEvent
from tests import factories as f
from tests.accounts.conftest import (
    PASSWORD,
    deliver_pending,
    make_account,
    password_step,
    sign_in,
    totp_now,
)
from tests.support.concurrency import run_copies
from tests.support.passkeys import SoftAuthenticator, b64url_decode

pytestmark = pytest.mark.django_db
OPTIONS = re.compile(r'data-passkey-options="([^"]*)"')


def options_on(response) -> str:
    found = OPTIONS.search(response.content.decode())
    assert found, response.content[:3000]
    return html.unescape(found.group(1))


def errors_on(response) -> str:
    return " ".join(
        re.findall(r"govuk-error-summary__list.*?</ul>", response.content.decode(), re.S)
    )


def add_passkey(client, authenticator, name="Work laptop"):
    options = options_on(client.get("/account/passkeys/add/"))
    return client.post(
        "/account/passkeys/add/",
        {"name": name, "credential": authenticator.create(options), "browser_error": ""},
    )


@pytest.fixture
def with_passkey(client, account):
    """An account with one passkey, signed out again."""
    sign_in(client, account)
    authenticator = SoftAuthenticator()
    assert add_passkey(client, authenticator)["Location"] == "/account/passkeys/"
    client.post("/sign-out/")
    return authenticator


def passkey_step(client, answer, ip="10.0.0.1", browser_error=""):
    return client.post(
        "/sign-in/passkey/",
        {"credential": answer, "browser_error": browser_error},
        REMOTE_ADDR=ip,
    )


# --- Adding --------------------------------------------------------------------------------------


def test_adding_a_passkey_keeps_only_its_public_key_and_tells_the_owner(client, account, mail):
    sign_in(client, account)
    authenticator = SoftAuthenticator()
    options = json.loads(options_on(client.get("/account/passkeys/add/")))
    assert options["rp"]["id"] == "testserver"
    assert options["user"]["name"] == account.email
    assert options["timeout"] == 300_000
    assert options["authenticatorSelection"]["userVerification"] == "preferred"

    response = add_passkey(client, authenticator, name="  Work   laptop ")
    assert response["Location"] == "/account/passkeys/"
    passkey = Passkey.objects.get(user=account.user)
    assert passkey.name == "Work laptop"
    assert passkey.transports == ["internal"]
    page = client.get("/account/passkeys/").content.decode()
    assert "Passkey ‘Work laptop’ added" in page
    assert "Not used yet" in page
    assert AuditEvent.objects.filter(verb="accounts.passkey_added").count() == 1
    deliver_pending()
    assert any("passkey was added" in m.subject for m in mail.to(account.email))
    # The account page counts it.
    assert "1 added" in client.get("/account/").content.decode()


def test_the_user_handle_is_random_and_stays_the_same(client, account):
    sign_in(client, account)
    first = json.loads(options_on(client.get("/account/passkeys/add/")))["user"]["id"]
    second = json.loads(options_on(client.get("/account/passkeys/add/")))["user"]["id"]
    assert first == second
    # 32 random bytes, nothing derived from the account.
    assert len(b64url_decode(first)) == 32
    stored = User.objects.get(id=account.user.id).passkey_user_handle
    assert stored is not None
    assert bytes(stored) == b64url_decode(first)
    assert account.email.encode() not in b64url_decode(first)


def test_adding_needs_a_recent_second_factor(client, account, later):
    sign_in(client, account)
    later.advance(minutes=11)
    response = client.get("/account/passkeys/add/")
    assert response["Location"] == "/account/confirm-it-is-you/?next=/account/passkeys/add/"
    response = client.post(
        "/account/passkeys/add/",
        {"name": "x", "credential": "{}", "browser_error": ""},
    )
    assert response["Location"].startswith("/account/confirm-it-is-you/")
    assert not PasskeyChallenge.objects.exists()


def test_adding_needs_a_signed_in_user(client, account):
    assert client.get("/account/passkeys/add/")["Location"].startswith("/sign-in/")
    assert client.get("/account/passkeys/")["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Enter a name for your passkey"),
        ("   ", "Enter a name for your passkey"),
        ("x" * 61, "The name must be 60 characters or fewer"),
    ],
)
def test_a_passkey_needs_a_sensible_name(client, account, name, error):
    sign_in(client, account)
    response = add_passkey(client, SoftAuthenticator(), name=name)
    assert response.status_code == 200
    assert error in errors_on(response)
    assert not Passkey.objects.exists()


def test_a_hostile_name_is_kept_as_text(client, account):
    sign_in(client, account)
    name = "<script>alert(1)</script>'; DROP TABLE"
    add_passkey(client, SoftAuthenticator(), name=name)
    page = client.get("/account/passkeys/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert Passkey.objects.get().name == name


@pytest.mark.parametrize(
    ("browser_error", "message"),
    [
        ("NotAllowedError", "The passkey was not created. You may have cancelled"),
        ("InvalidStateError", "already has a passkey for your account"),
        ("SecurityError", "Passkeys cannot be used at this web address"),
        ("NotSupportedError", "does not support passkeys"),
        ("<img src=x onerror=alert(1)>", "Something went wrong with your passkey"),
        ("", "Your browser did not send a passkey. Passkeys need JavaScript"),
    ],
)
def test_what_the_browser_met_is_explained(client, account, browser_error, message):
    sign_in(client, account)
    client.get("/account/passkeys/add/")
    response = client.post(
        "/account/passkeys/add/",
        {"name": "Phone", "credential": "", "browser_error": browser_error},
    )
    assert response.status_code == 200
    assert message in html.unescape(errors_on(response))
    assert "onerror" not in response.content.decode()
    # The typed name is kept; a fresh challenge is offered for the next try.
    assert 'value="Phone"' in response.content.decode()
    assert options_on(response)


@pytest.mark.parametrize(
    "answer",
    [
        "not json",
        "[]",
        '{"id": 1}',
        json.dumps({"id": "abc", "rawId": "abc", "type": "public-key", "response": {}}),
        json.dumps(
            {
                "id": "abc",
                "rawId": "abc",
                "type": "public-key",
                "response": {"clientDataJSON": "!!!", "attestationObject": "***"},
            }
        ),
        "x" * 70_000,
    ],
)
def test_a_malformed_answer_is_refused_clearly(client, account, answer):
    sign_in(client, account)
    client.get("/account/passkeys/add/")
    response = client.post(
        "/account/passkeys/add/", {"name": "Phone", "credential": answer, "browser_error": ""}
    )
    assert response.status_code == 200
    assert "We could not check the passkey your browser sent" in html.unescape(errors_on(response))
    assert not Passkey.objects.exists()
    # The challenge was spent by the bad answer.
    assert PasskeyChallenge.objects.count() == 1  # only the new page's


@pytest.mark.parametrize("fault", [{"origin": "https://evil.example"}, {"rp_id": "evil.example"}])
def test_an_answer_for_another_site_is_refused(client, account, fault):
    sign_in(client, account)
    options = options_on(client.get("/account/passkeys/add/"))
    answer = SoftAuthenticator().create(options, **fault)
    response = client.post(
        "/account/passkeys/add/", {"name": "Phone", "credential": answer, "browser_error": ""}
    )
    assert "We could not check the passkey" in html.unescape(errors_on(response))
    assert not Passkey.objects.exists()
    assert AuditEvent.objects.filter(verb="accounts.passkey_add_failed").count() == 1


def test_an_answer_to_an_old_challenge_is_refused(client, account):
    sign_in(client, account)
    old_options = options_on(client.get("/account/passkeys/add/"))
    client.get("/account/passkeys/add/")  # a newer challenge voids the older
    response = client.post(
        "/account/passkeys/add/",
        {"name": "Phone", "credential": SoftAuthenticator().create(old_options)},
    )
    assert "We could not check the passkey" in html.unescape(errors_on(response))
    assert not Passkey.objects.exists()


def test_a_slow_answer_is_refused(client, account, later):
    sign_in(client, account)
    options = options_on(client.get("/account/passkeys/add/"))
    later.advance(minutes=6, seconds=1)
    response = client.post(
        "/account/passkeys/add/",
        {"name": "Phone", "credential": SoftAuthenticator().create(options)},
    )
    # Reauthentication is 10 minutes, the challenge 6: this is the challenge's error.
    assert "The time to create your passkey ran out" in html.unescape(errors_on(response))


def test_the_same_authenticator_cannot_be_added_twice(client, account):
    sign_in(client, account)
    authenticator = SoftAuthenticator()
    add_passkey(client, authenticator)
    response = add_passkey(client, authenticator, name="Again")
    assert "already added to an account" in html.unescape(errors_on(response))
    other = Client()
    other_account = make_account("other.manager@sunrise.example")
    sign_in(other, other_account)
    response = add_passkey(other, authenticator, name="Stolen")
    assert "already added to an account" in html.unescape(errors_on(response))
    assert Passkey.objects.count() == 1


def test_an_account_holds_at_most_ten_passkeys(client, account):
    sign_in(client, account)
    for number in range(10):
        assert add_passkey(client, SoftAuthenticator(), name=f"Key {number}").status_code == 302
    response = add_passkey(client, SoftAuthenticator(), name="Eleventh")
    assert "the most passkeys an account can have" in html.unescape(errors_on(response))
    assert Passkey.objects.count() == 10


# --- Signing in ---------------------------------------------------------------------------------


def test_sign_in_with_password_then_passkey(client, account, with_passkey):
    response = password_step(client, account.email)
    assert response["Location"] == "/sign-in/passkey/"
    page = client.get("/sign-in/passkey/")
    options = json.loads(options_on(page))
    assert [c["id"] for c in options["allowCredentials"]] == [Passkey.objects.get().credential_id]
    assert "Use your authenticator app instead" in page.content.decode()
    key_before = client.session.session_key
    response = passkey_step(client, with_passkey.get(options_on(page)))
    assert response["Location"] == "/home/"
    assert client.session.session_key != key_before
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(verb="accounts.signed_in", data__method="passkey").count() == 1
    passkey = Passkey.objects.get()
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None


def test_the_passkey_page_needs_the_password_first(client, account, with_passkey):
    assert client.get("/sign-in/passkey/")["Location"] == "/sign-in/"
    assert passkey_step(client, "{}")["Location"] == "/sign-in/"


def test_the_authenticator_app_still_works_for_a_passkey_user(client, account, with_passkey):
    password_step(client, account.email)
    page = client.get("/sign-in/authenticator/").content.decode()
    assert "Use a passkey instead" in page
    response = client.post("/sign-in/authenticator/", {"code": totp_now(account.key, 1)})
    assert response["Location"] == "/home/"


def test_without_passkeys_the_passkey_page_sends_you_to_the_app(client, account):
    assert password_step(client, account.email)["Location"] == "/sign-in/authenticator/"
    assert client.get("/sign-in/passkey/")["Location"] == "/sign-in/authenticator/"
    assert "Use a passkey instead" not in client.get("/sign-in/authenticator/").content.decode()


def test_an_answer_cannot_be_replayed(client, account, with_passkey):
    password_step(client, account.email)
    answer = with_passkey.get(options_on(client.get("/sign-in/passkey/")))
    assert passkey_step(client, answer)["Location"] == "/home/"
    client.post("/sign-out/")

    # Sent again at once: its challenge is gone.
    password_step(client, account.email)
    response = passkey_step(client, answer)
    assert "The time to use your passkey ran out" in html.unescape(errors_on(response))
    # Sent again against the new challenge the page now offers: it does not match.
    response = passkey_step(client, answer)
    assert "We could not check your passkey" in html.unescape(errors_on(response))
    assert client.get("/account/").status_code == 302


def test_another_accounts_passkey_is_refused(client, account, with_passkey):
    other_client = Client()
    other = make_account("other.manager@sunrise.example")
    sign_in(other_client, other)
    other_authenticator = SoftAuthenticator()
    add_passkey(other_client, other_authenticator)

    password_step(client, account.email)
    options = options_on(client.get("/sign-in/passkey/"))
    response = passkey_step(client, other_authenticator.get(options))
    assert "not one you added to this account" in html.unescape(errors_on(response))
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize("fault", [{"origin": "https://evil.example"}, {"rp_id": "evil.example"}])
def test_a_sign_in_answer_for_another_site_is_refused(client, account, with_passkey, fault):
    password_step(client, account.email)
    options = options_on(client.get("/sign-in/passkey/"))
    response = passkey_step(client, with_passkey.get(options, **fault))
    assert "We could not check your passkey" in html.unescape(errors_on(response))
    assert client.get("/account/").status_code == 302


def test_a_forged_signature_is_refused(client, account, with_passkey):
    password_step(client, account.email)
    options = options_on(client.get("/sign-in/passkey/"))
    forger = SoftAuthenticator()
    forger.credential_id = with_passkey.credential_id  # right ID, wrong private key
    response = passkey_step(client, forger.get(options))
    assert "We could not check your passkey" in html.unescape(errors_on(response))
    assert client.get("/account/").status_code == 302


def test_a_counter_that_goes_backwards_suggests_a_copy(client, account, with_passkey):
    password_step(client, account.email)
    passkey_step(
        client, with_passkey.get(options_on(client.get("/sign-in/passkey/")), sign_count=7)
    )
    client.post("/sign-out/")
    password_step(client, account.email)
    options = options_on(client.get("/sign-in/passkey/"))
    response = passkey_step(client, with_passkey.get(options, sign_count=7))
    assert "may have been copied" in html.unescape(errors_on(response))
    assert AuditEvent.objects.filter(verb="accounts.passkey_clone_suspected").count() == 1
    assert Passkey.objects.get().sign_count == 7


def test_authenticators_without_a_counter_are_accepted(client, account, with_passkey):
    for _ in range(2):
        password_step(client, account.email)
        options = options_on(client.get("/sign-in/passkey/"))
        assert passkey_step(client, with_passkey.get(options, sign_count=0))["Location"] == (
            "/home/"
        )
        client.post("/sign-out/")


@pytest.mark.parametrize(
    ("browser_error", "message"),
    [
        ("NotAllowedError", "You did not use your passkey, or it took too long"),
        ("SecurityError", "Passkeys cannot be used at this web address"),
        ("", "Your browser did not send a passkey"),
        ("Bogus", "Something went wrong with your passkey"),
    ],
)
def test_a_browser_error_at_sign_in_is_explained_and_not_counted(
    client, account, with_passkey, browser_error, message
):
    password_step(client, account.email)
    client.get("/sign-in/passkey/")
    response = passkey_step(client, "", browser_error=browser_error)
    assert message in html.unescape(errors_on(response))
    assert not AuditEvent.objects.filter(
        verb="accounts.sign_in_failed", data__step="passkey"
    ).exists()


def test_wrong_answers_count_toward_the_source_bound_block(client, account, with_passkey):
    for _ in range(10):
        password_step(client, account.email, ip="10.6.6.6")
        client.get("/sign-in/passkey/", REMOTE_ADDR="10.6.6.6")
        response = passkey_step(client, "garbage", ip="10.6.6.6")
        assert "We could not check your passkey" in html.unescape(errors_on(response))
    assert AuditEvent.objects.filter(verb="accounts.locked_out").count() == 1
    client.get("/sign-in/passkey/", REMOTE_ADDR="10.6.6.6")
    response = passkey_step(client, "garbage", ip="10.6.6.6")
    assert "too many attempts" in html.unescape(errors_on(response))
    # The owner, elsewhere, still signs in with the passkey.
    owner = Client()
    password_step(owner, account.email, ip="10.1.1.1")
    options = options_on(owner.get("/sign-in/passkey/", REMOTE_ADDR="10.1.1.1"))
    assert passkey_step(owner, with_passkey.get(options), ip="10.1.1.1")["Location"] == ("/home/")


def test_next_page_is_kept_through_the_passkey_step(client, account, with_passkey):
    client.post("/sign-in/?next=/account/passkeys/", {"email": account.email, "password": PASSWORD})
    options = options_on(client.get("/sign-in/passkey/"))
    assert passkey_step(client, with_passkey.get(options))["Location"] == "/account/passkeys/"


@pytest.mark.django_db(transaction=True)
def test_two_copies_of_one_answer_sent_together_sign_in_once(account):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    authenticator = SoftAuthenticator()
    rp = service.RelyingParty(id="testserver", name="Portal", origins=["http://testserver"])
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    service.registration_options(user=account.user, rp=rp)
    options = service.registration_options(user=account.user, rp=rp)
    service.add_passkey(
        user=account.user,
        name="Laptop",
        response_json=authenticator.create(options),
        rp=rp,
        request=request,
    )
    answer = authenticator.get(service.authentication_options(user=account.user, rp=rp))

    def send():
        return service.check_passkey(
            user=account.user, response_json=answer, rp=rp, request=request
        )

    outcomes = run_copies(send, 2)
    assert sum(isinstance(outcome, Passkey) for outcome in outcomes) == 1
    refused = [o.problem for o in outcomes if isinstance(o, PasskeyRejected)]
    assert refused == [PasskeyProblem.EXPIRED]


# --- Removing and resets ------------------------------------------------------------------------


def sign_in_with_passkey(client, account, authenticator):
    password_step(client, account.email)
    options = options_on(client.get("/sign-in/passkey/"))
    assert passkey_step(client, authenticator.get(options))["Location"] == "/home/"


def test_removing_a_passkey_needs_confirmation_and_tells_the_owner(
    client, account, with_passkey, mail
):
    sign_in_with_passkey(client, account, with_passkey)
    passkey = Passkey.objects.get()
    page = client.get(f"/account/passkeys/{passkey.id}/remove/")
    assert "Remove the passkey ‘Work laptop’?" in page.content.decode()
    assert Passkey.objects.exists()
    response = client.post(f"/account/passkeys/{passkey.id}/remove/")
    assert response["Location"] == "/account/passkeys/"
    assert not Passkey.objects.exists()
    assert AuditEvent.objects.filter(verb="accounts.passkey_removed").count() == 1
    deliver_pending()
    assert any("passkey was removed" in m.subject for m in mail.to(account.email))
    # Removed twice (a double click): nothing to remove, nothing breaks.
    assert client.post(f"/account/passkeys/{passkey.id}/remove/").status_code == 404


def test_removing_needs_a_recent_second_factor(client, account, with_passkey, later):
    sign_in_with_passkey(client, account, with_passkey)
    later.advance(minutes=11)
    passkey = Passkey.objects.get()
    response = client.post(f"/account/passkeys/{passkey.id}/remove/")
    assert response["Location"].startswith("/account/confirm-it-is-you/")
    assert Passkey.objects.exists()


def test_someone_elses_passkey_cannot_be_seen_or_removed(client, account, with_passkey):
    other_client = Client()
    other = make_account("other.manager@sunrise.example")
    sign_in(other_client, other)
    passkey = Passkey.objects.get(user=account.user)
    assert other_client.get(f"/account/passkeys/{passkey.id}/remove/").status_code == 404
    assert other_client.post(f"/account/passkeys/{passkey.id}/remove/").status_code == 404
    assert "Work laptop" not in other_client.get("/account/passkeys/").content.decode()
    assert Passkey.objects.filter(id=passkey.id).exists()


def test_an_approved_factor_reset_removes_passkeys_too(client, account, with_passkey):
    staff = f.staff_member("assessor@regulator.example")
    reset = SecondFactorResetRequest.objects.create(
        user=account.user, explanation="Lost phone and keys", created_at=account.user.date_joined
    )
    from portal.accounts.services.accounts import decide_factor_reset

    decide_factor_reset(
        reset_id=reset.id,
        approve=True,
        reason="Called the provider",
        staff=staff,
        request=RequestFactory().post("/"),
    )
    assert not Passkey.objects.filter(user=account.user).exists()


def test_expired_challenges_are_forgotten(account, later):
    rp = service.RelyingParty(id="testserver", name="Portal", origins=["http://testserver"])
    service.authentication_options(user=account.user, rp=rp)
    assert service.forget_expired_challenges() == 0
    later.advance(minutes=7)
    assert service.forget_expired_challenges() == 1


def test_confirm_it_is_you_with_password_and_passkey(client, account, with_passkey, later):
    sign_in_with_passkey(client, account, with_passkey)
    later.advance(minutes=11)
    response = client.get("/account/passkeys/add/")
    reauth = response["Location"]
    assert reauth == "/account/confirm-it-is-you/?next=/account/passkeys/add/"
    page = client.get(reauth).content.decode()
    link = "/account/confirm-it-is-you/passkey/?next=%2Faccount%2Fpasskeys%2Fadd%2F"
    assert html.escape(link) in page or link in page

    options = options_on(client.get(link))
    response = client.post(
        link, {"password": "not my password", "credential": with_passkey.get(options)}
    )
    assert "Your password is incorrect" in html.unescape(errors_on(response))
    assert client.get("/account/passkeys/add/")["Location"] == reauth

    options = options_on(client.get(link))
    response = client.post(link, {"password": PASSWORD, "credential": with_passkey.get(options)})
    assert response["Location"] == "/account/passkeys/add/"
    assert client.get("/account/passkeys/add/").status_code == 200


def test_confirm_it_is_you_with_a_passkey_says_when_the_source_is_blocked(
    client, account, with_passkey, later
):
    sign_in_with_passkey(client, account, with_passkey)
    later.advance(minutes=11)
    link = "/account/confirm-it-is-you/passkey/?next=%2Faccount%2Fpasskeys%2Fadd%2F"
    for _ in range(10):
        options = options_on(client.get(link))
        response = client.post(
            link, {"password": "not my password", "credential": with_passkey.get(options)}
        )
        assert "Your password is incorrect" in html.unescape(errors_on(response))
    # The right password from the blocked source is not called incorrect: the page says why.
    options = options_on(client.get(link))
    response = client.post(link, {"password": PASSWORD, "credential": with_passkey.get(options)})
    errors = html.unescape(errors_on(response))
    assert "too many attempts" in errors
    assert "Your password is incorrect" not in errors
    assert client.get("/account/passkeys/add/")["Location"].startswith(
        "/account/confirm-it-is-you/"
    )


def test_confirm_it_is_you_with_a_passkey_needs_a_passkey(client, account):
    sign_in(client, account)
    response = client.get("/account/confirm-it-is-you/passkey/?next=/account/passkeys/")
    assert response["Location"] == "/account/confirm-it-is-you/?next=/account/passkeys/"
    assert (
        "Use your passkey instead" not in client.get("/account/confirm-it-is-you/").content.decode()
    )


def test_confirm_it_is_you_refuses_a_foreign_next_page(client, account, with_passkey):
    sign_in_with_passkey(client, account, with_passkey)
    link = "/account/confirm-it-is-you/passkey/?next=https://evil.example/"
    options = options_on(client.get(link))
    response = client.post(link, {"password": PASSWORD, "credential": with_passkey.get(options)})
    assert response["Location"] == "/account/"
