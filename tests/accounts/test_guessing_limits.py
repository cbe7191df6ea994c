"""Guesses spread over many source addresses: each account (each address, for emailed codes)
is slowed down as a whole, its owner is told once, and the owner's recognised browser is
never slowed. Also measures the most guesses a day each factor can receive."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory

from portal.accounts.models import EmailCode
from portal.accounts.services import accounts as services
from portal.accounts.services.codes import CheckOutcome
from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from tests.accounts.conftest import PASSWORD, password_step, sign_in, totp_now
from tests.conftest import CheckedClient

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60
# Settings (ACCOUNT_GUESS_POLICIES): failures before the first wait, per factor.
FREE_PASSWORDS = 20
FREE_SECOND_FACTORS = 5
RECOGNISED = "recognised_browser"  # the cookie's name over plain HTTP (tests)


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def alerts() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="guessing_slowed"))


def authenticator_step(client: Any, code: str, ip: str) -> Any:
    return client.post("/sign-in/authenticator/", {"code": code}, REMOTE_ADDR=ip)


def guess_codes_from_six_addresses(account: Any, per_address: int = 9) -> None:
    """The attack as found: the password is known; wrong authenticator codes from six
    addresses, each staying under the per-address block of 10."""
    for number in range(6):
        attacker, ip = CheckedClient(), f"10.66.0.{number}"
        password_step(attacker, account.email, PASSWORD, ip)
        for _ in range(per_address):
            authenticator_step(attacker, wrong(totp_now(account.key)), ip)


def test_authenticator_guesses_from_many_addresses_are_slowed(account: Any) -> None:
    guess_codes_from_six_addresses(account)

    seventh, ip = CheckedClient(), "10.66.0.7"
    assert password_step(seventh, account.email, PASSWORD, ip).status_code == 302
    response = authenticator_step(seventh, totp_now(account.key), ip)
    assert response.status_code == 200
    assert "too many attempts to sign in to this account. Try again in" in response.content.decode()
    # Only the free guesses were compared; every later one waited and was refused first.
    compared = AuditEvent.objects.filter(verb="accounts.sign_in_failed", data__step="totp")
    assert compared.count() == FREE_SECOND_FACTORS
    # The owner is told once for the burst, and it is audited once.
    assert [message.to for message in alerts()] == [account.email]
    assert "Your password is known to someone else" in alerts()[0].body
    assert AuditEvent.objects.filter(verb="accounts.guessing_slowed").count() == 1


def test_the_owners_recognised_browser_is_not_slowed(client: Any, account: Any) -> None:
    sign_in(client, account, ip="10.9.9.9")
    cookie = client.cookies[RECOGNISED]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    client.post("/sign-out/")

    guess_codes_from_six_addresses(account)

    assert password_step(client, account.email, PASSWORD, "10.9.9.9").status_code == 302
    response = authenticator_step(client, totp_now(account.key, 1), "10.9.9.9")
    assert response["Location"] == "/home/"
    # Another browser of the same network is not the owner's: it waits.
    stranger = CheckedClient()
    password_step(stranger, account.email, PASSWORD, "10.9.9.9")
    response = authenticator_step(stranger, totp_now(account.key, -1), "10.9.9.9")
    assert "Try again in" in response.content.decode()


def test_password_guesses_from_many_addresses_are_slowed(account: Any, later: Any) -> None:
    for number in range(FREE_PASSWORDS):
        response = password_step(CheckedClient(), account.email, "wrong guess", f"10.67.0.{number}")
        assert "Enter a correct email address and password" in response.content.decode()

    response = password_step(CheckedClient(), account.email, PASSWORD, "10.67.1.1")
    assert response.status_code == 200
    assert "too many attempts to sign in to this account. Try again in 30 seconds" in (
        response.content.decode()
    )
    later.advance(seconds=31)
    response = password_step(CheckedClient(), account.email, PASSWORD, "10.67.1.2")
    assert response["Location"] == "/sign-in/authenticator/"

    later.advance(seconds=31)
    password_step(CheckedClient(), account.email, "wrong again", "10.67.1.3")
    assert len(alerts()) == 1  # one burst, one email


def test_unknown_addresses_are_slowed_alike(client: Any) -> None:
    for number in range(FREE_PASSWORDS):
        password_step(CheckedClient(), "nobody@nowhere.example", "guess", f"10.68.0.{number}")
    response = password_step(client, "nobody@nowhere.example", "guess", "10.68.1.1")
    assert "Try again in 30 seconds" in response.content.decode()
    assert not alerts()
    assert AuditEvent.objects.filter(verb="accounts.guessing_slowed").count() == 1


def test_a_recognised_browser_is_forgotten_when_the_password_changes(client: Any, account: Any):
    from portal.accounts.browser_cookies import recognised_for

    sign_in(client, account)
    request = RequestFactory().get("/")
    name = RECOGNISED
    request.COOKIES[name] = client.cookies[name].value
    assert recognised_for(request, email=account.email)
    assert not recognised_for(request, email="someone.else@sunrise.example")
    request.COOKIES[name] = client.cookies[name].value[:-2] + "xx"
    assert not recognised_for(request, email=account.email)

    request.COOKIES[name] = client.cookies[name].value
    account.user.set_password("a brand new password")
    account.user.save()
    assert not recognised_for(request, email=account.email)


# --- The most guesses a day -------------------------------------------------------------------


def count_guesses_for_a_day(guess: Callable[[str], int], later: Any, cap: int = 200) -> int:
    """Guess from a new address each time, as soon as allowed, for a simulated day.
    `guess` returns the seconds it was told to wait (0 when the guess was compared)."""
    compared = elapsed = attempt = 0
    while elapsed < DAY and compared < cap:
        attempt += 1
        wait = guess(f"10.{attempt // 250 % 250}.{attempt % 250}.9")
        if wait:
            later.advance(seconds=wait)
            elapsed += wait
        else:
            compared += 1
    return compared


def request_from(ip: str) -> Any:
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_the_policy_says_the_same_numbers() -> None:
    from portal.accounts.services.guessing import Factor, policy

    assert policy(Factor.PASSWORD).free == FREE_PASSWORDS
    assert policy(Factor.SECOND_FACTOR).free == FREE_SECOND_FACTORS
    assert [policy(factor).most_guesses_per_day() for factor in Factor] == [72, 33, 27]


def test_most_password_guesses_a_day(account: Any, later: Any) -> None:
    def guess(ip: str) -> int:
        attempt = services.check_password_step(
            email=account.email, password="not it", request=request_from(ip)
        )
        return attempt.retry_after

    assert count_guesses_for_a_day(guess, later) == 72
    assert len(alerts()) == 1


def test_most_second_factor_guesses_a_day(account: Any, later: Any) -> None:
    def guess(ip: str) -> int:
        check = services.check_second_factor(
            user=account.user,
            method="totp",
            code=wrong(totp_now(account.key)),
            request=request_from(ip),
        )
        return check.retry_after

    assert count_guesses_for_a_day(guess, later) == 33
    assert len(alerts()) == 1


def test_most_emailed_code_guesses_a_day_for_one_address(account: Any, later: Any) -> None:
    """ASVS 6.6.3: each wrong try is compared at most 27 times a day for an address,
    whichever codes and purposes they are for (5 wrong tries per code, 5 codes per 15 minutes
    alone allowed 2,400)."""

    def guess(ip: str) -> int:
        check = services.verify_password_reset_code(
            email=account.email, raw_code="000000", request=request_from(ip)
        )
        if check.outcome.value == "wait":
            return check.retry_after
        if check.outcome is CheckOutcome.WRONG:
            return 0
        # Used up (the fifth wrong try was compared too: counted below), or none yet.
        sent = services.request_password_reset_code(email=account.email, request=request_from(ip))
        return sent.retry_after or 1  # asked for a code; a second passes in any case

    EmailCode.objects.all().delete()
    count_guesses_for_a_day(guess, later, cap=10_000)
    wrong_tries = sum(EmailCode.objects.values_list("wrong_tries", flat=True))
    assert wrong_tries == 27
    assert len(alerts()) == 1


def test_the_code_page_says_how_long_to_wait(client: Any, later: Any) -> None:
    client.post("/sign-up/", {"email": "new.person@sunrise.example"}, REMOTE_ADDR="10.69.0.1")
    for attempt in range(10):
        if attempt == 5:  # the first code is used up: ask for another
            later.advance(seconds=61)
            client.post("/sign-up/new-code/", REMOTE_ADDR="10.69.0.1")
        client.post("/sign-up/check-your-email/", {"code": "000000"}, REMOTE_ADDR="10.69.0.1")
    response = client.post(
        "/sign-up/check-your-email/", {"code": "000000"}, REMOTE_ADDR="10.69.0.1"
    )
    assert "too many wrong codes for this email address. Try again in 60 seconds" in (
        response.content.decode()
    )
