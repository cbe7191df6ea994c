"""Password reset, lost second factor (staff approval), changing password and factor."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import SecondFactorResetRequest, User
from portal.emails.models import OutboxMessage
from tests import factories as f
from tests.accounts.conftest import (
    PASSWORD,
    code_in,
    deliver_pending,
    latest_mail_to,
    make_account,
    sign_in,
    totp_now,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "lantern meadow cobalt"


def test_password_reset_by_code_still_needs_the_second_factor(client, account, mail):
    client.post("/password-reset/", {"email": account.email})
    code = code_in(latest_mail_to(mail, account.email).body)
    assert (
        client.post("/password-reset/check-your-email/", {"code": code})["Location"]
        == "/password-reset/new-password/"
    )
    assert client.post("/password-reset/new-password/", {"password": "short"}).status_code == 200
    response = client.post("/password-reset/new-password/", {"password": NEW_PASSWORD})
    assert response["Location"] == "/password-reset/done/"
    # No session from a reset.
    assert client.get("/account/").status_code == 302
    response = client.post("/sign-in/", {"email": account.email, "password": NEW_PASSWORD})
    assert response["Location"] == "/sign-in/authenticator/"
    assert client.get("/account/").status_code == 302
    deliver_pending()
    assert any("password has been reset" in m.subject for m in mail.to(account.email))


def test_reset_ends_other_sessions(client, account, mail):
    other = client.__class__()
    sign_in(other, account)
    assert other.get("/account/").status_code == 200
    client.post("/password-reset/", {"email": account.email})
    code = code_in(latest_mail_to(mail, account.email).body)
    client.post("/password-reset/check-your-email/", {"code": code})
    client.post("/password-reset/new-password/", {"password": NEW_PASSWORD})
    assert other.get("/account/").status_code == 302


def test_reset_for_unknown_address_looks_the_same_and_explains_by_email(client, account, mail):
    scrub = re.compile(rb'value="[^"]{20,}"|nonce="[^"]+"')
    pages = []
    for email in [account.email, "stranger@example.org"]:
        client.cookies.clear()
        posted = client.post("/password-reset/", {"email": email})
        page = client.get(posted["Location"])
        pages.append(
            (posted["Location"], scrub.sub(b"", page.content).replace(email.encode(), b"E"))
        )
    assert pages[0] == pages[1]
    received = latest_mail_to(mail, "stranger@example.org")
    assert "no account" in received.body


def test_sign_up_code_does_not_work_for_reset(client, account, mail):
    from portal.accounts.services.codes import issue_code

    issued = issue_code(purpose="sign_up", email=account.email)
    client.post("/password-reset/", {"email": account.email})
    page = client.post("/password-reset/check-your-email/", {"code": issued.code})
    assert b"incorrect" in page.content or b"newer code" in page.content


def test_change_password_needs_the_current_one(client, account, mail):
    sign_in(client, account)
    page = client.post("/account/password/", {"current_password": "", "new_password": NEW_PASSWORD})
    assert b"Enter your current password" in page.content
    page = client.post(
        "/account/password/", {"current_password": "not it at all", "new_password": NEW_PASSWORD}
    )
    assert b"Your current password is incorrect" in page.content
    page = client.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": "CareQuality2025"}
    )
    assert b"based on the name" in page.content
    response = client.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200  # this session carries on
    assert User.objects.get().check_password(NEW_PASSWORD)
    deliver_pending()
    assert any("password has been changed" in m.subject for m in mail.wait_for(account.email))


def test_changing_the_authenticator_needs_reauthentication(client, account, mail):
    sign_in(client, account, code=totp_now(account.key, -1))
    # Sign-in counts as recent authentication for 10 minutes; expire it to test the step.
    session = client.session
    session["auth_reauthenticated_at"] = 0
    session.save()
    response = client.get("/account/authenticator/")
    assert response["Location"].startswith("/account/confirm-it-is-you/")
    page = client.post(response["Location"], {"password": PASSWORD, "code": "000000"})
    assert b"The code is incorrect" in page.content
    response = client.post(
        "/account/confirm-it-is-you/?next=/account/authenticator/",
        {"password": PASSWORD, "code": totp_now(account.key)},
    )
    assert response["Location"] == "/account/authenticator/"
    assert client.get("/account/authenticator/")["Location"] == "/set-up-authenticator/"
    assert client.get("/set-up-authenticator/").status_code == 200
    new = TOTPDevice.objects.get(confirmed=False)
    assert new.key != account.key
    response = client.post("/set-up-authenticator/", {"code": totp_now(new.key)})
    assert response["Location"] == "/account/"
    assert list(TOTPDevice.objects.values_list("key", flat=True)) == [new.key]
    assert StaticDevice.objects.get().token_set.count() == 10  # recovery codes kept
    deliver_pending()
    assert any(
        "authenticator app has been changed" in m.subject for m in mail.wait_for(account.email)
    )


def test_new_recovery_codes_replace_the_old_ones(client, account, mail):
    sign_in(client, account)
    client.post("/account/recovery-codes/")
    page = client.get("/recovery-codes/").content.decode()
    fresh = re.findall(r"<code>([a-z0-9]{5}) ([a-z0-9]{5})</code>", page)
    assert len(fresh) == 10
    client.post("/sign-out/")
    client.post("/sign-in/", {"email": account.email, "password": PASSWORD})
    assert (
        b"incorrect"
        in client.post("/sign-in/recovery-code/", {"code": account.recovery[1]}).content
    )
    assert client.post("/sign-in/recovery-code/", {"code": "".join(fresh[0])}).status_code == 302


def test_lost_second_factor_needs_email_code_and_staff_approval(client, account, mail):
    staff = f.staff_member("inspector@regulator.example")
    client.post("/sign-in/", {"email": account.email, "password": PASSWORD})
    assert client.get("/sign-in/lost-second-factor/").status_code == 200
    response = client.post("/sign-in/lost-second-factor/")
    assert response["Location"] == "/sign-in/lost-second-factor/check-your-email/"
    code = code_in(latest_mail_to(mail, account.email).body)
    # Skipping the code step is not possible.
    assert client.get("/sign-in/lost-second-factor/request/")["Location"] == "/sign-in/"
    client.post("/sign-in/")  # (a stray post does nothing)
    client.post("/sign-in/", {"email": account.email, "password": PASSWORD})
    client.post("/sign-in/lost-second-factor/check-your-email/", {"code": code})
    page = client.post("/sign-in/lost-second-factor/request/", {"explanation": ""})
    assert b"Tell us why" in page.content
    response = client.post(
        "/sign-in/lost-second-factor/request/", {"explanation": "My phone was stolen"}
    )
    assert response["Location"] == "/sign-in/lost-second-factor/sent/"
    reset = SecondFactorResetRequest.objects.get()
    # Nothing removed yet: a password alone removes no factor.
    assert TOTPDevice.objects.filter(user=account.user).exists()

    staff_client = client.__class__()
    staff_client.force_login(staff)
    assert b"jane.smith" in staff_client.get("/staff/second-factor-resets/").content
    page = staff_client.post(f"/staff/second-factor-resets/{reset.id}/", {"decision": "approve"})
    assert b"Enter the reason" in page.content
    response = staff_client.post(
        f"/staff/second-factor-resets/{reset.id}/",
        {"decision": "approve", "reason": "Phoned the provider; confirmed"},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=account.user).exists()
    assert not StaticDevice.objects.filter(user=account.user).exists()
    # Replayed decision changes nothing.
    staff_client.post(
        f"/staff/second-factor-resets/{reset.id}/", {"decision": "refuse", "reason": "x"}
    )
    reset.refresh_from_db()
    assert reset.status == "approved"
    deliver_pending()
    assert any("has been reset" in m.subject for m in mail.wait_for(account.email))

    # Next sign-in sets up a new authenticator.
    fresh = client.__class__()
    response = fresh.post("/sign-in/", {"email": account.email, "password": PASSWORD})
    assert response["Location"] == "/set-up-authenticator/"


def test_staff_pages_need_regulator_staff(client, account):
    sign_in(client, account)
    assert client.get("/staff/second-factor-resets/").status_code == 403
    anonymous = client.__class__()
    assert anonymous.get("/staff/second-factor-resets/").status_code == 302


def test_each_change_is_emailed_to_the_account(client, account, mail):
    sign_in(client, account)
    client.post("/account/password/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    client.post("/account/recovery-codes/")
    templates = set(
        OutboxMessage.objects.filter(to=account.email).values_list("template", flat=True)
    )
    assert {"password_changed", "recovery_codes_changed"} <= templates


def test_second_account_does_not_see_first(client, account):
    other = make_account("other.person@example.org")
    sign_in(client, other, code=totp_now(other.key))
    page = client.get("/account/").content.decode()
    assert account.email not in page
