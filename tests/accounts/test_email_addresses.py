"""One canonical form for every address: look-alike spellings of one mailbox are one address
for limits, lookups, invitations and the register; mixed alphabets are refused."""

from typing import Any

import pytest

from portal.emails.addresses import AddressError, canonical_email
from portal.emails.models import OutboxMessage
from portal.organisations import services as organisations
from portal.register.importing import validation
from portal.register.importing.validation import RecordError
from tests.accounts.conftest import PASSWORD, totp_now
from tests.factories.register import make_person as make_register_person
from tests.organisations.conftest import build_world

pytestmark = pytest.mark.django_db

MIXED = "mixes Latin and Cyrillic letters"


@pytest.mark.parametrize(
    "typed",
    [
        "sam@example.com",
        " SAM@Example.COM ",
        "ſam@example.com",  # long s
        "sam@ｅｘａｍｐｌｅ.com",  # full-width letters
        "ｓａｍ＠example.com",  # full-width letters and at sign
        "sam@example.com.",  # the root's dot
        "𝐬am@example.com",  # mathematical bold s
    ],
)
def test_spellings_of_one_mailbox_have_one_canonical_form(typed: str) -> None:
    assert canonical_email(typed) == "sam@example.com"


def test_internationalised_domains_are_kept_as_idna() -> None:
    assert canonical_email("Anna@Пример.РФ") == "anna@xn--e1afmkfd.xn--p1ai"
    assert canonical_email("anna@xn--e1afmkfd.xn--p1ai") == "anna@xn--e1afmkfd.xn--p1ai"
    assert canonical_email("kim@例え.jp") == "kim@xn--r8jz45g.jp"  # Han and Hiragana mix


@pytest.mark.parametrize(
    "typed",
    [
        "sam@pаypal.com",  # a Cyrillic a (U+0430) among Latin letters
        "sam@xn--pypal-4ve.com",  # the same, typed as IDNA
        "ѕam@example.com",  # Cyrillic dze (U+0455)
        "sam@exαmple.com",  # Greek alpha
    ],
)
def test_mixed_alphabets_are_refused_with_their_own_reason(typed: str) -> None:
    with pytest.raises(AddressError) as refused:
        canonical_email(typed)
    assert refused.value.code == "mixed_scripts"
    assert "letters, which can look alike" in refused.value.message


@pytest.mark.parametrize("typed", ["ıvan@example.com", "иван@example.com", "a@b", "a@ex_ample.com"])
def test_what_cannot_be_delivered_as_typed_is_refused(typed: str) -> None:
    with pytest.raises(AddressError) as refused:
        canonical_email(typed)
    assert refused.value.code == "invalid"


def test_sign_up_page_explains_a_mixed_alphabet_address(client: Any) -> None:
    response = client.post("/sign-up/", {"email": "anna@pаypal.com"}, REMOTE_ADDR="10.7.0.1")
    assert response.status_code == 200
    assert MIXED in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_six_spellings_share_one_limit_of_five_codes(client: Any, account: Any, later: Any) -> None:
    """The attack: six spellings that all reach jane.smith's mailbox, each asked twice."""
    spellings = [
        "jane.smith@sunrise.example",
        "jane.ſmith@sunrise.example",
        "jane.smith@ｓunrise.example",
        "jane.ſmith@ｓunrise.example",
        "jane.smith@sunriſe.example",
        "jane.ſmith@sunriſe.example",
    ]
    for round_ in range(2):
        for number, spelling in enumerate(spellings):
            later.advance(seconds=61)  # past the wait between codes
            ip = f"10.8.{round_}.{number}"
            client.post("/password-reset/", {"email": spelling}, REMOTE_ADDR=ip)
    codes = OutboxMessage.objects.filter(template="password_reset_code")
    assert codes.count() == 5
    assert set(codes.values_list("to", flat=True)) == {"jane.smith@sunrise.example"}


def test_a_look_alike_spelling_signs_in_to_the_one_account(client: Any, account: Any) -> None:
    response = client.post(
        "/sign-in/", {"email": "JANE.ſMITH@ｓunrise.example", "password": PASSWORD}
    )
    assert response["Location"] == "/sign-in/authenticator/"
    response = client.post("/sign-in/authenticator/", {"code": totp_now(account.key)})
    assert response.status_code == 302


def test_the_cookie_between_steps_holds_no_typed_text(client: Any) -> None:
    client.post("/sign-up/", {"email": "Anna@Пример.РФ"}, REMOTE_ADDR="10.7.0.2")
    value = client.cookies["sign_up_email"].value
    assert value.isascii()
    assert "anna" not in value.lower()
    page = client.get("/sign-up/check-your-email/")
    assert "anna@xn--e1afmkfd.xn--p1ai" in page.content.decode()


def test_a_shared_mailbox_cannot_be_invited_under_another_spelling() -> None:
    world = build_world()
    make_register_person("office@sunrise.example", "Ann", "One", ref="S1")
    make_register_person("office@sunrise.example", "Ben", "Two", ref="S2")
    with pytest.raises(organisations.DelegationError, match="more than one registered person"):
        organisations.invite(
            actor=world.users["ni"],
            provider=world.p,
            email="office@ｓunriſe.example",
            permissions=["view_submissions"],
            whole_provider=True,
        )


def test_register_import_stores_the_canonical_form_and_refuses_look_alikes() -> None:
    assert validation.email("Jane.ſmith@Ｓunrise.example") == "jane.smith@sunrise.example"
    with pytest.raises(RecordError, match="different alphabets"):
        validation.email("jane@ѕunrise.example")
