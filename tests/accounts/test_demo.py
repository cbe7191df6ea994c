"""The demo accounts load idempotently and really sign in with the published second factor."""

import pytest

from portal.accounts.models import User
from portal.demo import data
from portal.demo.accounts import DEMO_MANAGER_EMAIL, demo_totp_code
from portal.organisations.access import registered_roles

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_idempotent_and_usable(client, settings):
    settings.DEMO_DATA_ALLOWED = True  # as the development settings do (see portal/demo/guard.py)
    first = data.load()
    second = data.load()
    assert first == second
    assert User.objects.filter(email=DEMO_MANAGER_EMAIL).count() == 1
    assert len(registered_roles(User.objects.get(email=DEMO_MANAGER_EMAIL))) == 1
    assert all(login.note for login in first)
    response = client.post(
        "/sign-in/", {"email": DEMO_MANAGER_EMAIL, "password": data.DEMO_PASSWORD}
    )
    assert response["Location"] == "/sign-in/authenticator/"
    response = client.post("/sign-in/authenticator/", {"code": demo_totp_code()})
    assert response["Location"] == "/home/"
    assert b"Sunrise Demo House" in client.get("/account/").content
