"""Delegation services: who may grant what, invitations, requests to join, changes, the
last-manager guard, audit and email."""

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.emails.services import deliver
from portal.organisations import invitation_services, services
from portal.organisations.access import can, forget_access
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel, Permission
from portal.register.models import RoleAssignment, RoleType
from portal.workflow.models import DirectStatusChange
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.factories.register import make_person
from tests.organisations import helpers
from tests.organisations.conftest import build_world
from tests.organisations.helpers import NOTIFY, TEAM, VIEW
from tests.support.concurrency import run_together


def outbox_to(address):
    return list(OutboxMessage.objects.filter(to=address).order_by("created_at"))


def audit(verb):
    return list(AuditEvent.objects.filter(verb=verb))


def refused(match=None):
    """The service refuses, with a message matching `match` (a regular expression)."""
    return pytest.raises(services.DelegationError, match=match)


@pytest.fixture
def invite(world):
    return partial(helpers.invite, world)


def move_back(invitation, **delta):
    """Make the invitation's link as old as if it had been sent `delta` ago."""
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(**delta)
    )


expire = helpers.expire


def at_once(*calls):
    """Start the calls at the same moment, each on its own database connection. Returns, in
    call order, "done" for each that went through and the message of each the service
    refused (anything else it raised is raised here)."""
    outcomes = []
    for outcome in run_together(calls):
        if isinstance(outcome, services.DelegationError):
            outcomes.append(outcome.message)
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            outcomes.append("done")
    return outcomes


@pytest.fixture
def join_request(world):
    """A pending request to join provider P, from someone with no access."""
    return services.request_to_join(user=world.users["requester"], provider=world.p, message="")


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


# Requests to join ------------------------------------------------------------------------


def test_request_to_join_approved_with_chosen_access(world):
    requester = world.users["requester"]
    join_request = services.request_to_join(
        user=requester, provider=world.p, message="I am the deputy manager at Sunset Lodge"
    )
    # Both sides are told: the requester, and everyone who manages the team.
    assert outbox_to(requester.email)[-1].subject == "You asked to join Sunrise Care Ltd"
    for kind in ("ni", "rm_a", "rm_b", "delegate_team_whole", "delegate_team_a"):
        assert (
            outbox_to(world.users[kind].email)[-1].subject
            == "Rory Requester asked to join Sunrise Care Ltd"
        )
    assert not outbox_to(world.users["delegate_view_whole"].email)
    with refused("already asked"):
        services.request_to_join(user=requester, provider=world.p, message="")
    membership = services.approve_join_request(
        actor=world.users["rm_b"],
        join_request=join_request,
        permissions=NOTIFY,
        whole_provider=False,
        location_ids=[world.b.pk],
    )
    assert membership.granted_by == world.users["rm_b"]
    assert can(requester, Permission.SUBMIT_NOTIFICATIONS, location=world.b)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert join_request.decided_by == world.users["rm_b"]
    assert (
        outbox_to(requester.email)[-1].subject
        == "Your request to join Sunrise Care Ltd was approved"
    )
    assert audit("organisations.join_request_approved")
    (granted,) = audit("organisations.membership_granted")
    assert granted.data["via"] == f"join request {join_request.pk}"
    assert granted.data["before"] is None
    # Replayed decision is refused.
    with refused():
        services.refuse_join_request(
            actor=world.users["ni"], join_request=join_request, reason="No"
        )


def test_registered_manager_cannot_approve_for_another_location(world, join_request):
    with refused("locations whose team you manage"):
        services.approve_join_request(
            actor=world.users["rm_a"],
            join_request=join_request,
            permissions=VIEW,
            whole_provider=False,
            location_ids=[world.b.pk],
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING


def test_request_to_join_refused_with_a_reason(world, join_request):
    refuse = partial(services.refuse_join_request, join_request=join_request)
    with refused("Enter why"):
        refuse(actor=world.users["ni"], reason="   ")
    with refused("1000 characters or fewer"):
        refuse(actor=world.users["ni"], reason="x" * 1001)
    with refused("cannot decide"):
        refuse(actor=world.users["delegate_view_whole"], reason="No")
    refuse(actor=world.users["ni"], reason="We do not know you <b>")
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSED
    message = outbox_to(world.users["requester"].email)[-1]
    assert message.subject == "Your request to join Sunrise Care Ltd was refused"
    assert "We do not know you <b>" in message.body  # plain text: not HTML-escaped
    (event,) = audit("organisations.join_request_refused")
    assert event.data["after"]["reason"] == "We do not know you <b>"


def test_request_to_join_refused_when_pointless_or_too_long(world):
    with refused("already have access"):
        services.request_to_join(user=world.users["delegate_view_a"], provider=world.p, message="")
    with refused("1000 characters"):
        services.request_to_join(
            user=world.users["requester"], provider=world.p, message="x" * 1001
        )
    assert not JoinRequest.objects.exists()


# Changing access and the last-manager guard -----------------------------------------------


def test_change_membership_records_before_and_after(world):
    membership = world.memberships["delegate_view_a"]
    services.change_membership(
        actor=world.users["ni"],
        membership=membership,
        permissions=NOTIFY,
        whole_provider=False,
        location_ids=[world.a.pk, world.b.pk],
    )
    (event,) = audit("organisations.membership_changed")
    assert event.data["before"]["permissions"] == VIEW
    assert event.data["before"]["locations"] == [world.a.pk]
    assert event.data["after"]["permissions"] == NOTIFY
    assert event.data["after"]["locations"] == [world.a.pk, world.b.pk]
    assert (
        outbox_to("delegate_view_a@sunrise.example")[-1].subject
        == "Your access to Sunrise Care Ltd has changed"
    )
    assert can(world.users["delegate_view_a"], Permission.SUBMIT_NOTIFICATIONS, location=world.b)


def test_suspend_reinstate_remove_follow_the_lifecycle(world):
    ni = world.users["ni"]
    membership = world.memberships["delegate_notifications_a"]
    user = world.users["delegate_notifications_a"]

    def can_view_at_a():
        forget_access(user)
        return can(user, Permission.VIEW_SUBMISSIONS, location=world.a)

    services.suspend_membership(actor=ni, membership=membership)
    assert not can_view_at_a()
    with refused("already suspended"):
        services.suspend_membership(actor=ni, membership=membership)
    services.reinstate_membership(actor=ni, membership=membership)
    assert can_view_at_a()
    services.remove_membership(actor=ni, membership=membership)
    assert not can_view_at_a()
    with refused():
        services.reinstate_membership(actor=ni, membership=membership)
    verbs = [
        e.verb
        for e in AuditEvent.objects.filter(target_id=str(membership.pk)).order_by("occurred_at")
    ]
    assert verbs == [
        "organisations.membership_suspended",
        "organisations.membership_reinstated",
        "organisations.membership_removed",
    ]
    subjects = [m.subject for m in outbox_to(user.email)]
    assert subjects == [
        "Your access to Sunrise Care Ltd is suspended",
        "Your access to Sunrise Care Ltd is back",
        "Your access to Sunrise Care Ltd has been removed",
    ]


def test_transition_table_refuses_moves_it_does_not_list():
    for row, action in (
        (Membership(status=MembershipStatus.REMOVED), "reinstate"),
        (JoinRequest(status=JoinRequestStatus.REFUSED), "approve"),
        (Invitation(status=InvitationStatus.ACCEPTED), "resend"),
    ):
        assert type(row).lifecycle.refusal(row, action)
        with pytest.raises(DirectStatusChange):
            row.status = "active" if row.status != "active" else "removed"


def test_nobody_changes_someone_who_holds_more_than_they_do(world):
    team_a = world.users["delegate_team_a"]
    for target in ("delegate_notifications_a", "delegate_team_whole", "delegate_view_whole"):
        with refused():
            services.suspend_membership(actor=team_a, membership=world.memberships[target])
    rm_a = world.users["rm_a"]
    with refused():
        services.remove_membership(actor=rm_a, membership=world.memberships["delegate_view_whole"])
    # An RM may widen nobody beyond their own location.
    with refused("locations whose team you manage"):
        services.change_membership(
            actor=rm_a,
            membership=world.memberships["delegate_view_a"],
            permissions=VIEW,
            whole_provider=False,
            location_ids=[world.a.pk, world.b.pk],
        )
    assert Membership.objects.filter(status=MembershipStatus.ACTIVE).count() == 8


def test_nobody_changes_their_own_access(world):
    me = world.users["delegate_team_whole"]
    with refused("your own access"):
        services.remove_membership(actor=me, membership=world.memberships["delegate_team_whole"])


def only_two_delegates_manage_the_whole_team(world):
    """No registered person in a whole-provider role: two delegates, a and b, manage the whole
    team. Both have just opened the team page, so their access is worked out before either
    acts. Returns (a, a's membership, b, b's membership)."""
    RoleAssignment.objects.filter(role=RoleType.NOMINATED_INDIVIDUAL, provider=world.p).delete()
    Membership.objects.filter(user=world.users["delegate_team_whole"]).delete()
    a = make_user("a.manager@sunrise.example")
    b = make_user("b.manager@sunrise.example")
    ma = give_access(a, world.p, ["team", "view"])
    mb = give_access(b, world.p, ["team", "view"])
    assert can(a, Permission.MANAGE_TEAM, provider=world.p)
    assert can(b, Permission.MANAGE_TEAM, provider=world.p)
    return a, ma, b, mb


def test_provider_never_loses_its_last_team_manager(world):
    # Each removes the other: the second removal must be refused.
    a, ma, b, mb = only_two_delegates_manage_the_whole_team(world)
    services.remove_membership(actor=a, membership=mb)
    attempts = [
        lambda: services.remove_membership(actor=b, membership=ma),
        lambda: services.suspend_membership(actor=b, membership=ma),
        lambda: services.change_membership(
            actor=b, membership=ma, permissions=VIEW, whole_provider=True
        ),
        lambda: services.change_membership(
            actor=b,
            membership=ma,
            permissions=TEAM + VIEW,
            whole_provider=False,
            location_ids=[world.a.pk],
        ),
    ]
    for attempt in attempts:
        with refused(r"a\.manager@sunrise\.example is the only person who can manage the team"):
            attempt()
    ma.refresh_from_db()
    assert ma.status == MembershipStatus.ACTIVE
    assert ma.permissions == sorted(TEAM + VIEW)


def test_a_registered_whole_provider_person_counts_as_a_team_manager(world):
    # The nominated individual can always sign in and manage the team, so the last
    # delegated manager may go.
    services.remove_membership(
        actor=world.users["ni"], membership=world.memberships["delegate_team_whole"]
    )
    assert (
        Membership.objects.get(pk=world.memberships["delegate_team_whole"].pk).status
        == MembershipStatus.REMOVED
    )


def test_two_managers_removing_each_other_at_once_leave_one(transactional_db):
    world = build_world()
    a, ma, b, mb = only_two_delegates_manage_the_whole_team(world)
    outcomes = at_once(
        partial(services.remove_membership, actor=a, membership=mb),
        partial(services.remove_membership, actor=b, membership=ma),
    )
    assert outcomes.count("done") == 1
    assert any("is the only person who can manage the team" in r for r in outcomes)
    assert (
        Membership.objects.filter(
            provider=world.p, status=MembershipStatus.ACTIVE, whole_provider=True, user__in=[a, b]
        ).count()
        == 1
    )
