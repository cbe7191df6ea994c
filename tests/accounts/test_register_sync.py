"""Accounts follow the register: roles ending, email changes, people with no roles."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.organisations.access import has_access_anywhere, registered_roles
from portal.register.events import person_register_changed
from portal.register.models import Person
from portal.register.services import change_person_email
from tests.accounts.conftest import PASSWORD, deliver_pending, sign_in
from tests.support.register_changes import process_register_changes

pytestmark = pytest.mark.django_db


def end_role(role, reason="role ended"):
    """What the register importer does: end the role and emit the event."""
    with transaction.atomic():
        role.end_date = timezone.localdate()
        role.save()
        person_register_changed(person=role.person, reason=reason, data={"role": role.id})


def test_a_role_that_ends_removes_its_access_at_the_next_request(client, account):
    sign_in(client, account)
    roles = list(account.user.person.roles.all())
    assert client.get("/account/").content.decode().count("Registered manager") == 2
    end_role(roles[0])
    # Before any worker has run: access is read from the register, never copied.
    page = client.get("/account/").content.decode()
    assert page.count("Registered manager") == 1


def test_person_with_no_roles_can_sign_in_only_to_see_why(client, account):
    for role in account.user.person.roles.all():
        end_role(role)
    assert set(process_register_changes()) == {"processed"}
    sign_in(client, account)
    page = client.get("/account/").content.decode()
    assert "You do not have access to any provider at the moment" in page
    assert not has_access_anywhere(User.objects.get())


def test_role_with_a_past_end_date_stops_counting_without_an_event(account):
    assert registered_roles(User.objects.get())
    account.user.person.roles.update(end_date=timezone.localdate() - dt.timedelta(days=1))
    assert registered_roles(User.objects.get()) == []


def test_email_change_for_a_person_with_an_account_waits_for_them_to_confirm(client, account, mail):
    """Someone else's word (staff accepting a colleague's form) does not move a sign-in
    address: the owner confirms it (tests/accounts/test_email_change.py has the journey)."""
    old = account.email
    change = change_person_email(
        person=account.user.person,
        new_email="Jane.New@Sunrise.example",
        actor=None,
        reason="change of contact details notification",
    )
    assert change.waiting_for_the_person
    assert process_register_changes() == []  # nothing recorded on the register yet
    assert User.objects.get().email == old
    assert Person.objects.get(pk=account.user.person_id).email == old
    deliver_pending()
    assert "/email-address/stop/" in mail.wait_for(old)[-1].body
    assert mail.wait_for("jane.new@sunrise.example")[-1].subject == (
        "Confirm your new Provider Portal sign-in email address"
    )
    # Signing in still uses the current address.
    response = client.post("/sign-in/", {"email": old, "password": PASSWORD})
    assert response["Location"] == "/sign-in/authenticator/"


def test_email_change_onto_another_accounts_address_is_refused_and_audited(account):
    User.objects.create_user("taken@example.org", PASSWORD)
    change_person_email(
        person=account.user.person, new_email="taken@example.org", actor=None, reason="x"
    )
    process_register_changes()
    assert User.objects.get(id=account.user.id).email == account.email
    assert AuditEvent.objects.filter(verb="accounts.email_change_conflict").exists()
