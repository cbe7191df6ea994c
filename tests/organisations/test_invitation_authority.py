"""An invitation never gives more than its inviter could give when it is used: it never
merges into access someone already has, and it dies with the inviter's authority."""

import datetime as dt
import threading
import time

import pytest
from django.db import transaction
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.organisations import invitation_services as acceptance
from portal.organisations import services
from portal.organisations.access import can, forget_access, scope_for
from portal.organisations.models import Invitation, InvitationStatus, Membership
from portal.organisations.permissions import Permission
from portal.register.events import person_register_changed
from portal.register.models import RoleAssignment
from tests.factories.accounts import make_user
from tests.organisations.conftest import build_world
from tests.organisations.helpers import NOTIFY, TEAM, VIEW, outbox_to
from tests.support.concurrency import run_together
from tests.support.register_changes import process_register_changes

NOTIFY_AND_TEAM = sorted({*NOTIFY, *TEAM})


@pytest.fixture
def invite(world):
    """Invite to provider P through the service: the whole provider, or the locations `at`."""

    def send(actor, email, permissions, at=None):
        return services.invite(
            actor=actor,
            provider=world.p,
            email=email,
            permissions=permissions,
            whole_provider=at is None,
            location_ids=at or (),
        )

    return send


def verbs():
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def holds(user, permission, provider):
    forget_access(user)
    return scope_for(user, permission, provider)


# Item 2: an invitation to someone who is already a member ------------------------------------


def test_invitation_to_a_member_does_not_merge_into_their_access(world, invite, mail):
    """The issue's repro: the manager of one location invites X with notifications and team
    access there; X also asks to join and the nominated individual approves view-only for
    the whole provider; X accepts the invitation. X must keep exactly the view-only access."""
    rm_b = world.users["rm_b"]
    x = make_user("xavier@example.com", full_name="Xavier Ex")
    invitation, token = invite(rm_b, x.email, NOTIFY_AND_TEAM, at=[world.b.pk])
    join = services.request_to_join(user=x, provider=world.p, message="")
    services.approve_join_request(
        actor=world.users["ni"], join_request=join, permissions=VIEW, whole_provider=True
    )
    before = Membership.objects.get(user=x, provider=world.p)
    grants = AuditEvent.objects.filter(verb="organisations.membership_granted").count()

    with pytest.raises(services.DelegationError, match="already have access"):
        acceptance.accept_invitation(user=x, token=token)

    after = Membership.objects.get(user=x, provider=world.p)
    assert after.pk == before.pk
    assert sorted(after.permissions) == VIEW
    assert after.whole_provider
    for permission in (
        Permission.DRAFT_NOTIFICATIONS,
        Permission.SUBMIT_NOTIFICATIONS,
        Permission.MANAGE_TEAM,
    ):
        assert holds(x, permission, world.p).is_empty, permission
    assert not can(x, Permission.MANAGE_TEAM, location=world.b)
    # The invitation is closed for good, with the reason, and the inviter is told.
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert "already had access" in invitation.closed_reason
    assert "organisations.invitation_declined" in verbs()
    assert AuditEvent.objects.filter(verb="organisations.membership_granted").count() == grants
    told = outbox_to(rm_b.email)[-1]
    assert told.subject == "Xavier Ex already had access to Sunrise Care Ltd"
    # Using the link again says it was not used, not that it is waiting.
    with pytest.raises(services.DelegationError, match="not used"):
        acceptance.accept_invitation(user=x, token=token)


def test_invitation_to_a_suspended_member_is_not_used_and_does_not_reinstate(world, invite):
    x = make_user("sus@example.com")
    _, token = invite(world.users["ni"], x.email, NOTIFY)
    membership = Membership.objects.create(
        user=x, provider=world.p, whole_provider=True, permissions=VIEW, status="suspended"
    )
    with pytest.raises(services.DelegationError, match="suspended"):
        acceptance.accept_invitation(user=x, token=token)
    membership.refresh_from_db()
    assert membership.status == "suspended"
    assert sorted(membership.permissions) == VIEW
    assert Invitation.objects.get().status == InvitationStatus.DECLINED


def test_sign_up_from_invitation_never_merges_either(world, invite):
    """The sign-up journey's hook goes through the same acceptance: an account that is
    already a member when it runs keeps its access as it was."""
    x = make_user("hook@example.com")
    invite(world.users["ni"], x.email, NOTIFY_AND_TEAM)
    Membership.objects.create(user=x, provider=world.p, whole_provider=False, permissions=VIEW)
    Membership.objects.get(user=x).locations.set([world.a])
    assert acceptance.accept_invitations_for_new_account(user=x) == []
    membership = Membership.objects.get(user=x)
    assert sorted(membership.permissions) == VIEW
    assert not membership.whole_provider
    assert Invitation.objects.get().status == InvitationStatus.DECLINED


def test_join_request_approval_never_merges_into_a_membership(world, invite):
    x = make_user("joiner@example.com")
    join = services.request_to_join(user=x, provider=world.p, message="")
    _, token = invite(world.users["ni"], x.email, VIEW, at=[world.a.pk])
    acceptance.accept_invitation(user=x, token=token)
    with pytest.raises(services.DelegationError, match="already has access"):
        services.approve_join_request(
            actor=world.users["ni"],
            join_request=join,
            permissions=NOTIFY_AND_TEAM,
            whole_provider=True,
        )
    membership = Membership.objects.get(user=x)
    assert sorted(membership.permissions) == VIEW
    assert not membership.whole_provider


# Item 3: pending invitations do not outlive the inviter's authority --------------------------


def end_role(user):
    RoleAssignment.objects.filter(person=user.person).update(end_date=timezone.localdate())


def test_acceptance_rechecks_the_inviter_and_refuses_when_their_role_ended(world, invite):
    x = make_user("late@example.com")
    invitation, token = invite(world.users["rm_a"], x.email, NOTIFY, at=[world.a.pk])
    end_role(world.users["rm_a"])  # no register sync ran: acceptance must see it anyway
    with pytest.raises(services.DelegationError, match="can no longer give"):
        acceptance.accept_invitation(user=x, token=token)
    assert not Membership.objects.filter(user=x).exists()
    assert not can(x, Permission.VIEW_SUBMISSIONS, location=world.a)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    assert "can no longer give" in invitation.closed_reason


def test_acceptance_refuses_when_the_inviting_delegate_was_suspended(world, invite):
    delegate = world.users["delegate_team_whole"]
    x = make_user("x2@example.com")
    # A team delegate without notification rights can only give team access.
    _, token = invite(delegate, x.email, TEAM)
    # Suspended behind the services' back: acceptance still refuses.
    Membership.objects.filter(pk=world.memberships["delegate_team_whole"].pk).update(
        status="suspended"
    )
    with pytest.raises(services.DelegationError, match="can no longer give"):
        acceptance.accept_invitation(user=x, token=token)
    assert not Membership.objects.filter(user=x).exists()


def test_register_sync_cancels_invitations_whose_inviter_lost_the_role(world, invite, mail):
    rm_a = world.users["rm_a"]
    invitation, _ = invite(rm_a, "invitee@example.com", NOTIFY, at=[world.a.pk])
    kept, _ = invite(world.users["ni"], "other@example.com", NOTIFY)
    with transaction.atomic():
        end_role(rm_a)
        person_register_changed(person=rm_a.person, reason="role ended", data={})
    process_register_changes()  # what the worker does with the change
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    assert "can no longer give" in invitation.closed_reason
    kept.refresh_from_db()
    assert kept.status == InvitationStatus.PENDING
    event = AuditEvent.objects.filter(verb="organisations.invitation_cancelled").get()
    assert event.data["after"]["status"] == "cancelled"
    assert "can no longer give" in event.data["reason"]
    told = outbox_to("invitee@example.com")[-1]
    assert told.subject == "Your invitation to act for Sunrise Care Ltd was withdrawn"
    assert "can no longer give" in told.body
    assert outbox_to("other@example.com")[-1].subject != told.subject


@pytest.mark.parametrize("how", ["suspend", "remove", "lose_manage_team"])
def test_services_cancel_invitations_when_the_inviter_loses_the_right(world, invite, how):
    delegate = world.users["delegate_team_whole"]
    membership = world.memberships["delegate_team_whole"]
    invitation, _ = invite(delegate, "fresh@example.com", TEAM)
    ni = world.users["ni"]
    if how == "suspend":
        services.suspend_membership(actor=ni, membership=membership)
    elif how == "remove":
        services.remove_membership(actor=ni, membership=membership)
    else:
        services.change_membership(
            actor=ni, membership=membership, permissions=VIEW, whole_provider=True
        )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    (event,) = AuditEvent.objects.filter(verb="organisations.invitation_cancelled")
    assert event.actor_id == ni.pk
    assert (
        outbox_to("fresh@example.com")[-1].subject
        == "Your invitation to act for Sunrise Care Ltd was withdrawn"
    )


def test_narrowing_the_inviter_keeps_invitations_they_could_still_give(world, invite):
    delegate = world.users["delegate_team_whole"]
    membership = world.memberships["delegate_team_whole"]
    at_a, _ = invite(delegate, "at-a@example.com", TEAM, at=[world.a.pk])
    everywhere, _ = invite(delegate, "everywhere@example.com", TEAM)
    services.change_membership(
        actor=world.users["ni"],
        membership=membership,
        permissions=TEAM,
        whole_provider=False,
        location_ids=[world.a.pk],
    )
    at_a.refresh_from_db()
    everywhere.refresh_from_db()
    assert at_a.status == InvitationStatus.PENDING
    assert everywhere.status == InvitationStatus.CANCELLED


def test_acceptance_waits_for_a_concurrent_suspension_of_the_inviter(transactional_db):
    """The inviter is being suspended (team changes lock the provider) while their invitee
    accepts: acceptance waits for the lock, then finds the invitation withdrawn. It never
    grants on the strength of authority that was being taken away."""
    world = build_world()
    delegate = world.users["delegate_team_whole"]
    invitee = make_user("racer@example.com")
    invitation, token = services.invite(
        actor=delegate, provider=world.p, email=invitee.email, permissions=TEAM, whole_provider=True
    )
    locked = threading.Event()

    def suspend_and_hold():
        with transaction.atomic():
            services.suspend_membership(
                actor=world.users["ni"], membership=world.memberships["delegate_team_whole"]
            )
            locked.set()
            time.sleep(0.5)  # the invitee's acceptance is now waiting for the provider
        return "suspended"

    def accept():
        assert locked.wait(10)
        return acceptance.accept_invitation(user=invitee, token=token)

    suspended, accepted = run_together([suspend_and_hold, accept])
    assert suspended == "suspended"
    assert isinstance(accepted, services.DelegationError), accepted
    assert not Membership.objects.filter(user=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED


def test_whoever_resends_an_invitation_vouches_for_it(world, invite):
    x = make_user("resent@example.com")
    invitation, _ = invite(world.users["rm_a"], x.email, NOTIFY, at=[world.a.pk])
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(minutes=5)
    )
    _, token = services.resend_invitation(actor=world.users["ni"], invitation=invitation)
    end_role(world.users["rm_a"])
    membership = acceptance.accept_invitation(user=x, token=token)
    assert membership.granted_by == world.users["ni"]
