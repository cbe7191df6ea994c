"""How a new email address from an accepted change of contact details ends, and who hears:
- the notification that asked shows the outcome (confirmed, stopped, lapsed) with when, on
  its timeline and its page, written by a workflow transition;
- a change its owner has not confirmed in time lapses (the sweep), audited, and both the
  person and the notification's sender are told;
- a registered person without an account has the change recorded at once, and both the old
  and the new address are told.
Real pages and services; mail read from the loopback SMTP server."""

import re
from functools import partial
from typing import Any

import pytest
from django.urls import reverse

from portal.accounts.models import EmailChange, EmailChangeStatus, EmailCode, User
from portal.accounts.services import email_change
from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.notifications import services as notification_services
from portal.notifications.email_change_outcomes import OUTCOME_ACTIONS
from portal.notifications.models import Notification, NotificationStatus
from portal.register.models import Location, Person, RoleAssignment, RoleType
from portal.workflow.models import StatusChange
from tests.accounts.conftest import NEW, code_in, deliver_pending, sign_in
from tests.accounts.test_email_change import _links, _path
from tests.notifications.test_contact_details_people import change_email
from tests.support.concurrency import run_together


def _managed_location(account: Any) -> Location:
    """The location the account's person manages, where the delegate sends from."""
    role = RoleAssignment.objects.filter(
        person=account.user.person, role=RoleType.REGISTERED_MANAGER
    ).first()
    assert role is not None
    assert role.location is not None
    return role.location


def _timeline_actions(notification: Notification) -> list[str]:
    return list(
        StatusChange.objects.filter(
            subject_type="notifications.notification", subject_id=str(notification.pk)
        )
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def _pages(client: Any, notification: Notification, delegate: User, staff: User) -> list[str]:
    """The notification's page as its sender sees it, then as the regulator's staff do."""
    client.force_login(delegate)
    mine = client.get(reverse("notifications:detail", args=[notification.reference]))
    client.force_login(staff)
    theirs = client.get(reverse("notifications_staff:detail", args=[notification.reference]))
    client.logout()
    return [mine.content.decode(), theirs.content.decode()]


def test_confirming_shows_on_the_notification_that_asked(
    client: Any, account: Any, mail: Any, accepted: Any
) -> None:
    notification, delegate, staff = accepted
    deliver_pending()
    code = code_in(mail.wait_for(NEW)[-1].body)
    sign_in(client, account)
    response = client.post(reverse("accounts:email_change_confirm"), {"code": code})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACCEPTED
    assert _timeline_actions(notification)[-1] == "email_change_confirmed"
    row = StatusChange.objects.filter(action="email_change_confirmed").get()
    assert row.actor_label == NEW  # the person, under the address they now have
    for html in _pages(client, notification, delegate, staff):
        assert "New email address confirmed by the person" in html
        assert f"The person confirmed {NEW}" in html
        assert "only when they confirm it" not in html
    event = AuditEvent.objects.get(verb="notifications.email_change_confirmed")
    assert event.data["reference"] == notification.reference
    # The person was told their account moved; nobody gets the unconfirmed-change notice.
    deliver_pending()
    assert not AuditEvent.objects.filter(verb="register.person_email_change_notice_sent").exists()
    assert not [m for m in mail.wait_for(delegate.email) if "has not been used" in m.subject]


def test_stopping_shows_on_the_notification_and_tells_its_sender(
    client: Any, account: Any, mail: Any, accepted: Any
) -> None:
    notification, delegate, staff = accepted
    deliver_pending()
    stop_link = next(
        link
        for link in _links(mail.wait_for(account.email)[-1].body)
        if "/email-address/stop/" in link
    )
    client.post(_path(stop_link))
    # Replaying the stop changes nothing more.
    client.post(_path(stop_link))
    assert _timeline_actions(notification).count("email_change_stopped") == 1
    for html in _pages(client, notification, delegate, staff):
        assert "New email address stopped" in html
        assert "was stopped from the person" in html
    deliver_pending()
    told = mail.wait_for(delegate.email)[-1]
    assert told.subject == f"{notification.reference}: the new email address has not been used"
    assert "was stopped" in told.body
    assert Person.objects.get(pk=account.user.person_id).email == account.email


def test_a_change_not_confirmed_in_time_lapses(
    client: Any, account: Any, mail: Any, accepted: Any, later: Any, settings: Any
) -> None:
    notification, delegate, staff = accepted
    settings.ACCOUNT_EMAIL_CHANGE_VALID_DAYS = 3
    deliver_pending()
    code = code_in(mail.wait_for(NEW)[-1].body)
    later.advance(days=2, hours=23)
    assert email_change.expire_waiting_changes() == 0
    assert EmailChange.objects.get().status == EmailChangeStatus.WAITING
    later.advance(hours=2)
    assert email_change.expire_waiting_changes() == 1
    assert email_change.expire_waiting_changes() == 0  # the next sweep finds nothing
    change = EmailChange.objects.get()
    assert change.status == EmailChangeStatus.EXPIRED
    assert change.decided_at is not None
    assert not EmailCode.objects.filter(email=NEW, status="active").exists()
    event = AuditEvent.objects.get(verb="accounts.email_change_expired")
    assert event.data == {"old_email": account.email, "new_email": NEW, "days": 3}
    assert _timeline_actions(notification)[-1] == "email_change_expired"
    row = StatusChange.objects.get(action="email_change_expired")
    assert row.actor_label == "system"
    assert "did not confirm" in row.reason
    assert "within 3 days" in row.reason
    deliver_pending()
    person_told = mail.wait_for(account.email)[-1]
    assert person_told.subject == (
        "The change to your Provider Portal sign-in email address has lapsed"
    )
    assert "within 3 days" in person_told.body
    assert f"You still sign in with {account.email}" in person_told.body
    sender_told = mail.wait_for(delegate.email)[-1]
    assert "did not confirm" in sender_told.body
    for html in _pages(client, notification, delegate, staff):
        assert "New email address not confirmed in time" in html
    # The code sent before no longer moves anything, even for the signed-in owner.
    sign_in(client, account)
    page = client.post(reverse("accounts:email_change_confirm"), {"code": code})
    assert "No new email address" in page.content.decode()
    assert User.objects.get(pk=account.user.pk).email == account.email


def test_the_default_period_is_fourteen_days(settings: Any) -> None:
    from portal.settings import base

    assert base.ACCOUNT_EMAIL_CHANGE_VALID_DAYS == 14
    assert "portal.accounts.services.email_change.expire_waiting_changes" in base.SWEEP_HOOKS


def test_a_newer_change_replaces_the_waiting_one_on_its_notification(
    client: Any, account: Any, mail: Any, accepted: Any
) -> None:
    first, delegate, staff = accepted
    location = _managed_location(account)
    second = change_email(delegate, location, account.user.person, "other@example.com")
    notification_services.accept_change(notification_id=second.pk, staff=staff)
    assert _timeline_actions(first)[-1] == "email_change_replaced"
    assert "email_change_replaced" not in _timeline_actions(second)
    assert EmailChange.objects.get(status=EmailChangeStatus.WAITING).source == second.reference


@pytest.fixture
def unaccounted(account: Any, accepted: Any) -> Any:
    """A registered manager with no account, at the delegate's location."""
    _notification, delegate, staff = accepted
    location = _managed_location(account)
    person = Person.objects.create(
        person_ref="P-NO-ACCOUNT",
        given_name="Omar",
        family_name="O'Brien & Sons",
        email="no.account@sunrise.example",
    )
    RoleAssignment.objects.create(
        person=person,
        role=RoleType.REGISTERED_MANAGER,
        provider=location.provider,
        location=location,
    )
    return person, location, delegate, staff


def test_a_person_without_an_account_is_changed_at_once_and_both_addresses_are_told(
    mail: Any, unaccounted: Any, settings: Any
) -> None:
    person, location, delegate, staff = unaccounted
    new = "omar.new@elsewhere.example"
    notification = change_email(delegate, location, person, new)
    notification_services.accept_change(notification_id=notification.pk, staff=staff)
    person.refresh_from_db()
    assert person.email == new
    assert not EmailChange.objects.filter(new_email=new).exists()
    event = AuditEvent.objects.get(verb="register.person_email_change_notice_sent")
    assert event.data == {
        "old_email": "no.account@sunrise.example",
        "new_email": new,
        "told": ["no.account@sunrise.example", new],
    }
    assert event.actor_id == staff.pk
    deliver_pending()
    for address in ("no.account@sunrise.example", new):
        notice = mail.wait_for(address)[-1]
        assert notice.subject == (
            f"The email address {settings.REGULATOR_NAME} holds for you has changed"
        )
        assert "Old address: no.account@sunrise.example" in notice.body
        assert f"New address: {new}" in notice.body
        assert "O'Brien & Sons" in notice.body
        assert re.search(r"contact us: \S+@\S+ or [\d ]+", notice.body)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_end_a_lapsed_change_once(
    account: Any, accepted: Any, later: Any
) -> None:
    notification, _delegate, _staff = accepted
    later.advance(days=15)
    outcomes = run_together([email_change.expire_waiting_changes] * 2)
    assert sorted(outcomes) == [0, 1], outcomes
    assert AuditEvent.objects.filter(verb="accounts.email_change_expired").count() == 1
    assert _timeline_actions(notification).count("email_change_expired") == 1
    assert OutboxMessage.objects.filter(template="email_change_expired").count() == 1


@pytest.mark.django_db(transaction=True)
def test_stopping_while_the_sweep_ends_it_ends_it_once(
    account: Any, accepted: Any, later: Any
) -> None:
    notification, _delegate, _staff = accepted
    warning = OutboxMessage.objects.get(template="email_change_requested")
    token = re.search(r"/email-address/stop/([\w-]+)/", warning.body)
    assert token is not None
    later.advance(days=15)
    run_together(
        [partial(email_change.stop, token=token.group(1)), email_change.expire_waiting_changes]
    )
    change = EmailChange.objects.get()
    assert change.status in (EmailChangeStatus.STOPPED, EmailChangeStatus.EXPIRED)
    ended = [a for a in _timeline_actions(notification) if a.startswith("email_change_")]
    assert ended == [OUTCOME_ACTIONS[EmailChangeStatus(change.status)]]
