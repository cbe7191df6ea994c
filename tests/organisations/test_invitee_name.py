"""Someone invited who is not on the register gives their name when they create an account,
so the team page lists a name, not just an address."""

import pytest
from django.urls import reverse

from portal.accounts.models import User
from portal.organisations import services
from tests.accounts.conftest import code_in, deliver_pending, latest_mail_to
from tests.organisations.conftest import build_world
from tests.support.html import Page

INVITEE = "olive.office@sunrise.example"
PASSWORD = "saffron kettle lagoon marble"


def _prove_address(client, mail):
    client.post(reverse("accounts:sign_up"), {"email": INVITEE})
    deliver_pending()
    code = code_in(latest_mail_to(mail, INVITEE).body)
    response = client.post(reverse("accounts:sign_up_check_email"), {"code": code})
    assert response["Location"] == reverse("accounts:sign_up_password")


@pytest.mark.django_db
def test_an_invitee_is_asked_for_their_name_and_the_team_lists_it(client, mail):
    world = build_world()
    services.invite(
        actor=world.users["ni"],
        provider=world.p,
        email=INVITEE,
        permissions=["view_submissions"],
        whole_provider=True,
    )
    _prove_address(client, mail)
    url = reverse("accounts:sign_up_password")
    page = Page(client.get(url).content)
    assert page.by_id("id_full_name").get("autocomplete") == "name"
    missing = client.post(url, {"full_name": "  ", "password": PASSWORD})
    assert Page(missing.content).error_summary_links() == [
        ("Enter your full name", "#id_full_name")
    ]
    assert not User.objects.filter(email=INVITEE).exists()
    created = client.post(url, {"full_name": " Olive  Office ", "password": PASSWORD})
    assert created.status_code == 302
    assert User.objects.get(email=INVITEE).full_name == "Olive Office"
    client.force_login(world.users["ni"])
    team = client.get(reverse("organisations:team", args=[world.p.pk])).content.decode()
    assert "Olive Office" in team


@pytest.mark.django_db
def test_a_registered_person_is_not_asked_for_the_name_the_register_holds(client, mail):
    from tests.factories.register import person_with_several_roles

    person_with_several_roles(INVITEE)
    _prove_address(client, mail)
    page = Page(client.get(reverse("accounts:sign_up_password")).content)
    assert not page.has_id("id_full_name")
