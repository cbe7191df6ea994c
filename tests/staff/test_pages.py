"""Staff administration pages: what they show, and bad input kept with a specific error."""

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.emails.models import OutboxMessage
from portal.staff import services
from portal.staff.models import InvitationStatus, StaffInvitation, StaffMember, Team
from portal.staff.roles import Region, Sector, StaffRole
from tests import factories as f

pytestmark = pytest.mark.django_db

STAFF = "/regulator/staff/"
INVITE = "/regulator/staff/invite/"


def page(response) -> str:
    return response.content.decode()


def test_the_list_shows_members_and_waiting_invitations(admin_client, administrator, london_care):
    leader = f.staff_member(
        "tess.leader@regulator.example",
        roles=[StaffRole.TEAM_LEADER],
        teams=[london_care],
        full_name="Tess Leader",
    )
    User.objects.filter(pk=leader.pk).update(last_login=timezone.now())
    services.invite_staff(
        actor=administrator,
        email="ivy@regulator.example",
        full_name="Ivy Invited",
        roles=[StaffRole.INSPECTOR],
    )
    html = page(admin_client.get(STAFF))
    for text in (
        "Tess Leader",
        "tess.leader@regulator.example",
        "Team leader",
        "London adult social care",
        "Active",
        "Ivy Invited",
        "Inspector",
    ):
        assert text in html, text


def test_the_navigation_offers_staff_and_teams_only_to_those_who_manage_staff(
    client, administrator
):
    client.force_login(administrator)
    assert 'href="/regulator/staff/"' in page(client.get("/home/"))
    client.force_login(f.staff_member("ian@regulator.example", roles=[StaffRole.INSPECTOR]))
    assert 'href="/regulator/staff/"' not in page(client.get("/home/"))


def test_inviting_from_the_page_sends_the_invitation(admin_client, london_care):
    response = admin_client.post(
        INVITE,
        {
            "email": "sam@regulator.example",
            "full_name": "Sam Assessor",
            "roles": [StaffRole.REGISTRATION_ASSESSOR],
            "teams": [str(london_care.pk)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == STAFF
    invitation = StaffInvitation.objects.get()
    assert list(invitation.teams.all()) == [london_care]
    assert OutboxMessage.objects.filter(to="sam@regulator.example").count() == 1


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({"email": ""}, "Enter their email address"),
        ({"email": "a" * 321}, "Email address must be 320 characters or fewer"),
        ({"email": "sam@care.example"}, "regulator&#39;s own email domain"),
        ({"email": "<script>x</script>@regulator.example"}, "Enter an email address"),
        ({"full_name": ""}, "Enter their full name"),
        ({"full_name": "x" * 201}, "Full name must be 200 characters or fewer"),
        ({"roles": []}, "Select at least one role"),
        ({"roles": ["root"]}, "Select roles from the list"),
        ({"teams": ["99999"]}, "Select teams from the list"),
    ],
)
def test_bad_invitations_are_refused_and_every_answer_kept(admin_client, answers, error):
    posted = {
        "email": "sam@regulator.example",
        "full_name": "Sam <b>Assessor</b>",
        "roles": [StaffRole.INSPECTOR],
    }
    posted.update(answers)
    response = admin_client.post(INVITE, posted)
    html = page(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert error in html
    assert "<b>Assessor</b>" not in html  # hostile text is shown as text
    if answers.get("full_name") is None and "full_name" not in answers:
        assert "Sam &lt;b&gt;Assessor&lt;/b&gt;" in html
    assert not StaffInvitation.objects.exists()


def test_a_double_submitted_invitation_sends_one(admin_client):
    posted = {"email": "sam@regulator.example", "full_name": "Sam", "roles": ["inspector"]}
    assert admin_client.post(INVITE, posted).status_code == 302
    again = admin_client.post(INVITE, posted)
    assert "has already been invited" in page(again)
    assert StaffInvitation.objects.count() == 1


def test_cancelling_an_invitation(admin_client, administrator):
    invitation, _token = services.invite_staff(
        actor=administrator, email="sam@regulator.example", full_name="Sam", roles=["inspector"]
    )
    url = f"/regulator/staff/invitations/{invitation.pk}/cancel/"
    assert admin_client.get(url).status_code == 405
    assert "cancelled" in page(admin_client.post(url, follow=True))
    assert StaffInvitation.objects.get().status == InvitationStatus.CANCELLED
    replay = admin_client.post(url, follow=True)
    assert "already been cancelled" in page(replay)
    assert admin_client.post("/regulator/staff/invitations/999999/cancel/").status_code == 404


def test_changing_roles_and_the_last_administrator(admin_client, administrator, london_care):
    ian = f.staff_member("ian@regulator.example", roles=[StaffRole.INSPECTOR])
    url = f"/regulator/staff/{ian.staff_member.pk}/"
    assert "ian@regulator.example" in page(admin_client.get(url))
    response = admin_client.post(
        url, {"roles": ["inspector", "team_leader"], "teams": [str(london_care.pk)]}
    )
    assert response.status_code == 302
    assert StaffMember.objects.get(pk=ian.staff_member.pk).roles == ["inspector", "team_leader"]
    own = f"/regulator/staff/{administrator.staff_member.pk}/"
    refused = admin_client.post(own, {"roles": ["inspector"]})
    assert "must keep at least one administrator" in page(refused)
    assert StaffMember.objects.get(user=administrator).roles == ["administrator"]
    assert admin_client.post(url, {"roles": []}).status_code == 200
    assert admin_client.get("/regulator/staff/999999/").status_code == 404


def test_ending_access_from_the_page(admin_client):
    lee = f.staff_member("lee@regulator.example", roles=[StaffRole.INSPECTOR])
    url = f"/regulator/staff/{lee.staff_member.pk}/end-access/"
    assert "End the access of" in page(admin_client.get(url))
    too_long = admin_client.post(url, {"reason": "x" * 501})
    assert "500 characters or fewer" in page(too_long)
    assert admin_client.post(url, {"reason": "Left"}).status_code == 302
    assert not User.objects.get(pk=lee.pk).is_active
    # Replayed: the member's page, which says access ended; nothing is written twice.
    assert admin_client.post(url, {"reason": "Left"}).status_code == 302
    assert AuditEvent.objects.filter(verb="staff.access_ended").count() == 1
    assert "Access ended" in page(admin_client.get(STAFF))


def test_teams_are_created_and_renamed_from_the_pages(admin_client, london_care):
    created = admin_client.post(
        "/regulator/staff/teams/",
        {"name": "London dental", "region": Region.LONDON, "sector": Sector.DENTAL},
    )
    assert created.status_code == 302
    team = Team.objects.get(name="London dental")
    clash = admin_client.post(
        f"/regulator/staff/teams/{team.pk}/",
        {"name": "London adult social care", "region": Region.LONDON, "sector": Sector.DENTAL},
    )
    assert "A team with this name already exists" in page(clash)
    bad = admin_client.post("/regulator/staff/teams/", {"name": "", "region": "Mars", "sector": ""})
    html = page(bad)
    assert "Enter the team&#39;s name" in html
    assert "Select the team&#39;s region from the list" in html
    assert Team.objects.count() == 2
    assert "London dental" in page(admin_client.get("/regulator/staff/teams/"))


# --- Accepting an invitation -------------------------------------------------------------


def test_accepting_sets_a_password_then_sends_to_set_up_an_authenticator(client, administrator):
    _invitation, token = services.invite_staff(
        actor=administrator, email="sam@regulator.example", full_name="Sam", roles=["inspector"]
    )
    url = f"/staff-invitation/{token}/"
    html = page(client.get(url))
    assert "Join the regulator" in html
    assert 'value="Sam"' in html
    weak = client.post(url, {"full_name": "Sam", "password": "password"})
    assert "govuk-error-summary" in page(weak)
    assert not User.objects.filter(email="sam@regulator.example").exists()
    done = client.post(url, {"full_name": "Sam Assessor", "password": "quiet harbour lantern"})
    assert done["Location"] == "/set-up-authenticator/"
    assert client.get("/set-up-authenticator/").status_code == 200
    # Not signed in yet: staff pages need the authenticator first.
    assert client.get("/regulator/notifications/").status_code == 302
    replay = client.post(url, {"full_name": "Eve", "password": "quiet harbour lantern"})
    assert replay.status_code == 404
    assert "already been used" in page(replay)


def test_a_made_up_invitation_link_is_refused(client):
    response = client.get("/staff-invitation/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in page(response)
