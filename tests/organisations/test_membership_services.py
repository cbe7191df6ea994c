"""Delegation services: requests to join (approved and refused), changes to a member's
access and status, and the last-manager guard, with their audit and email."""

from functools import partial

import pytest

from portal.audit.models import AuditEvent
from portal.organisations import services
from portal.organisations.access import can, forget_access
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import Permission
from portal.workflow.models import DirectStatusChange
from tests.organisations.conftest import build_world
from tests.organisations.helpers import (
    NOTIFY,
    TEAM,
    VIEW,
    at_once,
    audit,
    only_two_delegates_manage_the_whole_team,
    outbox_to,
    refused,
)


@pytest.fixture
def join_request(world):
    """A pending request to join provider P, from someone with no access."""
    return services.request_to_join(user=world.users["requester"], provider=world.p, message="")


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
