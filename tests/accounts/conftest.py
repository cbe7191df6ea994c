"""Helpers for account tests: deliver queued mail, read codes, make signed-up users."""

import datetime as dt
import re
import time
from typing import Any

import pytest
from django_otp.oath import TOTP

from portal.accounts import clock
from portal.accounts.models import User
from portal.accounts.services.accounts import new_recovery_codes
from portal.emails.models import OutboxMessage, OutboxStatus
from portal.emails.services import deliver
from portal.notifications import services as notification_services
from portal.organisations.models import Membership
from portal.register.models import RoleAssignment, RoleType
from tests import factories as f
from tests.factories.accounts import KNOWN_KEY
from tests.factories.register import person_with_several_roles
from tests.notifications.test_contact_details_people import change_email

# The new address in the email-change tests.
NEW = "new.address@elsewhere.example"

PASSWORD = "plum violin harbour sketch"


def deliver_pending() -> int:
    sent = 0
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).order_by("created_at")
    for message_id in pending.values_list("id", flat=True):
        deliver(str(message_id))
        sent += 1
    return sent


def code_in(body: str) -> str:
    match = re.search(r"\b(\d{6})\b", body)
    assert match, f"no code in {body!r}"
    return match.group(1)


def latest_mail_to(mail: Any, address: str) -> Any:
    deliver_pending()
    return mail.wait_for(address)[-1]


def totp_now(key: str, offset_steps: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


class Account:
    def __init__(self, user: User, key: str, recovery: list[str]):
        self.user = user
        self.key = key
        self.recovery = recovery

    @property
    def email(self) -> str:
        return self.user.email


def make_account(email: str = "jane.smith@sunrise.example", request: Any = None) -> Account:
    person = person_with_several_roles(email)
    user = User.objects.create_user(email, PASSWORD, person=person, full_name="Jane Smith")
    f.give_authenticator(user)
    from django.test import RequestFactory

    codes = new_recovery_codes(
        user=user, request=request or RequestFactory().get("/"), notify=False
    )
    return Account(user, KNOWN_KEY, codes)


@pytest.fixture
def account(db: Any) -> Account:
    return make_account()


def password_step(client: Any, email: str, password: str = PASSWORD, ip: str = "10.0.0.1") -> Any:
    """The sign-in page's POST: email address and password, from `ip`."""
    return client.post("/sign-in/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def sign_in(client: Any, account: Account, ip: str = "10.0.0.1", code: str | None = None) -> Any:
    response = password_step(client, account.email, ip=ip)
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == "/sign-in/authenticator/"
    # Each TOTP step verifies once; reuse across sign-ins in one test would fail, so tests
    # that sign in twice pass an explicit code (for example from the next step).
    response = client.post(
        "/sign-in/authenticator/", {"code": code or totp_now(account.key)}, REMOTE_ADDR=ip
    )
    assert response.status_code == 302, response.content[:2000]
    return response


@pytest.fixture
def later(monkeypatch: Any) -> Any:
    """Moves the accounts clock forward: `later.advance(minutes=16)`."""

    class Later:
        offset = dt.timedelta()

        def advance(self, **kwargs: Any) -> None:
            self.offset += dt.timedelta(**kwargs)

    moved = Later()
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + moved.offset)
    return moved


def browser_password_step(page: Any, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def browser_sign_in(page: Any, account: Account, step: int = 0) -> None:
    """Sign in through the pages with the password and a code from the app (`step` time
    steps ahead, when an earlier sign-in in the test has spent the current one)."""
    browser_password_step(page, account.email)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        totp_now(account.key, step)
    )
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def accepted(account: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """A one-location delegate sends a change of contact details giving Jane (registered
    manager there) a new address; staff accept it."""
    role = RoleAssignment.objects.filter(
        person=account.user.person, role=RoleType.REGISTERED_MANAGER
    ).first()
    assert role is not None
    assert role.location is not None
    location = role.location
    delegate = User.objects.create_user("dee.delegate@example.com", PASSWORD)
    membership = Membership.objects.create(
        user=delegate,
        provider=location.provider,
        whole_provider=False,
        permissions=["view_submissions", "draft_notifications", "submit_notifications"],
    )
    membership.locations.set([location])
    notification = change_email(delegate, location, account.user.person, NEW)
    staff = f.staff_member("iris@regulator.example")
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.accept_change(notification_id=notification.pk, staff=staff)
    notification.refresh_from_db()
    return notification, delegate, staff
