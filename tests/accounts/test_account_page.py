""" "Your account": what it tells each kind of user about changing their email address."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_staff_are_not_told_to_ask_a_provider_to_change_their_email(client):
    staff = f.staff_member("inspector@regulator.example")
    client.force_login(staff)
    html = client.get("/account/").content.decode()
    assert "Your account" in html
    assert "change of contact details" not in html
    assert "your provider" not in html


def test_registered_people_are_told_how_their_email_changes(client, account):
    client.force_login(account.user)
    html = client.get("/account/").content.decode()
    assert "change of contact details notification" in html
