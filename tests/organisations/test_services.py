"""Delegation services: who may grant what, and invitations (made, accepted, resent,
cancelled, expired and raced). Requests to join and changes to access are in
test_membership_services.py."""

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone

from portal.emails.services import deliver
from portal.organisations import invitation_services, services
from portal.organisations.access import can
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
)
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel, Permission
from portal.register.models import RoleAssignment, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.factories.register import make_person
from tests.organisations import helpers
from tests.organisations.conftest import build_world
from tests.organisations.helpers import NOTIFY, TEAM, at_once, audit, outbox_to, refused


@pytest.fixture
def invite(world):
    return partial(helpers.invite, world)


def move_back(invitation, **delta):
    """Make the invitation's link as old as if it had been sent `delta` ago."""
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(**delta)
    )


expire = helpers.expire


# Invitations -----------------------------------------------------------------------------


def test_ni_invites_someone_for_one_location(world, invite, mail):
    ni = world.users["ni"]
    invitation, token = invite(
        "  Office.Admin@Sunrise.Example ", permissions=NOTIFY, at=[world.a.pk]
    )
    assert invitation.email == "office.admin@sunrise.example"
    assert invitation.status == InvitationStatus.PENDING
    assert list(invitation.locations.all()) == [world.a]
    assert invitation.token_hmac == services.token_hmac(token)
    assert token not in invitation.token_hmac
    # Valid for 2 days.
    assert abs(invitation.expires_at - (timezone.now() + dt.timedelta(days=2))) < dt.timedelta(
        minutes=1
    )
    # Audited with before/after, the token never in the audit log.
    (event,) = audit("organisations.invitation_sent")
    assert event.actor_id == ni.pk
    assert event.data["before"] is None
    assert event.data["after"]["locations"] == [world.a.pk]
    assert token not in str(event.data)
    # Emailed, with the link, through the outbox to a real SMTP server.
    (message,) = outbox_to("office.admin@sunrise.example")
    assert f"/invitations/{token}/" in message.body
    assert "Draft and submit notifications" in message.body
    assert "Sunrise House" in message.body
    deliver(str(message.id))
    (received,) = mail.wait_for("office.admin@sunrise.example")
    assert received.subject == "Nina Ni invited you to act for Sunrise Care Ltd"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter their email address"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("a@b", "Enter an email address in the correct format"),
        ("<script>alert(1)</script>@x.example", "Enter an email address in the correct format"),
        (
            "x'; DROP TABLE organisations_membership;--@x.example",
            "Enter an email address in the correct format",
        ),
        ("a" * 310 + "@example.com", "320 characters or fewer"),
    ],
)
def test_invite_refuses_bad_addresses(invite, email, message):
    with refused(message) as error:
        invite(email)
    assert error.value.field == "email"
    assert not Invitation.objects.exists()


def test_invite_refuses_an_address_the_register_holds_for_several_people(invite):
    make_person("info@sunrise.example", "Ann", "One", ref="S1")
    make_person("info@sunrise.example", "Ben", "Two", ref="S2")
    with refused("more than one registered person"):
        invite("INFO@sunrise.example")


def test_invite_allows_an_address_one_person_holds_for_several_roles(world, invite):
    person = make_person("cat@elsewhere.example", "Cat", "Multi", ref="S3")
    RoleAssignment.objects.create(
        person=person, role=RoleType.REGISTERED_MANAGER, provider=world.q, location=world.c
    )
    RoleAssignment.objects.create(
        person=person, role=RoleType.NOMINATED_INDIVIDUAL, provider=world.q
    )
    invitation, _ = invite("cat@elsewhere.example")
    assert invitation.status == InvitationStatus.PENDING


def test_invite_refuses_people_who_already_have_access_and_duplicates(world, invite):
    with refused("already has access"):
        invite("delegate_view_a@sunrise.example")
    with refused("through their registered role"):
        invite("rita.rm@sunrise.example")
    invite("new@x.example")
    with refused("already invited"):
        invite("NEW@x.example")
    with refused("cannot invite yourself"):
        invite(world.users["ni"].email)


def test_only_known_delegable_permissions_and_own_locations(world, invite):
    with refused("Only registered people can sign declarations"):
        invite("n@x.example", permissions=[Permission.SIGN_DECLARATIONS])
    with refused("Select what they can do"):
        invite("n@x.example", permissions=[])
    with refused("from the list"):
        invite("n@x.example", permissions=["superuser"])
    with refused("Select at least one location"):
        invite("n@x.example", at=[])
    # Another provider's location, or a made-up one, is refused.
    for bad in ([world.c.pk], ["../../etc/passwd"], [world.a.pk, "1-999"]):
        with refused("Select locations from the list"):
            invite("n@x.example", at=bad)


def test_registered_manager_grants_only_for_their_own_location(world, invite):
    invitation, _ = invite("colleague@x.example", by="rm_a", at=[world.a.pk])
    assert list(invitation.locations.all()) == [world.a]
    for locations in ([world.b.pk], [world.a.pk, world.b.pk], None):
        with refused("locations whose team you manage"):
            invite("other@x.example", by="rm_a", at=locations)


def test_delegates_never_grant_more_than_they_hold(world, invite):
    # Holds only the team permissions: cannot give "view submissions" or notifications.
    with refused("access you do not have yourself"):
        invite("x@x.example", by="delegate_team_a", at=[world.a.pk])
    # Can give what they hold, where they hold it.
    invitation, _ = invite("x@x.example", by="delegate_team_a", permissions=TEAM, at=[world.a.pk])
    assert invitation.permissions == TEAM
    with refused("locations whose team you manage"):
        invite("y@x.example", by="delegate_team_a", permissions=TEAM)
    # A delegate who holds team + notifications for A can pass both on, for A.
    both = make_user("both@sunrise.example")
    give_access(both, world.p, ["team", "notifications"], [world.a])
    invite("z@x.example", by=both, permissions=NOTIFY + TEAM, at=[world.a.pk])
    with refused("do not have yourself"):
        invite(
            "w@x.example",
            by=both,
            permissions=sorted(ACCESS_LEVEL_PERMISSIONS[AccessLevel.REGISTRATION]),
            at=[world.a.pk],
        )


@pytest.mark.parametrize(
    "kind",
    [
        "delegate_view_whole",
        "delegate_notifications_a",
        "delegate_registration_whole",
        "other_provider",
        "staff",
        "requester",
    ],
)
def test_people_without_manage_team_cannot_invite(world, invite, kind):
    with refused():
        invite("x@x.example", by=kind, at=[world.a.pk])
    assert not Invitation.objects.exists()


def test_accept_invitation_as_the_invited_existing_user(world, invite):
    invitee = make_user("office.admin@sunrise.example", full_name="Olive Office")
    invitation, token = invite(invitee.email, permissions=NOTIFY, at=[world.a.pk])
    assert not can(invitee, Permission.SUBMIT_NOTIFICATIONS, location=world.a)
    membership = invitation_services.accept_invitation(user=invitee, token=token)
    assert membership.granted_by == world.users["ni"]
    assert can(invitee, Permission.SUBMIT_NOTIFICATIONS, location=world.a)
    assert not can(invitee, Permission.VIEW_SUBMISSIONS, location=world.b)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == invitee
    assert audit("organisations.invitation_accepted")[0].data["after"]["status"] == "accepted"
    (granted,) = audit("organisations.membership_granted")
    assert granted.data["after"]["permissions"] == NOTIFY
    assert granted.data["via"] == f"invitation {invitation.pk}"
    assert granted.data["user"] == invitee.email
    assert granted.data["provider"] == world.p.pk
    assert outbox_to(invitee.email)[-1].subject == "You can now act for Sunrise Care Ltd"
    assert (
        outbox_to(world.users["ni"].email)[-1].subject
        == "Olive Office accepted your invitation to Sunrise Care Ltd"
    )
    # Single use: replaying the link is refused.
    with refused("already been used"):
        invitation_services.accept_invitation(user=invitee, token=token)


def test_accepting_as_a_different_signed_in_user_is_refused(invite):
    _invitation, token = invite("office.admin@sunrise.example")
    intruder = make_user("someone.else@sunrise.example")
    with pytest.raises(services.SignedInAsSomeoneElse, match="different email address"):
        invitation_services.accept_invitation(user=intruder, token=token)
    assert not Membership.objects.filter(user=intruder).exists()


def test_expired_cancelled_and_forged_links_are_refused(world, invite):
    ni = world.users["ni"]
    invitee = make_user("late@x.example")
    invitation, token = invite(invitee.email)
    expire(invitation, seconds=1)
    with refused("expired"):
        invitation_services.accept_invitation(user=invitee, token=token)
    assert services.expire_invitations() == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
    for forged in ("", "x" * 500, token[:-1] + ("A" if token[-1] != "A" else "B"), "../../admin"):
        with refused("not valid"):
            invitation_services.accept_invitation(user=invitee, token=forged)
    # Resend gives a new link (the old one stops working) and a new 2 days.
    move_back(invitation, minutes=5)
    _, new_token = services.resend_invitation(actor=ni, invitation=invitation)
    with refused("not valid"):
        invitation_services.accept_invitation(user=invitee, token=token)
    services.cancel_invitation(actor=ni, invitation=invitation)
    with refused("cancelled"):
        invitation_services.accept_invitation(user=invitee, token=new_token)
    assert (
        outbox_to(invitee.email)[-1].subject
        == "Your invitation to act for Sunrise Care Ltd was cancelled"
    )
    with refused("already been cancelled"):
        services.cancel_invitation(actor=ni, invitation=invitation)
    with refused("cannot be resent"):
        services.resend_invitation(actor=ni, invitation=invitation)


def test_resend_waits_a_minute_and_is_audited(world, invite):
    ni = world.users["ni"]
    invitation, _ = invite("wait@x.example")
    with refused("less than a minute ago"):
        services.resend_invitation(actor=ni, invitation=invitation)
    move_back(invitation, minutes=2)
    invitation, _ = services.resend_invitation(actor=ni, invitation=invitation)
    assert invitation.times_sent == 2
    assert len(outbox_to("wait@x.example")) == 2
    assert audit("organisations.invitation_resent")


def test_a_registered_manager_cannot_cancel_a_whole_provider_invitation(world, invite):
    invitation, _ = invite("w@x.example")
    with refused():
        services.cancel_invitation(actor=world.users["rm_a"], invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_new_account_hook_accepts_pending_invitations_for_its_address(world, invite):
    invite("fresh@x.example", permissions=NOTIFY, at=[world.b.pk])
    invite("fresh@x.example", by="other_provider", provider=world.q)
    stale, _ = invite("other@x.example", by="rm_a", at=[world.a.pk])
    assert [i.provider_id for i in services.pending_invitations_for_email(" FRESH@x.example")] == [
        world.p.pk,
        world.q.pk,
    ]
    assert services.pending_invitations_for_email("nobody@x.example") == []
    user = make_user("fresh@x.example")
    memberships = invitation_services.accept_invitations_for_new_account(user=user)
    assert {m.provider_id for m in memberships} == {world.p.pk, world.q.pk}
    assert can(user, Permission.SUBMIT_NOTIFICATIONS, location=world.b)
    assert can(user, Permission.VIEW_SUBMISSIONS, location=world.c)
    assert services.pending_invitations_for_email("fresh@x.example") == []
    # Calling it again does nothing; others' invitations are untouched.
    assert invitation_services.accept_invitations_for_new_account(user=user) == []
    stale.refresh_from_db()
    assert stale.status == InvitationStatus.PENDING


def test_new_account_hook_skips_expired_invitations(invite):
    invitation, _ = invite("slow@x.example")
    expire(invitation, minutes=1)
    assert services.pending_invitations_for_email("slow@x.example") == []
    assert (
        invitation_services.accept_invitations_for_new_account(user=make_user("slow@x.example"))
        == []
    )


def test_two_concurrent_accepts_make_one_membership(transactional_db_world):
    invitee, token = transactional_db_world
    accept = partial(invitation_services.accept_invitation, user=invitee, token=token)
    outcomes = at_once(accept, accept)
    assert sorted(outcomes) == ["This invitation has already been used", "done"]
    assert Membership.objects.filter(user=invitee).count() == 1


@pytest.fixture
def transactional_db_world(transactional_db):
    # The `world` fixture's data is committed here so two threads can see it.
    world = build_world()
    invitee = make_user("race@x.example")
    _, token = helpers.invite(world, invitee.email)
    return invitee, token
