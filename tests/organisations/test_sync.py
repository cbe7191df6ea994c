"""Register sync: ended granter roles flag memberships for review, register roles make
delegated access redundant, deregistered providers' memberships end after the period."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.organisations import services
from portal.organisations.access import can
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.permissions import Permission
from portal.organisations.sync import end_deregistered_access
from portal.register.events import person_register_changed
from portal.register.models import RegistrationStatus, RoleAssignment, RoleType
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.factories.register import make_person
from tests.organisations.helpers import expire, invite
from tests.support.register_changes import process_register_changes


def end_roles(person):
    with transaction.atomic():
        RoleAssignment.objects.filter(person=person).update(end_date=timezone.localdate())
        person_register_changed(person=person, reason="role ended")
    process_register_changes()


def test_when_the_granters_role_ends_their_grants_stay_but_are_flagged(world):
    rm_a = world.users["rm_a"]
    colleague = make_user("colleague@sunrise.example")
    granted = give_access(colleague, world.p, ["view"], [world.a], granted_by=rm_a)
    untouched = world.memberships["delegate_view_a"]  # granted by the NI
    end_roles(rm_a.person)
    granted.refresh_from_db()
    untouched.refresh_from_db()
    assert granted.granter_review_since is not None
    assert granted.status == MembershipStatus.ACTIVE
    assert can(
        colleague, Permission.VIEW_SUBMISSIONS, location=world.a
    )  # it belongs to the provider
    assert untouched.granter_review_since is None
    assert AuditEvent.objects.filter(
        verb="organisations.membership_review_needed", target_id=str(granted.pk)
    ).exists()
    # The people who manage the team are told; the person whose role ended is not.
    from portal.emails.models import OutboxMessage

    subjects = {
        m.to: m.subject
        for m in OutboxMessage.objects.filter(template="organisations_review_needed")
    }
    assert subjects[world.users["ni"].email] == "Check who can act for Sunrise Care Ltd"
    assert world.users["rm_a"].email not in subjects
    # Someone who can grant it keeps it: the flag clears and they become its granter.
    services.keep_after_review(actor=world.users["ni"], membership=granted)
    granted.refresh_from_db()
    assert granted.granter_review_since is None
    assert granted.granted_by == world.users["ni"]


def test_a_granter_who_keeps_another_route_to_the_same_access_is_not_flagged(world):
    # The RM of A is also a delegate with "manage team" for the whole provider.
    rm_a = world.users["rm_a"]
    give_access(rm_a, world.p, ["team", "view", "notifications"], granted_by=world.users["ni"])
    colleague = make_user("colleague@sunrise.example")
    granted = give_access(colleague, world.p, ["view"], [world.a], granted_by=rm_a)
    end_roles(rm_a.person)
    granted.refresh_from_db()
    assert granted.granter_review_since is None


def becomes_registered(user, given, family, *, ref):
    """The register now names this user (by their address) as a person; no role yet."""
    person = make_person(user.email, given, family, ref=ref)
    user.person = person
    user.save()
    return person


def test_a_register_role_makes_delegated_access_redundant_and_the_role_wins(world):
    delegate = world.users["delegate_notifications_a"]
    person = becomes_registered(delegate, "Dee", "Legate", ref="D1")
    membership = world.memberships["delegate_notifications_a"]
    with transaction.atomic():
        RoleAssignment.objects.create(
            person=person, role=RoleType.REGISTERED_MANAGER, provider=world.p, location=world.a
        )
        person_register_changed(person=person, reason="role started")
    process_register_changes()
    membership.refresh_from_db()
    assert membership.redundant_since is not None
    # Suspending the membership changes nothing: the role gives the access.
    services.suspend_membership(actor=world.users["ni"], membership=membership)
    fresh = type(delegate).objects.get(pk=delegate.pk)
    assert can(fresh, Permission.SIGN_DECLARATIONS, location=world.a)
    # When the role ends, the flag clears (the membership, if active, gives access again).
    with transaction.atomic():
        RoleAssignment.objects.filter(person=person).update(end_date=timezone.localdate())
        person_register_changed(person=person, reason="role ended")
    process_register_changes()
    membership.refresh_from_db()
    assert membership.redundant_since is None


def test_partial_role_is_not_redundant(world):
    # A partner role gives view for the whole provider; a notifications membership is more.
    delegate = world.users["delegate_notifications_whole"]
    person = becomes_registered(delegate, "Pat", "Ner", ref="D2")
    with transaction.atomic():
        RoleAssignment.objects.create(person=person, role=RoleType.PARTNER, provider=world.p)
        person_register_changed(person=person, reason="role started")
    process_register_changes()
    assert Membership.objects.get(user=delegate).redundant_since is None


def test_memberships_end_after_the_read_only_period(world, settings):
    settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = 30
    world.p.registration_status = RegistrationStatus.DEREGISTERED
    world.p.deregistration_date = timezone.localdate() - dt.timedelta(days=29)
    world.p.save()
    assert end_deregistered_access() == 0
    world.p.deregistration_date = timezone.localdate() - dt.timedelta(days=31)
    world.p.save()
    assert end_deregistered_access() == 8
    assert (
        not Membership.objects.exclude(status=MembershipStatus.REMOVED)
        .filter(provider=world.p)
        .exists()
    )
    assert AuditEvent.objects.filter(verb="organisations.membership_ended").count() == 8
    assert end_deregistered_access() == 0


def test_no_access_can_be_given_at_a_deregistered_provider(world):
    world.p.registration_status = RegistrationStatus.DEREGISTERED
    world.p.deregistration_date = timezone.localdate()
    world.p.save()
    import pytest

    with pytest.raises(services.DelegationError):
        invite(world, "x@x.example")


def test_sweep_command_expires_invitations_and_ends_old_access(world, settings):
    import json
    from io import StringIO

    from django.core.management import call_command

    from portal.organisations.models import InvitationStatus

    invitation, _ = invite(world, "old@x.example")
    expire(invitation, minutes=1)
    world.q.registration_status = RegistrationStatus.DEREGISTERED
    world.q.deregistration_date = timezone.localdate() - dt.timedelta(
        days=settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS + 1
    )
    world.q.save()
    give_access(make_user("q.member@x.example"), world.q, ["view"])
    out = StringIO()
    call_command("organisations_sweep", stdout=out)
    assert json.loads(out.getvalue()) == {"invitations_expired": 1, "memberships_ended": 1}
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
