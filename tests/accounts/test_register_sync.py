"""Accounts follow the register: roles ending, email changes, people with no roles."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import AccessGrant, User
from portal.accounts.services.access import GrantSpec, recompute_access, register_access_source
from portal.audit.models import AuditEvent
from portal.register.events import person_register_changed
from portal.register.models import Person
from portal.register.services import change_person_email
from tests.accounts.conftest import PASSWORD, deliver_pending, sign_in

pytestmark = pytest.mark.django_db


def end_role(role, reason="role ended"):
    """What the register importer does: end the role and emit the event."""
    with transaction.atomic():
        role.end_date = timezone.localdate()
        role.save()
        person_register_changed(person=role.person, reason=reason, data={"role": role.id})


def test_a_role_that_ends_removes_its_access_at_the_next_request(
    client, account, django_capture_on_commit_callbacks
):
    sign_in(client, account)
    roles = list(account.user.person.roles.all())
    assert client.get("/account/").content.decode().count("Registered manager") == 2
    with django_capture_on_commit_callbacks(execute=True):
        end_role(roles[0])
    page = client.get("/account/").content.decode()
    assert page.count("Registered manager") == 1
    assert AccessGrant.objects.filter(user=account.user).count() == 2
    assert AuditEvent.objects.filter(verb="accounts.access_recomputed").exists()


def test_person_with_no_roles_can_sign_in_only_to_see_why(
    client, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for role in account.user.person.roles.all():
            end_role(role)
    assert not AccessGrant.objects.filter(user=account.user).exists()
    sign_in(client, account)
    page = client.get("/account/").content.decode()
    assert "You do not have access to any provider at the moment" in page
    from portal.access import _PERMISSION_CHECKS

    request = type("R", (), {"user": User.objects.get()})()
    assert _PERMISSION_CHECKS["accounts.any_access"](request, {}) is False


def test_role_with_a_past_end_date_stops_counting_without_an_event(account):
    grant = AccessGrant.objects.filter(user=account.user).first()
    assert grant is not None
    grant.ends_on = timezone.localdate() - dt.timedelta(days=1)
    grant.save()
    from portal.accounts.selectors import live_grants

    assert grant not in list(live_grants(account.user))


def test_email_change_for_a_person_with_an_account_waits_for_them_to_confirm(
    client, account, mail, django_capture_on_commit_callbacks
):
    """Someone else's word (staff accepting a colleague's form) does not move a sign-in
    address: the owner confirms it (tests/accounts/test_email_change.py has the journey)."""
    old = account.email
    with django_capture_on_commit_callbacks(execute=True):
        change = change_person_email(
            person=account.user.person,
            new_email="Jane.New@Sunrise.example",
            actor=None,
            reason="change of contact details notification",
        )
    assert change.waiting_for_the_person
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


def test_email_change_onto_another_accounts_address_is_refused_and_audited(
    account, django_capture_on_commit_callbacks
):
    User.objects.create_user("taken@example.org", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        change_person_email(
            person=account.user.person, new_email="taken@example.org", actor=None, reason="x"
        )
    assert User.objects.get(id=account.user.id).email == account.email
    assert AuditEvent.objects.filter(verb="accounts.email_change_conflict").exists()


def test_delegation_hook_adds_grants(account):
    provider_id = account.user.grants.first().provider_id

    def delegated(user):
        return [GrantSpec(role="delegate", provider_id=provider_id, location_id=None)]

    register_access_source("delegation", delegated)
    try:
        recompute_access(user=account.user, reason="delegation granted")
        assert AccessGrant.objects.filter(user=account.user, source="delegation").count() == 1
    finally:
        from portal.accounts.services import access

        access._SOURCES.pop("delegation")
