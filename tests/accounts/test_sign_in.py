"""Sign-in: password then a real second factor; lockout by account and source; sessions."""

import datetime as dt
import re
import statistics
import time
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session

from portal.audit.models import AuditEvent
from tests.accounts.conftest import PASSWORD, password_step, sign_in, totp_now

pytestmark = pytest.mark.django_db
VARYING = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


def test_sign_in_needs_password_then_authenticator(client, account):
    response = password_step(client, account.email)
    assert response["Location"] == "/sign-in/authenticator/"
    # Password alone gives no access anywhere.
    assert client.get("/account/")["Location"].startswith("/sign-in/")
    page = client.get("/sign-in/authenticator/")
    assert b'autocomplete="one-time-code"' in page.content
    response = client.post("/sign-in/authenticator/", {"code": totp_now(account.key)})
    assert response["Location"] == "/home/"
    home = client.get("/account/")
    assert home.status_code == 200
    assert b"Registered manager" in home.content
    assert AuditEvent.objects.filter(verb="accounts.signed_in").count() == 1


def test_totp_accepts_one_step_either_side_but_not_two(client, account):
    password_step(client, account.email)
    assert (
        b"incorrect"
        in client.post("/sign-in/authenticator/", {"code": totp_now(account.key, 2)}).content
    )
    assert (
        b"incorrect"
        in client.post("/sign-in/authenticator/", {"code": totp_now(account.key, -2)}).content
    )
    assert (
        client.post("/sign-in/authenticator/", {"code": totp_now(account.key, -1)}).status_code
        == 302
    )


def test_a_totp_code_works_once(client, account):
    code = totp_now(account.key)
    sign_in(client, account, code=code)
    client.post("/sign-out/")
    password_step(client, account.email)
    assert b"incorrect" in client.post("/sign-in/authenticator/", {"code": code}).content


def test_recovery_code_signs_in_once_and_warns_by_email(client, account, mail):
    password_step(client, account.email)
    code = account.recovery[0]
    response = client.post("/sign-in/recovery-code/", {"code": f"{code[:5]} {code[5:].upper()}"})
    assert response["Location"] == "/home/"
    client.post("/sign-out/")
    password_step(client, account.email)
    page = client.post("/sign-in/recovery-code/", {"code": code})
    assert b"incorrect or has already been used" in page.content
    from tests.accounts.conftest import deliver_pending

    deliver_pending()
    assert any("recovery code" in m.subject for m in mail.wait_for(account.email))


def test_wrong_password_and_unknown_email_answer_identically(client, account):
    known = password_step(client, account.email, "wrong password here")
    client.cookies.clear()
    unknown = password_step(client, "nobody@example.org", "wrong password here")
    assert known.status_code == unknown.status_code == 200
    assert b"Enter a correct email address and password" in known.content
    scrub = lambda r, e: VARYING.sub(b"", r.content).replace(e.encode(), b"EMAIL")  # noqa: E731
    assert scrub(known, account.email) == scrub(unknown, "nobody@example.org")


def test_unknown_email_costs_the_same_hashing_work(client, account, monkeypatch):
    """An unknown address still runs one Argon2 check (against a dummy hash), so the answer
    takes as long as for a known address with a wrong password."""
    from portal.accounts.services import accounts as services

    hashed: list[str] = []
    real = services.check_password

    def counting(password, encoded):
        hashed.append(encoded)
        return real(password, encoded)

    monkeypatch.setattr(services, "check_password", counting)
    password_step(client, "nobody@example.org", "wrong password here")
    assert len(hashed) == 1
    assert hashed[0].startswith("argon2")


def test_unknown_and_known_emails_take_similar_time(client, account):
    def timed(email, ip):
        started = time.perf_counter()
        password_step(client, email, "wrong password here", ip=ip)
        return time.perf_counter() - started

    known, unknown = [], []
    for i in range(10):  # interleaved, so load on the machine affects both alike
        known.append(timed(account.email, f"10.3.1.{i}"))
        unknown.append(timed("nobody@example.org", f"10.3.2.{i}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.33 < ratio < 3.0, (known, unknown)


def test_ten_failures_block_that_source_but_not_the_owner_elsewhere(client, account, mail, later):
    attacker = "203.0.113.9"
    for _ in range(10):
        password_step(client, account.email, "guess guess guess", ip=attacker)
    blocked = password_step(client, account.email, PASSWORD, ip=attacker)
    assert b"too many attempts" in blocked.content
    assert AuditEvent.objects.filter(verb="accounts.locked_out").count() == 1
    # The owner, from their own network, signs in at once.
    owner = client.__class__()
    sign_in(owner, account, ip="198.51.100.7")
    # After 15 minutes the attacker's source may try again.
    later.advance(minutes=15, seconds=1)
    assert (
        password_step(client, account.email, PASSWORD, ip=attacker)["Location"]
        == "/sign-in/authenticator/"
    )


def test_second_factor_failures_count_toward_the_block(client, account):
    password_step(client, account.email, ip="203.0.113.10")
    for _ in range(10):
        client.post("/sign-in/authenticator/", {"code": "000000"}, REMOTE_ADDR="203.0.113.10")
    page = client.post(
        "/sign-in/authenticator/", {"code": totp_now(account.key)}, REMOTE_ADDR="203.0.113.10"
    )
    assert b"too many attempts" in page.content


def test_per_ip_limit_across_accounts(client, account, settings):
    settings.ACCOUNT_SIGN_INS_PER_IP = 5
    for i in range(5):
        assert (
            password_step(client, f"user{i}@example.org", "x" * 10, ip="192.0.2.5").status_code
            == 200
        )
    limited = password_step(client, account.email, PASSWORD, ip="192.0.2.5")
    assert limited.status_code == 429
    assert limited["Retry-After"]


def test_password_is_checked_exactly_as_typed(client, account):
    for variant in [PASSWORD + " ", PASSWORD.upper(), " " + PASSWORD, PASSWORD[:-1]]:
        assert password_step(client, account.email, variant).status_code == 200


def test_huge_password_is_refused_without_error(client, account):
    response = password_step(client, account.email, "x" * 100_000)
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content


def test_session_key_changes_at_password_and_at_second_factor(client, account):
    client.get("/sign-in/")
    client.session.save()
    before = client.session.session_key
    client.cookies["sessionid"] = before
    password_step(client, account.email)
    middle = client.cookies["sessionid"].value
    assert middle != before
    client.post("/sign-in/authenticator/", {"code": totp_now(account.key)})
    after = client.cookies["sessionid"].value
    assert after not in (before, middle)
    assert not Session.objects.filter(session_key__in=[before, middle]).exists()


def test_old_cookie_is_dead_after_sign_out(client, account):
    sign_in(client, account)
    cookie = client.cookies["sessionid"].value
    client.post("/sign-out/")
    replay = client.__class__()
    replay.cookies["sessionid"] = cookie
    assert replay.get("/account/")["Location"].startswith("/sign-in/")


def test_sign_out_is_post_only_and_clears_site_data(client, account):
    sign_in(client, account)
    assert client.get("/sign-out/").status_code == 200  # a confirmation page, no change
    assert client.get("/account/").status_code == 200
    response = client.post("/sign-out/")
    assert response["Clear-Site-Data"]
    assert client.get("/account/").status_code == 302


def test_idle_for_31_minutes_signs_out(client, account, later):
    sign_in(client, account)
    later.advance(minutes=29)
    assert client.get("/account/").status_code == 200
    later.advance(minutes=29)  # active 29 minutes ago: still fine
    assert client.get("/account/").status_code == 200
    later.advance(minutes=31)
    response = client.get("/account/")
    assert response["Location"].startswith("/sign-in/")
    page = client.get(response["Location"])
    assert b"did nothing for 30 minutes" in page.content
    assert AuditEvent.objects.filter(verb="accounts.session_expired").exists()


def test_twelve_hours_signs_out_even_while_active(client, account, later):
    sign_in(client, account)
    for _ in range(30):
        later.advance(minutes=29)
        response = client.get("/account/")
        if response.status_code != 200:
            break
    assert later.offset <= dt.timedelta(hours=12, minutes=30)
    assert response.status_code == 302
    assert b"12 hours" in client.get(response["Location"]).content


def test_signed_in_pages_carry_the_timeout_warning(client, account, settings):
    sign_in(client, account)
    page = client.get("/account/").content.decode()
    assert 'data-module="session-timeout"' in page
    assert 'data-idle-seconds="1800"' in page
    assert "sign you out if you do nothing for 30 minutes" in page
    assert "no-store" in client.get("/account/")["Cache-Control"]


def test_extend_session_resets_the_idle_clock(client, account, later):
    sign_in(client, account)
    later.advance(minutes=25)
    response = client.post("/account/session/extend/", HTTP_ACCEPT="application/json")
    assert response.json()["idle_left"] >= 1799
    later.advance(minutes=25)
    assert client.get("/account/").status_code == 200


def test_next_only_goes_to_this_site(client, account):
    response = client.get("/account/")
    assert "next=/account/" in response["Location"]
    client.post("/sign-in/?next=/account/password/", {"email": account.email, "password": PASSWORD})
    assert (
        client.post("/sign-in/authenticator/", {"code": totp_now(account.key)})["Location"]
        == "/account/password/"
    )
    client.post("/sign-out/")
    client.post("/sign-in/?next=//evil.example/x", {"email": account.email, "password": PASSWORD})
    assert (
        client.post("/sign-in/authenticator/", {"code": totp_now(account.key, 1)})["Location"]
        == "/home/"
    )


@pytest.mark.parametrize("hostile", ["home", "accounts:home", "evil.example", "/x\x07y", "/a\nb"])
def test_a_next_that_is_not_a_path_here_leads_home_not_to_an_error(client, account, hostile):
    """ "Stay signed in" answered 500 for a `next` that was not a path: `redirect()` took
    it for the name of a view."""
    sign_in(client, account)
    response = client.post("/account/session/extend/", {"next": hostile})
    assert (response.status_code, response["Location"]) == (302, "/account/")
    client.post("/sign-out/")
    client.post(
        f"/sign-in/?{urlencode({'next': hostile})}", {"email": account.email, "password": PASSWORD}
    )
    answer = client.post("/sign-in/authenticator/", {"code": totp_now(account.key, 1)})
    assert answer["Location"] == "/home/"


def test_password_only_session_cannot_replace_the_authenticator(client, account):
    password_step(client, account.email)
    response = client.get("/set-up-authenticator/")
    assert response["Location"] == "/sign-in/"
