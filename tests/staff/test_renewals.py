"""Reinstating an ended member and resending an invitation: services and pages, the rate limit,
the old link void, audited and emailed, administrators only, the last-administrator rule."""

import datetime as dt

import pytest
from django.urls import get_resolver
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.staff import renewals, services
from portal.staff.errors import StaffError
from portal.staff.errors import StaffErrorCode as Code
from portal.staff.models import InvitationStatus, StaffInvitation, StaffMember
from portal.staff.roles import StaffRole
from portal.staff_permissions import StaffPermission, staff_permissions_of
from tests import factories as f
from tests.staff.conftest import refusal
from tests.support.concurrency import run_copies
from tests.support.url_access import walk
from tests.test_staff_permissions import sample_path

pytestmark = pytest.mark.django_db

PASSWORD = "quiet harbour lantern 42"


def invite(administrator, london_care=None):
    return services.invite_staff(
        actor=administrator,
        email="sam@regulator.example",
        full_name="Sam Assessor",
        roles=[StaffRole.REGISTRATION_ASSESSOR],
        team_ids=[london_care.pk] if london_care else [],
    )


def later(invitation: StaffInvitation, minutes: int) -> None:
    """As if the invitation was last sent `minutes` ago."""
    then = timezone.now() - dt.timedelta(minutes=minutes)
    resent = StaffInvitation.objects.get(pk=invitation.pk).resent_at
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        created_at=then, resent_at=then if resent else None
    )


def outbox_for(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=address).order_by("created_at"))


# --- Resending ---------------------------------------------------------------------------


def test_resending_makes_a_new_link_and_voids_the_old(administrator, london_care):
    invitation, old_token = invite(administrator, london_care)
    later(invitation, 3)
    resent, new_token = renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)
    assert new_token != old_token
    assert resent.times_sent == 2
    assert resent.expires_at > timezone.now() + dt.timedelta(hours=71)
    assert services.invitation_for_token(old_token) is None
    assert services.invitation_for_token(new_token) == resent
    sent = outbox_for("sam@regulator.example")
    assert len(sent) == 2
    assert new_token in sent[-1].body
    assert old_token not in sent[-1].body
    assert "London adult social care" in sent[-1].body
    event = AuditEvent.objects.get(verb="staff.invitation_resent")
    assert event.data == {"email": "sam@regulator.example", "times_sent": 2}
    assert old_token not in str(event.data)
    assert new_token not in str(event.data)
    # The old link is refused; the new one creates the account.
    assert (
        refusal(
            lambda: services.accept_invitation(token=old_token, full_name="Sam", password=PASSWORD)
        ).code
        == Code.INVITATION_LINK_INVALID
    )
    user = services.accept_invitation(token=new_token, full_name="Sam", password=PASSWORD)
    assert user.email == "sam@regulator.example"


def test_an_expired_invitation_can_be_sent_again_and_works(administrator):
    invitation, _token = invite(administrator)
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=4),
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    _resent, token = renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)
    assert services.usable_invitation(services.invitation_for_token(token)).pk == invitation.pk


def test_resending_is_rate_limited(administrator):
    invitation, _token = invite(administrator)
    too_soon = refusal(
        lambda: renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)
    )
    assert too_soon.code == Code.INVITATION_RESENT_RECENTLY
    assert "Wait" in too_soon.message
    for _ in range(renewals.SENDS_MAX - 1):
        later(StaffInvitation.objects.get(pk=invitation.pk), 3)
        renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)
    later(StaffInvitation.objects.get(pk=invitation.pk), 60)
    too_often = refusal(
        lambda: renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)
    )
    assert too_often.code == Code.INVITATION_SENT_TOO_OFTEN
    assert len(outbox_for("sam@regulator.example")) == renewals.SENDS_MAX
    assert AuditEvent.objects.filter(verb="staff.invitation_resent").count() == (
        renewals.SENDS_MAX - 1
    )


def test_an_accepted_or_cancelled_invitation_is_not_sent_again(administrator):
    invitation, token = invite(administrator)
    services.accept_invitation(token=token, full_name="Sam", password=PASSWORD)
    later(invitation, 10)
    used = refusal(
        lambda: renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)
    )
    assert used.code == Code.INVITATION_USED
    other, _token = services.invite_staff(
        actor=administrator, email="kim@regulator.example", full_name="Kim", roles=["inspector"]
    )
    services.cancel_invitation(actor=administrator, invitation_id=other.pk)
    later(other, 10)
    cancelled = refusal(
        lambda: renewals.resend_invitation(actor=administrator, invitation_id=other.pk)
    )
    assert cancelled.code == Code.INVITATION_CANCELLED
    assert not AuditEvent.objects.filter(verb="staff.invitation_resent").exists()


@pytest.mark.django_db(transaction=True)
def test_two_resends_at_once_send_one():
    administrator = f.staff_member("ada.admin@regulator.example", roles=["administrator"])
    invitation, _token = invite(administrator)
    later(invitation, 3)

    def resend():
        return renewals.resend_invitation(actor=administrator, invitation_id=invitation.pk)[1]

    outcomes = run_copies(resend, 2)
    assert len([o for o in outcomes if isinstance(o, str)]) == 1
    refused = [o for o in outcomes if isinstance(o, StaffError)]
    assert [error.code for error in refused] == [Code.INVITATION_RESENT_RECENTLY]
    assert StaffInvitation.objects.get().times_sent == 2


# --- Reinstating -------------------------------------------------------------------------


def end(administrator, request_by, member_user: User) -> None:
    services.end_access(
        actor=administrator,
        member_id=member_user.staff_member.pk,
        reason="Left",
        request=request_by(administrator),
    )


def test_reinstating_gives_back_the_roles_and_teams_they_had(
    administrator, london_care, request_by
):
    lee = f.staff_member("lee@regulator.example", roles=[StaffRole.INSPECTOR])
    lee.staff_member.teams.add(london_care)
    end(administrator, request_by, lee)
    assert staff_permissions_of(User.objects.get(pk=lee.pk)) == frozenset()
    member = renewals.reinstate_member(actor=administrator, member_id=lee.staff_member.pk)
    assert member.ended_at is None
    back = User.objects.get(pk=lee.pk)
    assert back.is_active
    assert StaffPermission.DECIDE_NOTIFICATIONS in staff_permissions_of(back)
    event = AuditEvent.objects.get(verb="staff.access_reinstated")
    assert event.data == {
        "user": lee.pk,
        "roles": [StaffRole.INSPECTOR],
        "teams": ["London adult social care"],
    }
    email = outbox_for("lee@regulator.example")[-1]
    assert "access to" in email.subject
    assert "is back" in email.subject
    again = refusal(
        lambda: renewals.reinstate_member(actor=administrator, member_id=lee.staff_member.pk)
    )
    assert again.code == Code.ACCESS_NOT_ENDED
    assert AuditEvent.objects.filter(verb="staff.access_reinstated").count() == 1


def test_the_last_administrator_rule_holds_after_a_reinstatement(administrator, request_by):
    other = f.staff_member("olu.admin@regulator.example", roles=[StaffRole.ADMINISTRATOR])
    end(administrator, request_by, other)
    # Only one administrator is current: they cannot end their own access.
    last = refusal(lambda: end(administrator, request_by, administrator))
    assert last.code == Code.LAST_ADMINISTRATOR
    renewals.reinstate_member(actor=administrator, member_id=other.staff_member.pk)
    # Two again: now one of them may go.
    end(other, request_by, administrator)
    assert StaffMember.objects.get(user=administrator).ended_at is not None


# --- Pages -------------------------------------------------------------------------------


def test_resend_and_reinstate_are_staff_urls_for_administrators_only():
    urls = {
        sample_path(route): access
        for route, view in walk(get_resolver())
        if (access := getattr(view, "portal_access", "") or "").startswith("staff.")
    }
    resend = [path for path in urls if path.endswith("/resend/")]
    reinstate = [path for path in urls if path.endswith("/reinstate/")]
    assert resend
    assert reinstate
    for path in resend + reinstate:
        assert urls[path] == StaffPermission.MANAGE_STAFF.required


def test_sending_again_from_the_staff_list(admin_client, administrator):
    invitation, _token = invite(administrator)
    listing = admin_client.get("/regulator/staff/").content.decode()
    url = f"/regulator/staff/invitations/{invitation.pk}/resend/"
    assert f'action="{url}"' in listing
    assert admin_client.get(url).status_code == 405
    too_soon = admin_client.post(url, follow=True).content.decode()
    assert "Wait" in too_soon
    assert "before sending it again" in too_soon
    later(invitation, 3)
    sent = admin_client.post(url, follow=True).content.decode()
    assert "Invitation sent again to sam@regulator.example" in sent
    assert StaffInvitation.objects.get().times_sent == 2
    assert admin_client.post("/regulator/staff/invitations/999999/resend/").status_code == 404


def test_giving_access_back_from_the_member_page(admin_client, administrator, request_by):
    lee = f.staff_member("lee@regulator.example", roles=[StaffRole.INSPECTOR], full_name="Lee")
    url = f"/regulator/staff/{lee.staff_member.pk}/reinstate/"
    # A current member has nothing to give back: the page goes to their record.
    assert admin_client.get(url)["Location"] == f"/regulator/staff/{lee.staff_member.pk}/"
    end(administrator, request_by, lee)
    member_page = admin_client.get(f"/regulator/staff/{lee.staff_member.pk}/").content.decode()
    assert f'href="{url}"' in member_page
    confirm = admin_client.get(url).content.decode()
    assert "Give Lee their access back?" in confirm
    assert "Inspector" in confirm
    done = admin_client.post(url, follow=True).content.decode()
    assert "Access of lee@regulator.example given back" in done
    assert User.objects.get(pk=lee.pk).is_active
    replay = admin_client.post(url, follow=True).content.decode()
    assert "access has not ended" in replay
    assert AuditEvent.objects.filter(verb="staff.access_reinstated").count() == 1
    assert admin_client.get("/regulator/staff/999999/reinstate/").status_code == 404


def test_an_invitation_still_waits_in_the_list_with_the_new_expiry(admin_client, administrator):
    invitation, _token = invite(administrator)
    later(invitation, 3)
    admin_client.post(f"/regulator/staff/invitations/{invitation.pk}/resend/")
    assert StaffInvitation.objects.get().status == InvitationStatus.PENDING
