"""The demo accounts load idempotently and really sign in with the published second factor."""

import io
import re

import pytest
from django.core.management import call_command

from portal.accounts.models import User
from portal.demo import data
from portal.demo.accounts import DEMO_MANAGER_EMAIL, demo_totp_code
from portal.demo.management.commands import serve_dev
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


def test_the_count_of_demo_sign_ins_is_the_sign_ins_the_banner_lists(tmp_path, settings):
    """load_demo_data's count and the banner's list agree: people to try signing up as are
    not sign-ins (they have no account yet)."""
    settings.DEMO_DATA_ALLOWED = True  # as the development settings do (see portal/demo/guard.py)
    loaded = io.StringIO()
    call_command("load_demo_data", stdout=loaded)
    found = re.search(r"(\d+) demo sign-ins?\b", loaded.getvalue())
    assert found, loaded.getvalue()
    count = int(found[1])
    banner = io.StringIO()
    serve_dev.Command(stdout=banner)._banner(8000, tmp_path)
    listed = banner.getvalue().split("Demo sign-ins:")[1].split(":\n")[0]
    sign_ins = [line for line in listed.splitlines() if "@" in line]
    assert len(sign_ins) == count
    assert all(line.endswith(f" / {data.DEMO_PASSWORD}") for line in sign_ins)
    assert "3 people to try signing up as" in loaded.getvalue()
    assert "Try signing up as:" in banner.getvalue()
