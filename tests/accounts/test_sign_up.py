"""Sign-up: eligibility from the register, identical pages for every case, the journey."""

import re
from functools import partial

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.codes import code_hmac
from portal.accounts.models import EmailCode, User
from portal.organisations.access import registered_roles
from portal.register.models import RoleType
from tests.accounts.conftest import (
    PASSWORD,
    code_in,
    deliver_pending,
    latest_mail_to,
    make_account,
    totp_now,
)
from tests.factories.register import give_role, make_person, person_with_several_roles
from tests.support.concurrency import run_together

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


def start(client, email, ip="10.1.1.1"):
    return client.post("/sign-up/", {"email": email}, REMOTE_ADDR=ip)


def test_one_person_with_several_roles_signs_up_and_gets_every_role(client, mail):
    person = person_with_several_roles("Jane.Smith@Sunrise.example")
    response = start(client, "  JANE.smith@sunrise.example ")
    assert response.status_code == 302
    assert response["Location"] == "/sign-up/check-your-email/"
    page = client.get("/sign-up/check-your-email/")
    assert b"jane.smith@sunrise.example" in page.content
    assert b'autocomplete="one-time-code"' in page.content
    assert b'inputmode="numeric"' in page.content

    received = latest_mail_to(mail, "jane.smith@sunrise.example")
    assert "code" in received.subject.lower()
    code = code_in(received.body)
    assert code not in received.subject

    spaced = f" {code[:3]}-{code[3:]} "
    response = client.post("/sign-up/check-your-email/", {"code": spaced})
    assert response["Location"] == "/sign-up/create-password/"
    response = client.post("/sign-up/create-password/", {"password": PASSWORD})
    assert response["Location"] == "/set-up-authenticator/"
    user = User.objects.get(email="jane.smith@sunrise.example")
    assert user.person == person
    assert user.password.startswith("argon2$argon2id$")
    # Not signed in yet: the second factor is still to come.
    assert client.get("/account/")["Location"].startswith("/sign-in/")

    page = client.get("/set-up-authenticator/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert b'role="img"' in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.tolerance == 1
    response = client.post("/set-up-authenticator/", {"code": totp_now(device.key)})
    assert response["Location"] == "/recovery-codes/"
    codes_page = client.get("/recovery-codes/")
    shown = re.findall(r"<code>([a-z0-9]{5} [a-z0-9]{5})</code>", codes_page.content.decode())
    assert len(shown) == 10
    # Only keyed hashes are stored, never the codes themselves.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not {c.replace(" ", "") for c in shown} & stored
    # Shown once.
    assert client.get("/recovery-codes/")["Location"] == "/account/"

    done = client.get("/sign-up/done/")
    assert done.status_code == 200
    text = done.content.decode()
    assert "Account created" in text
    assert text.count("Registered manager") == 2
    assert "Nominated individual" in text
    assert len(registered_roles(user)) == 3


def assert_no_code_in(body, email):
    """The code issued for this address (only its HMAC is stored) is not in the email."""
    stored = set(EmailCode.objects.filter(email=email).values_list("code_hmac", flat=True))
    assert stored
    for candidate in re.findall(r"\b\d{6}\b", body):
        assert code_hmac(purpose="sign_up", email=email, code=candidate) not in stored


def _eligibility_email(client, mail, email):
    assert start(client, email).status_code == 302
    return latest_mail_to(mail, email)


def test_shared_email_for_different_people_is_refused_with_the_way_out(client, mail):
    shared = "office@meadow.example"
    first = make_person(shared, "Alice", "Brown")
    second = make_person(shared, "Bob", "Green")
    give_role(first, RoleType.REGISTERED_MANAGER)
    give_role(second, RoleType.NOMINATED_INDIVIDUAL)
    received = _eligibility_email(client, mail, shared)
    body = received.body
    assert "held by multiple roles" in body
    assert "2 different registered people" in body
    assert "A**** B****" in body
    assert "B*** G****" in body
    assert "Alice" not in body
    assert "Brown" not in body
    assert "change of contact details" in body
    assert_no_code_in(body, shared)
    assert not User.objects.exists()


def test_person_whose_old_colleague_left_is_not_refused_as_shared(client, mail):
    """The real portal's false alarm: a long-gone holder of the same address."""
    email = "manager@oak.example"
    current = make_person(email, "Cara", "Jones")
    former = make_person(email, "Dan", "Price")
    give_role(current, RoleType.REGISTERED_MANAGER)
    give_role(former, RoleType.REGISTERED_MANAGER, ended=True)
    received = _eligibility_email(client, mail, email)
    assert "is your code" in received.body


@pytest.mark.parametrize("case", ["unknown", "ended", "partner_only"])
def test_not_registered_or_no_live_role_is_explained_and_offered_an_account_to_apply(
    client, mail, case
):
    """Someone the register holds no current role for is told how a registered person finds
    their address, and given a code to create an account to apply (issue 14, item 3)."""
    email = f"{case}@example.org"
    if case != "unknown":
        person = make_person(email)
        if case == "ended":
            give_role(person, RoleType.REGISTERED_MANAGER, ended=True)
        else:
            give_role(person, RoleType.PARTNER)
    received = _eligibility_email(client, mail, email)
    assert "apply for registration" in received.subject.lower()
    assert "nominated individual" in received.body
    assert "create an account to apply" in received.body
    code = code_in(received.body)
    assert EmailCode.objects.filter(
        email=email, code_hmac=code_hmac(purpose="sign_up", email=email, code=code)
    ).exists()


def test_existing_account_is_pointed_to_sign_in_and_reset(client, mail):
    account = make_account("has.account@example.org")
    received = _eligibility_email(client, mail, account.email)
    assert "already" in received.subject
    assert "/sign-in/" in received.body
    assert "/password-reset/" in received.body
    assert_no_code_in(received.body, account.email)


def _scrub(content: bytes) -> bytes:
    return CSRF.sub(b"", content)


def test_pages_after_enter_email_are_identical_for_every_case(client, mail):
    make_account("known@example.org")
    eligible = person_with_several_roles("eligible@example.org")
    shared_a = make_person("shared@example.org", "A", "A")
    shared_b = make_person("shared@example.org", "B", "B")
    give_role(shared_a)
    give_role(shared_b)
    assert eligible
    responses = []
    for email in [
        "known@example.org",
        "eligible@example.org",
        "shared@example.org",
        "nobody@example.org",
    ]:
        client.cookies.clear()
        first = client.get("/sign-up/")
        posted = start(client, email.replace("@", "@") if email else email)
        following = client.get(posted["Location"])
        wrong = client.post("/sign-up/check-your-email/", {"code": "000000"})
        new_code_page = client.get("/sign-up/new-code/")
        resend = client.post("/sign-up/new-code/")
        responses.append(
            (
                posted.status_code,
                posted["Location"],
                _scrub(following.content).replace(email.encode(), b"EMAIL"),
                wrong.status_code,
                _scrub(wrong.content).replace(email.encode(), b"EMAIL"),
                _scrub(new_code_page.content).replace(email.encode(), b"EMAIL"),
                resend.status_code,
                _scrub(resend.content).replace(email.encode(), b"EMAIL"),
                sorted(posted.cookies.keys()),
            )
        )
        assert first.status_code == 200
    for r in responses[1:]:
        for a, b in zip(r, responses[0], strict=True):
            assert a == b


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("a" * 64 + "@" + ".".join(["b" * 63] * 5) + ".org", "320 characters or fewer"),
        ("a" * 5000 + "@example.org", "320 characters or fewer"),
        ("<script>alert(1)</script>@x.org", "correct format"),
        ("x@example.org'; DROP TABLE accounts_user; --", "correct format"),
        ("../../etc/passwd", "correct format"),
        ("a@b.org\r\nBcc: victim@example.org", "correct format"),
    ],
)
def test_enter_email_rejects_bad_input_with_a_specific_error(client, value, message):
    response = start(client, value)
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert message in text
    assert "<script>alert(1)</script>" not in text


def test_steps_cannot_be_skipped(client):
    assert client.get("/sign-up/check-your-email/")["Location"] == "/sign-up/"
    assert (
        client.post("/sign-up/create-password/", {"password": PASSWORD})["Location"] == "/sign-up/"
    )
    assert client.get("/set-up-authenticator/")["Location"] == "/sign-in/"
    assert not User.objects.exists()


def test_register_change_between_code_and_password_is_respected(client, mail):
    person = person_with_several_roles("late@example.org")
    start(client, "late@example.org")
    code = code_in(latest_mail_to(mail, "late@example.org").body)
    client.post("/sign-up/check-your-email/", {"code": code})
    # Meanwhile the register gives the same address to a second registered person. (A role
    # that ended instead would now leave an applicant's account to create: issue 14.)
    assert person
    give_role(make_person("late@example.org", "Other", "Holder"), RoleType.NOMINATED_INDIVIDUAL)
    response = client.post("/sign-up/create-password/", {"password": PASSWORD})
    assert response.status_code == 200
    assert b"We cannot create an account" in response.content
    assert not User.objects.exists()


def test_start_now_leads_to_sign_up_and_navigation_offers_sign_in(client):
    page = client.get("/").content.decode()
    assert 'href="/sign-up/"' in page
    assert "Sign in" in page


@pytest.mark.django_db(transaction=True)
def test_double_submitted_password_creates_one_account(mail):
    """Two browsers holding the same proven sign-up submit at once: one account, and the
    other is told there is already an account."""

    from django.test import Client

    person_with_several_roles("twice@example.org")
    first = Client()
    first.post("/sign-up/", {"email": "twice@example.org"})
    code = code_in(latest_mail_to(mail, "twice@example.org").body)
    first.post("/sign-up/check-your-email/", {"code": code})
    second = Client()
    second.cookies = first.cookies

    def submit(client):
        return client.post("/sign-up/create-password/", {"password": PASSWORD})

    responses = run_together([partial(submit, first), partial(submit, second)])
    assert User.objects.filter(email="twice@example.org").count() == 1
    created = [r for r in responses if r.status_code == 302 and "authenticator" in r["Location"]]
    assert len(created) == 1, [(r.status_code, r.get("Location")) for r in responses]
    (other,) = (r for r in responses if r is not created[0])
    if other.status_code == 200:
        assert "already" in other.content.decode()
    else:
        # On a busy machine the two may not overlap: the second then finds the proven
        # address already used and goes back to the start, which is right too.
        assert other.status_code == 302
        assert other["Location"] == "/sign-up/"


def test_invited_colleague_without_a_role_signs_up_and_takes_up_the_invitation(client, mail):
    """A nominated individual invites an administrator (not on the register): the address may
    create an account, and the account starts with the delegated access."""
    from django.test import RequestFactory

    from portal.organisations.models import Membership
    from portal.organisations.services import invite

    manager = make_account("ni.inviter@example.org")
    (provider,) = {
        held.provider
        for held in registered_roles(manager.user)
        if held.role == "nominated_individual"
    }
    invite(
        actor=manager.user,
        provider=provider,
        email="office.admin@example.org",
        permissions=["view_submissions", "draft_notifications"],
        whole_provider=True,
        request=RequestFactory().get("/"),
    )
    deliver_pending()
    start(client, "office.admin@example.org")
    received = latest_mail_to(mail, "office.admin@example.org")
    received = [m for m in mail.to("office.admin@example.org") if "code" in m.subject][-1]
    assert provider.name in received.body
    code = code_in(received.body)
    client.post("/sign-up/check-your-email/", {"code": code})
    # Not on the register, so they give their name with the password.
    response = client.post(
        "/sign-up/create-password/", {"full_name": "Ola Admin", "password": PASSWORD}
    )
    assert response["Location"] == "/set-up-authenticator/"
    user = User.objects.get(email="office.admin@example.org")
    assert user.person is None
    assert user.full_name == "Ola Admin"
    assert Membership.objects.filter(user=user, provider=provider).exists()
    client.get("/set-up-authenticator/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/set-up-authenticator/", {"code": totp_now(device.key)})
    done = client.get("/sign-up/done/").content.decode()
    assert "Given access by your organisation" in done
    assert provider.name in done
    assert "You do not have access" not in done
