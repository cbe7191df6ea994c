"""Staff administration services: bad input refused with a specific code, nothing lost;
replayed and concurrent requests give one result; the last administrator stays."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.staff import services
from portal.staff.errors import StaffError
from portal.staff.errors import StaffErrorCode as Code
from portal.staff.models import InvitationStatus, StaffInvitation, StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole
from portal.staff_permissions import StaffPermission, staff_permissions_of
from portal.workflow.models import StatusChange
from tests import factories as f
from tests.staff.conftest import refusal
from tests.support.concurrency import run_copies, run_together

pytestmark = pytest.mark.django_db

PASSWORD = "quiet harbour lantern 42"


def invite(actor, **overrides):
    answers: dict[str, Any] = {
        "email": "sam.assessor@regulator.example",
        "full_name": "Sam Assessor",
        "roles": [StaffRole.REGISTRATION_ASSESSOR],
        "team_ids": [],
    }
    answers.update(overrides)
    return services.invite_staff(actor=actor, **answers)


# --- Inviting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("", Code.EMAIL_MISSING),
        ("   ", Code.EMAIL_MISSING),
        ("a" * 310 + "@regulator.example", Code.EMAIL_TOO_LONG),
        ("not an address", Code.EMAIL_INVALID),
        ("sam@care-home.example", Code.EMAIL_NOT_REGULATOR_DOMAIN),
        ("sam@regulator.example.evil.example", Code.EMAIL_NOT_REGULATOR_DOMAIN),
        ("sam@evil.example?@regulator.example", Code.EMAIL_INVALID),
        ("<script>alert(1)</script>@regulator.example", Code.EMAIL_INVALID),
        ("x'; DROP TABLE staff_staffmember; --@regulator.example", Code.EMAIL_INVALID),
        ("../../etc/passwd@regulator.example", Code.EMAIL_INVALID),
    ],
)
def test_an_invitation_needs_an_address_at_the_regulators_domain(administrator, email, code):
    refused = refusal(lambda: invite(administrator, email=email))
    assert refused.code == code
    assert refused.field == "email"
    assert not StaffInvitation.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"full_name": ""}, Code.NAME_MISSING, "full_name"),
        ({"full_name": "x" * 201}, Code.NAME_TOO_LONG, "full_name"),
        ({"roles": []}, Code.ROLES_MISSING, "roles"),
        ({"roles": ["superuser"]}, Code.ROLE_UNKNOWN, "roles"),
        ({"team_ids": ["999999"]}, Code.TEAM_UNKNOWN, "teams"),
        ({"team_ids": ["1 OR 1=1"]}, Code.TEAM_UNKNOWN, "teams"),
    ],
)
def test_an_invitation_with_bad_answers_is_refused(administrator, overrides, code, field):
    refused = refusal(lambda: invite(administrator, **overrides))
    assert (refused.code, refused.field) == (code, field)
    assert not StaffInvitation.objects.exists()


def test_the_regulators_domains_come_from_settings(administrator, settings):
    settings.STAFF_EMAIL_DOMAINS = ["cqc.example", "regulator.example"]
    invitation, _token = invite(administrator, email="Sam@CQC.example")
    assert invitation.email == "sam@cqc.example"


def test_an_invitation_is_emailed_audited_and_holds_roles_and_teams(administrator, london_care):
    invitation, token = invite(
        administrator,
        roles=[StaffRole.TEAM_LEADER, StaffRole.INSPECTOR],
        team_ids=[str(london_care.pk)],
    )
    assert invitation.roles == [StaffRole.INSPECTOR, StaffRole.TEAM_LEADER]
    assert list(invitation.teams.all()) == [london_care]
    assert invitation.token_hmac == services.token_hmac(token)
    assert token not in str(StaffInvitation.objects.values().get())
    message = OutboxMessage.objects.get(to="sam.assessor@regulator.example")
    assert f"/staff-invitation/{token}/" in message.body
    assert "Inspector, Team leader" in message.body
    event = AuditEvent.objects.get(verb="staff.invitation_sent")
    assert event.data["roles"] == ["inspector", "team_leader"]
    assert event.data["teams"] == ["London adult social care"]


def test_the_same_address_cannot_be_invited_twice_or_if_it_has_an_account(administrator):
    invite(administrator)
    assert refusal(lambda: invite(administrator)).code == Code.ALREADY_INVITED
    assert (
        refusal(lambda: invite(administrator, email=administrator.email)).code
        == Code.ALREADY_HAS_ACCOUNT
    )
    assert StaffInvitation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_invitations_to_one_address_at_once_make_one(administrator):
    outcomes = run_copies(lambda: invite(administrator), 2)
    assert sum(isinstance(o, StaffError) for o in outcomes) == 1
    assert StaffInvitation.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


# --- Accepting ---------------------------------------------------------------------------


def test_accepting_creates_a_regulator_account_with_the_invited_roles(administrator, london_care):
    _invitation, token = invite(administrator, team_ids=[london_care.pk])
    user = services.accept_invitation(token=token, full_name="Sam  Assessor ", password=PASSWORD)
    assert user.is_staff
    assert user.check_password(PASSWORD)
    assert user.full_name == "Sam Assessor"
    member = StaffMember.objects.get(user=user)
    assert member.roles == [StaffRole.REGISTRATION_ASSESSOR]
    assert list(member.teams.all()) == [london_care]
    invitation = StaffInvitation.objects.get()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.member == member
    assert StatusChange.objects.filter(action="accept", to_status="accepted").count() == 1
    assert AuditEvent.objects.filter(verb="staff.invitation.accept").count() == 1
    # No second factor yet: no staff permission until one is set up.
    assert staff_permissions_of(User.objects.get(pk=user.pk)) == frozenset()


def test_a_replayed_acceptance_is_refused_and_changes_nothing(administrator):
    _invitation, token = invite(administrator)
    services.accept_invitation(token=token, full_name="Sam", password=PASSWORD)
    replay = refusal(lambda: services.accept_invitation(token=token, full_name="Eve", password="x"))
    assert replay.code == Code.INVITATION_USED
    assert User.objects.get(email="sam.assessor@regulator.example").full_name == "Sam"


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_account(administrator):
    _invitation, token = invite(administrator)
    outcomes = run_copies(
        lambda: services.accept_invitation(token=token, full_name="Sam", password=PASSWORD), 2
    )
    assert sum(isinstance(o, User) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, StaffError)] == [Code.INVITATION_USED]
    assert StaffMember.objects.filter(user__email="sam.assessor@regulator.example").count() == 1


@pytest.mark.parametrize("token", ["", "nope", "x" * 101, "../../admin", "<script>"])
def test_a_made_up_link_is_refused(administrator, token):
    invite(administrator)
    refused = refusal(lambda: services.accept_invitation(token=token, full_name="x", password="y"))
    assert refused.code == Code.INVITATION_LINK_INVALID


def test_an_expired_or_cancelled_invitation_cannot_be_accepted(administrator):
    invitation, token = invite(administrator)
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = refusal(lambda: services.accept_invitation(token=token, full_name="S", password="p"))
    assert expired.code == Code.INVITATION_EXPIRED
    services.cancel_invitation(actor=administrator, invitation_id=invitation.pk)
    cancelled = refusal(
        lambda: services.accept_invitation(token=token, full_name="S", password="p")
    )
    assert cancelled.code == Code.INVITATION_CANCELLED
    assert not User.objects.filter(email=invitation.email).exists()
    again = refusal(
        lambda: services.cancel_invitation(actor=administrator, invitation_id=invitation.pk)
    )
    assert again.code == Code.INVITATION_USED


# --- Roles, teams and the last administrator ----------------------------------------------


def test_permissions_follow_the_current_roles(administrator, london_care):
    inspector = f.staff_member("ian@regulator.example", roles=[StaffRole.INSPECTOR])
    assert staff_permissions_of(inspector) == {
        StaffPermission.VIEW_CASES,
        StaffPermission.VIEW_NOTIFICATIONS_QUEUE,
        StaffPermission.DECIDE_NOTIFICATIONS,
        StaffPermission.VIEW_REGISTER,
        StaffPermission.VIEW_APPLICATIONS,
    }
    services.change_member(
        actor=administrator,
        member_id=inspector.staff_member.pk,
        roles=[StaffRole.TEAM_LEADER],
        team_ids=[london_care.pk],
    )
    fresh = User.objects.get(pk=inspector.pk)
    assert StaffPermission.ASSIGN_CASES in staff_permissions_of(fresh)
    assert list(fresh.staff_member.teams.all()) == [london_care]
    event = AuditEvent.objects.get(verb="staff.member_changed")
    assert event.data["before"]["roles"] == ["inspector"]
    assert event.data["after"] == {
        "roles": ["team_leader"],
        "teams": ["London adult social care"],
        "ended": False,
    }
    assert OutboxMessage.objects.filter(to=inspector.email).count() == 1


def test_permissions_cost_one_query_per_request_user(administrator, django_assert_num_queries):
    fresh = User.objects.get(pk=administrator.pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            assert StaffPermission.MANAGE_STAFF in staff_permissions_of(fresh)
    provider = f.make_user("pat@care.example")
    with django_assert_num_queries(0):
        assert staff_permissions_of(provider) == frozenset()


def test_the_last_administrator_cannot_be_demoted_or_ended(administrator, request_by):
    member_id = administrator.staff_member.pk
    demoted = refusal(
        lambda: services.change_member(
            actor=administrator, member_id=member_id, roles=[StaffRole.INSPECTOR], team_ids=[]
        )
    )
    assert demoted.code == Code.LAST_ADMINISTRATOR
    ended = refusal(
        lambda: services.end_access(
            actor=administrator, member_id=member_id, request=request_by(administrator)
        )
    )
    assert ended.code == Code.LAST_ADMINISTRATOR
    assert StaffMember.objects.get(pk=member_id).roles == [StaffRole.ADMINISTRATOR]
    assert not AuditEvent.objects.filter(verb__startswith="staff.").exists()


@pytest.mark.django_db(transaction=True)
def test_two_administrators_demoting_each_other_at_once_leave_one(administrator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")  # the suite runs on PostgreSQL in CI
    other = f.staff_member("otto.admin@regulator.example", roles=[StaffRole.ADMINISTRATOR])

    def demote(actor, target):
        return lambda: services.change_member(
            actor=actor,
            member_id=target.staff_member.pk,
            roles=[StaffRole.INSPECTOR],
            team_ids=[],
        )

    outcomes = run_together([demote(administrator, other), demote(other, administrator)])
    assert sum(isinstance(o, StaffMember) for o in outcomes) == 1
    assert [o.code for o in outcomes if isinstance(o, StaffError)] == [Code.LAST_ADMINISTRATOR]
    admins = StaffMember.objects.filter(roles__contains=[StaffRole.ADMINISTRATOR.value])
    assert admins.count() == 1


def test_ending_access_signs_out_everywhere_and_keeps_the_history(administrator, request_by):
    leaver = f.staff_member("lee.leaver@regulator.example", roles=[StaffRole.INSPECTOR])
    services.end_access(
        actor=administrator,
        member_id=leaver.staff_member.pk,
        reason="Left the regulator",
        request=request_by(administrator),
    )
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver.staff_member.ended_at is not None
    assert leaver.staff_member.roles == [StaffRole.INSPECTOR]  # history: what they held
    assert staff_permissions_of(User.objects.get(pk=leaver.pk)) == frozenset()
    event = AuditEvent.objects.get(verb="staff.access_ended")
    assert event.data["reason"] == "Left the regulator"
    again = refusal(
        lambda: services.end_access(
            actor=administrator,
            member_id=leaver.staff_member.pk,
            request=request_by(administrator),
        )
    )
    assert again.code == Code.ACCESS_ALREADY_ENDED
    too_long = refusal(
        lambda: services.end_access(
            actor=administrator,
            member_id=administrator.staff_member.pk,
            reason="x" * 501,
            request=request_by(administrator),
        )
    )
    assert too_long.code == Code.REASON_TOO_LONG


# --- Teams -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "region", "sector", "code"),
    [
        ("", Region.LONDON, Sector.DENTAL, Code.TEAM_NAME_MISSING),
        ("x" * 101, Region.LONDON, Sector.DENTAL, Code.TEAM_NAME_TOO_LONG),
        ("Dental", "Atlantis", Sector.DENTAL, Code.REGION_UNKNOWN),
        ("Dental", Region.LONDON, "<script>", Code.SECTOR_UNKNOWN),
        ("london ADULT social care", Region.LONDON, Sector.DENTAL, Code.TEAM_NAME_TAKEN),
        ("Another", Region.LONDON, Sector.ADULT_SOCIAL_CARE, Code.TEAM_REGION_SECTOR_TAKEN),
    ],
)
def test_a_team_needs_a_new_name_and_a_free_region_and_sector(
    administrator, london_care, name, region, sector, code
):
    refused = refusal(
        lambda: services.create_team(actor=administrator, name=name, region=region, sector=sector)
    )
    assert refused.code == code
    assert Team.objects.count() == 1


def test_a_team_is_created_and_renamed_with_audit(administrator, london_care):
    team = services.create_team(
        actor=administrator, name=" London  dental ", region=Region.LONDON, sector=Sector.DENTAL
    )
    assert team.name == "London dental"
    services.change_team(
        actor=administrator,
        team_id=team.pk,
        name="Greater London dental",
        region=Region.LONDON,
        sector=Sector.DENTAL,
    )
    assert Team.objects.get(pk=team.pk).name == "Greater London dental"
    changed = AuditEvent.objects.get(verb="staff.team_changed")
    assert changed.data["before"]["name"] == "London dental"
    # Keeping its own name and place is not a clash with itself.
    services.change_team(
        actor=administrator,
        team_id=london_care.pk,
        name=london_care.name,
        region=london_care.region,
        sector=london_care.sector,
    )
    assert not django_mail.outbox
