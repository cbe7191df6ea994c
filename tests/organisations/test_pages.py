"""Delegation pages through the checking client: journeys, errors, replays, hostile input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.emails.models import OutboxMessage
from portal.organisations import services
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.organisations.helpers import VIEW, expire, invite


def team_url(world):
    return reverse("organisations:team", kwargs={"provider_id": world.p.pk})


def step(world, name):
    return reverse(f"organisations:{name}", kwargs={"provider_id": world.p.pk})


def test_team_page_shows_registered_people_members_invitations_and_requests(client, world):
    invite(world, "pending@x.example")
    services.request_to_join(user=world.users["requester"], provider=world.p, message="")
    client.force_login(world.users["ni"])
    html = client.get(team_url(world)).content.decode()
    for text in (
        "Nina Ni",
        "Nominated individual",
        "Rita Rm",
        "Registered manager",
        "Sunrise House",
        "delegate_notifications_a@sunrise.example",
        "Draft and submit notifications",
        "pending@x.example",
        "Rory Requester",
        "Invite someone",
    ):
        assert text in html, text
    # Nothing of another provider, in lists or counts.
    assert "Olga" not in html
    assert "Other Care" not in html


def test_registered_manager_sees_only_their_part_of_the_team(client, world):
    client.force_login(world.users["rm_b"])
    html = client.get(team_url(world)).content.decode()
    assert "Bob Rm" in html
    assert "Nina Ni" in html
    assert "Rita Rm" not in html  # the manager of another location is not
    assert "delegate_view_a@sunrise.example" not in html
    assert "delegate_view_whole@sunrise.example" in html


def test_invite_journey_with_errors_then_check_answers_and_sent(client, world):
    client.force_login(world.users["ni"])
    response = client.post(step(world, "invite_email"), {"email": ""})
    assert "Enter their email address" in response.content.decode()
    assert "<title>Error: What is their email address?" in response.content.decode()
    response = client.post(step(world, "invite_email"), {"email": "not an email"})
    assert "Enter an email address in the correct format" in response.content.decode()
    response = client.post(step(world, "invite_email"), {"email": "office\x07@x.example"})
    assert 'value="office@x.example"' in response.content.decode()  # shown back, bell dropped
    response = client.post(step(world, "invite_email"), {"email": "x" * 400 + "@x.example"})
    assert "320 characters or fewer" in response.content.decode()
    response = client.post(step(world, "invite_email"), {"email": "Office.Admin@Sunrise.example"})
    assert response["Location"] == step(world, "invite_access")
    response = client.post(step(world, "invite_access"), {})
    assert "Select what they can do" in response.content.decode()
    response = client.post(step(world, "invite_access"), {"permissions": ["fly"]})
    assert "Select what they can do from the list" in response.content.decode()
    response = client.post(step(world, "invite_access"), {"permissions": ["notifications"]})
    assert response["Location"] == step(world, "invite_locations")
    response = client.post(step(world, "invite_locations"), {})
    assert "Select where they can act" in response.content.decode()
    for hostile in ([world.c.pk], ["divider"], ["<script>"], ["' OR 1=1 --"], ["x" * 5000]):
        response = client.post(step(world, "invite_locations"), {"locations": hostile})
        assert "Select locations from the list" in response.content.decode()
    response = client.post(step(world, "invite_locations"), {"locations": [world.a.pk]})
    assert response["Location"] == step(world, "invite_check")
    html = client.get(step(world, "invite_check")).content.decode()
    assert "office.admin@sunrise.example" in html
    assert "Sunrise House" in html
    assert "Draft and submit notifications" in html
    response = client.post(step(world, "invite_check"))
    invitation = Invitation.objects.get()
    assert response["Location"].endswith(f"/invitations/{invitation.pk}/?sent=1")
    html = client.get(response["Location"]).content.decode()
    assert "Invitation sent" in html
    assert list(invitation.locations.all()) == [world.a]
    # Replaying the final POST does not send a second invitation: the answers are gone.
    response = client.post(step(world, "invite_check"))
    assert response["Location"] == step(world, "invite_email")
    assert Invitation.objects.count() == 1


def check_invitation(client, world, who, email, level):
    """`who` sends, from the check page, an invitation to `email` for the whole provider."""
    client.force_login(world.users[who])
    session = client.session
    answers = {"email": email, "levels": [level], "whole_provider": True, "locations": []}
    session[f"organisations.invite.{world.p.pk}"] = answers
    session.save()
    return client.post(step(world, "invite_check"))


def test_invite_check_shows_service_refusals(client, world):
    response = check_invitation(client, world, "ni", "delegate_view_a@sunrise.example", "view")
    assert response.status_code == 302
    # A refusal about one answer goes back to that question, against its field, answer kept.
    assert response["Location"] == step(world, "invite_email") + "?change=1"
    html = client.get(response["Location"]).content.decode()
    assert "<title>Error: " in html
    assert 'href="#id_email"' in html
    assert "govuk-error-message" in html
    assert "already has access" in html
    assert 'value="delegate_view_a@sunrise.example"' in html
    # Shown once: the page read again is the plain question.
    assert "already has access" not in client.get(response["Location"]).content.decode()


def test_invite_check_refusal_about_permissions_goes_back_to_that_question(client, world):
    # A delegate who manages the team but cannot submit notifications asks for more.
    response = check_invitation(
        client, world, "delegate_team_whole", "someone.new@example.com", "notifications"
    )
    assert response["Location"] == step(world, "invite_access") + "?change=1"
    html = client.get(response["Location"]).content.decode()
    assert 'href="#id_permissions"' in html
    assert "You cannot give someone access you do not have yourself" in html
    assert "govuk-error-message" in html
    assert Invitation.objects.count() == 0


def test_registered_manager_is_offered_only_their_own_locations(client, world):
    client.force_login(world.users["rm_a"])
    client.post(step(world, "invite_email"), {"email": "colleague@x.example"})
    client.post(step(world, "invite_access"), {"permissions": ["view"]})
    html = client.get(step(world, "invite_locations")).content.decode()
    assert "Sunrise House" in html
    assert "Sunset Lodge" not in html
    assert "All locations" not in html
    response = client.post(step(world, "invite_locations"), {"locations": [world.b.pk]})
    assert "Select locations from the list" in response.content.decode()
    client.post(step(world, "invite_locations"), {"locations": [world.a.pk]})
    client.post(step(world, "invite_check"))
    assert list(Invitation.objects.get().locations.all()) == [world.a]


def test_accept_page_for_signed_in_invitee_signed_out_and_wrong_account(client, world):
    invitee = make_user("office.admin@sunrise.example")
    _invitation, token = services.invite(
        actor=world.users["ni"],
        provider=world.p,
        email=invitee.email,
        permissions=VIEW,
        whole_provider=False,
        location_ids=[world.a.pk],
    )
    url = reverse("organisations:invitation", kwargs={"token": token})
    # Signed out: explains both routes; GET never uses the invitation.
    html = client.get(url).content.decode()
    assert "You have been invited to act for Sunrise Care Ltd" in html
    assert "/sign-in/?next=" in html
    assert "/sign-up/" in html
    assert "authenticator app" in html
    # Signed in as someone else: refused, with the way forward.
    client.force_login(world.users["requester"])
    response = client.get(url)
    assert response.status_code == 403
    assert "sign out" in response.content.decode()
    assert client.post(url).status_code == 403
    assert Invitation.objects.get().status == InvitationStatus.PENDING
    # The invitee accepts.
    client.force_login(invitee)
    assert "Accept invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("organisations:providers")
    assert Membership.objects.filter(user=invitee, provider=world.p).exists()
    html = client.get(reverse("organisations:providers")).content.decode()
    assert "You now have access to Sunrise Care Ltd" in html
    # Replayed: the link is used up.
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_invalid_and_expired_links(client, world):
    assert (
        client.get(reverse("organisations:invitation", kwargs={"token": "nope"})).status_code == 404
    )
    assert client.get("/invitations/%3Cscript%3E/").status_code == 404
    invitation, token = invite(world, "late@x.example")
    expire(invitation, seconds=1)
    response = client.get(reverse("organisations:invitation", kwargs={"token": token}))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_resend_and_cancel_from_the_pages(client, world):
    invitation, _ = invite(world, "p@x.example")
    client.force_login(world.users["ni"])
    kwargs = {"provider_id": world.p.pk, "invitation_id": invitation.pk}
    response = client.post(reverse("organisations:invitation_resend", kwargs=kwargs))
    assert response.status_code == 302
    assert "less than a minute ago" in client.get(team_url(world)).content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(minutes=2)
    )
    client.post(reverse("organisations:invitation_resend", kwargs=kwargs))
    assert OutboxMessage.objects.filter(to="p@x.example").count() == 2
    assert (
        "Cancel the invitation to p@x.example?"
        in client.get(reverse("organisations:invitation_cancel", kwargs=kwargs)).content.decode()
    )
    client.post(reverse("organisations:invitation_cancel", kwargs=kwargs))
    assert Invitation.objects.get().status == InvitationStatus.CANCELLED
    assert "Invitation to p@x.example cancelled" in client.get(team_url(world)).content.decode()
    assert "p@x.example" not in client.get(team_url(world)).content.decode()


def test_change_suspend_reinstate_remove_pages(client, world):
    membership = world.memberships["delegate_view_a"]
    kwargs = {"provider_id": world.p.pk, "membership_id": membership.pk}
    client.force_login(world.users["ni"])
    assert (
        "Change access for"
        in client.get(reverse("organisations:member_change", kwargs=kwargs)).content.decode()
    )
    response = client.post(
        reverse("organisations:member_change", kwargs=kwargs),
        {"permissions": [], "locations": []},
    )
    html = response.content.decode()
    assert "Select what they can do" in html
    assert "Select where they can act" in html
    response = client.post(
        reverse("organisations:member_change", kwargs=kwargs),
        {"permissions": ["notifications"], "locations": ["whole", world.a.pk]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.whole_provider
    for action, status in (
        ("suspend", MembershipStatus.SUSPENDED),
        ("reinstate", MembershipStatus.ACTIVE),
        ("remove", MembershipStatus.REMOVED),
    ):
        url = reverse(f"organisations:member_{action}", kwargs=kwargs)
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 302
        membership.refresh_from_db()
        assert membership.status == status
    # Removed: gone from the team page and its own pages.
    assert client.get(reverse("organisations:member", kwargs=kwargs)).status_code == 404


def test_cannot_change_yourself_through_the_pages(client, world):
    me = world.memberships["delegate_team_whole"]
    client.force_login(world.users["delegate_team_whole"])
    kwargs = {"provider_id": world.p.pk, "membership_id": me.pk}
    assert client.post(reverse("organisations:member_remove", kwargs=kwargs)).status_code == 403


def test_join_request_journey_and_decision_pages(client, world):
    requester = world.users["requester"]
    client.force_login(requester)
    url = reverse("organisations:join")
    for data, message in (
        ({"provider_id": ""}, "Enter the provider ID"),
        ({"provider_id": "1-999999999"}, "We cannot find a provider with that ID"),
        ({"provider_id": "'; DROP TABLE x;--"}, "Enter a provider ID in the correct format"),
        ({"provider_id": "../../etc"}, "Enter a provider ID in the correct format"),
        ({"provider_id": "1" * 21}, "20 characters or fewer"),
        ({"provider_id": world.p.pk, "message": "x" * 1001}, "1000 characters or fewer"),
    ):
        response = client.post(url, data)
        assert message in response.content.decode(), message
    response = client.post(
        url, {"provider_id": f" {world.p.pk} ", "message": "Deputy at Sunset Lodge <script>"}
    )
    join_request = JoinRequest.objects.get()
    assert response["Location"] == reverse(
        "organisations:join_sent", kwargs={"request_id": join_request.pk}
    )
    assert "Request sent" in client.get(response["Location"]).content.decode()
    # Asking twice is refused with a clear message.
    assert "already asked" in client.post(url, {"provider_id": world.p.pk}).content.decode()

    client.force_login(world.users["rm_b"])
    kwargs = {"provider_id": world.p.pk, "request_id": join_request.pk}
    html = client.get(reverse("organisations:join_request", kwargs=kwargs)).content.decode()
    assert "Deputy at Sunset Lodge &lt;script&gt;" in html
    response = client.post(
        reverse("organisations:join_request_approve", kwargs=kwargs),
        {"permissions": ["view"], "locations": [world.a.pk]},
    )
    assert "Select locations from the list" in response.content.decode()
    response = client.post(
        reverse("organisations:join_request_approve", kwargs=kwargs),
        {"permissions": ["notifications"], "locations": [world.b.pk]},
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    membership = Membership.objects.get(user=requester)
    assert list(membership.locations.all()) == [world.b]
    # The decided request is gone: replaying a decision answers 404.
    assert (
        client.post(
            reverse("organisations:join_request_refuse", kwargs=kwargs), {"reason": "x"}
        ).status_code
        == 404
    )


def test_refuse_page_needs_a_reason(client, world):
    join_request = services.request_to_join(
        user=world.users["requester"], provider=world.p, message=""
    )
    client.force_login(world.users["ni"])
    url = reverse(
        "organisations:join_request_refuse",
        kwargs={"provider_id": world.p.pk, "request_id": join_request.pk},
    )
    assert (
        "Enter why you are refusing the request"
        in client.post(url, {"reason": ""}).content.decode()
    )
    assert client.post(url, {"reason": "We do not know you"}).status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSED


def test_provider_switcher(client, world):
    user = make_user("two.hats@x.example")
    give_access(user, world.p, ["view"])
    give_access(user, world.q, ["view"])
    client.force_login(user)
    html = client.get(reverse("organisations:providers")).content.decode()
    assert "Sunrise Care Ltd" in html
    assert "Other Care Ltd" in html
    assert (
        "Select the provider"
        in client.post(reverse("organisations:providers"), {"provider": ""}).content.decode()
    )
    assert (
        "Select the provider"
        in client.post(reverse("organisations:providers"), {"provider": "1-999"}).content.decode()
    )
    response = client.post(reverse("organisations:providers"), {"provider": world.q.pk})
    assert response.status_code == 302
    assert (
        "You are acting for <strong>Other Care Ltd</strong>"
        in client.get(reverse("organisations:providers")).content.decode()
    )


@pytest.mark.parametrize("kind", ["staff", "requester"])
def test_people_without_a_provider_see_how_to_join(client, world, kind):
    client.force_login(world.users[kind])
    html = client.get(reverse("organisations:providers")).content.decode()
    assert "You do not have access to any provider yet" in html


def test_providers_page_says_what_and_where(client, world):
    client.force_login(world.users["delegate_notifications_a"])
    html = client.get(reverse("organisations:providers")).content.decode()
    assert "Draft and submit notifications" in html
    assert "Sunrise House" in html
    assert "Sunset Lodge" not in html
    assert "Team for Sunrise Care Ltd" not in html
    client.force_login(world.users["rm_b"])
    html = client.get(reverse("organisations:providers")).content.decode()
    assert "Registered manager" in html
    assert "Sunset Lodge" in html
    assert "Sunrise House" not in html


def test_team_page_shows_fifty_people_a_page(client, world):
    for i in range(55):
        give_access(make_user(f"m{i:02d}@many.example"), world.p, ["view"], [world.b])
    client.force_login(world.users["ni"])
    first = client.get(team_url(world)).content.decode()
    assert "Registered people" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get(team_url(world) + "?page=2").content.decode()
    assert "Team for Sunrise Care Ltd (page 2)" in second
    assert "Registered people" not in second
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    shown = {
        f"m{i:02d}@many.example" for i in range(55) if f"m{i:02d}@many.example" in first + second
    }
    assert len(shown) == 55
    for odd in ("0", "-1", "abc", "9" * 40, "<script>"):
        assert client.get(team_url(world), {"page": odd}).status_code == 200
