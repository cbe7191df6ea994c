"""Delegation journeys in a real browser, with axe (WCAG 2.2 AA) and keyboard checks on
every page they pass through.

Signing in is the accounts journey's job (another branch), so these tests start with a
session made by Django's test client and hand its cookie to the browser.
"""

import pytest
from django.urls import reverse

from portal.emails.models import OutboxMessage
from portal.organisations import invitation_services, services
from portal.organisations.models import Invitation, JoinRequest, Membership
from portal.register.models import RoleAssignment
from tests.factories.accounts import make_user
from tests.organisations.conftest import build_world
from tests.organisations.helpers import invitation_path, invite_in_the_browser
from tests.support.browser import (
    check_page,
    expect_heading,
    sign_in_with_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ni_invites_an_office_administrator_for_one_location(page, live_server):
    world = build_world()
    admin = make_user("office.admin@sunrise.example", full_name="Olive Office")
    sign_in_with_session(page, live_server, world.users["ni"])

    page.goto(reverse("organisations:team", kwargs={"provider_id": world.p.pk}))
    check_page(page)
    page.get_by_role("button", name="Invite someone").click()
    check_page(page)
    page.get_by_role("button", name="Continue").click()  # nothing entered
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    check_page(page)
    invite_in_the_browser(page, "office.admin@sunrise.example", check_page)

    # The invitee, already with an account, opens the emailed link and accepts.
    message = OutboxMessage.objects.get(to="office.admin@sunrise.example")
    path = invitation_path(message.body)
    page.context.clear_cookies()
    page.goto(path)
    assert "You have been invited" in page.locator("h1").inner_text()
    check_page(page)
    sign_in_with_session(page, live_server, world.users["rm_b"])
    page.goto(path)
    expect_heading(page, "This invitation is for a different email address")
    check_page(page)
    sign_in_with_session(page, live_server, admin)
    page.goto(path)
    check_page(page)
    page.get_by_role("button", name="Accept invitation").click()
    expect_heading(page, "Your providers")
    check_page(page)
    body = page.locator("main").inner_text()
    assert "You now have access to Sunrise Care Ltd" in body
    assert "Draft and submit notifications" in body
    assert "Sunrise House" in body
    assert "Sunset Lodge" not in body  # only that location
    assert "Team for" not in body
    membership = Membership.objects.get(user=admin)
    assert [loc.pk for loc in membership.locations.all()] == [world.a.pk]
    # The link is used up.
    page.goto(path)
    expect_heading(page, "This invitation has already been used")
    check_page(page)


def test_registered_manager_grants_view_only_access_to_their_own_location(page, live_server):
    world = build_world()
    colleague = make_user("colleague@sunrise.example")
    sign_in_with_session(page, live_server, world.users["rm_a"])
    page.goto(reverse("organisations:invite_email", kwargs={"provider_id": world.p.pk}))
    page.get_by_label("What is their email address?").fill(colleague.email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("View submissions").check()
    page.get_by_role("button", name="Continue").click()
    # Only their own location is offered; nothing for the whole provider or location B.
    expect_heading(page, "Which of your locations can they act for?")
    assert page.get_by_label("Sunset Lodge").count() == 0
    assert page.get_by_label("All locations of Sunrise Care Ltd").count() == 0
    check_page(page)
    # Trying another location anyway (a crafted form) is refused with a clear error.
    page.evaluate(
        """(id) => { const box = document.querySelector('input[name=locations]'); box.value = id; box.checked = true; }""",
        world.b.pk,
    )
    page.get_by_role("button", name="Continue").click()
    assert (
        page.locator(".govuk-error-summary").inner_text().count("Select locations from the list")
        == 1
    )
    check_page(page)
    page.get_by_label("Sunrise House").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Invitation sent"
    invitation = Invitation.objects.get()
    assert [loc.pk for loc in invitation.locations.all()] == [world.a.pk]
    invitation_services.accept_invitation(
        user=colleague,
        token=invitation_path(OutboxMessage.objects.get(to=colleague.email).body).split("/")[2],
    )
    # The RM sees the new member on the team page and can manage them.
    page.goto(reverse("organisations:team", kwargs={"provider_id": world.p.pk}))
    assert "colleague@sunrise.example" in page.locator("main").inner_text()
    check_page(page)
    page.get_by_role("link", name="View access for colleague@sunrise.example").click()
    check_page(page)
    page.get_by_role("link", name="Change access").first.click()
    check_page(page)
    page.goto(page.url.replace("/change/", "/suspend/"))
    check_page(page)
    page.get_by_role("button", name="Suspend access").click()
    assert "Access suspended for colleague@sunrise.example" in page.locator("main").inner_text()
    page.get_by_role("link", name="View access for colleague@sunrise.example").click()
    page.get_by_role("button", name="Remove access").click()
    check_page(page)


def test_a_request_to_join_is_approved(page, live_server):
    world = build_world()
    requester = world.users["requester"]
    sign_in_with_session(page, live_server, requester)
    page.goto(reverse("organisations:providers"))
    check_page(page)
    page.get_by_role("link", name="ask to join it").click()
    check_page(page)
    page.get_by_role("button", name="Send request").click()
    assert "Enter the provider ID" in page.locator(".govuk-error-summary").inner_text()
    check_page(page)
    page.get_by_label("Provider ID").fill(world.p.pk)
    page.get_by_label("What do you need access for? (optional)").fill(
        "Deputy manager at Sunset Lodge"
    )
    page.get_by_role("button", name="Send request").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Request sent"
    check_page(page)

    sign_in_with_session(page, live_server, world.users["ni"])
    page.goto(reverse("organisations:team", kwargs={"provider_id": world.p.pk}))
    page.get_by_role("link", name="Decide on the request from rory.requester@example.com").click()
    check_page(page)
    page.get_by_role("button", name="Approve and choose access").click()
    check_page(page)
    page.get_by_role("button", name="Approve").click()
    assert page.title().startswith("Error: ")
    check_page(page)
    page.get_by_label("Draft and submit notifications").check()
    page.get_by_label("Sunset Lodge").check()
    page.get_by_role("button", name="Approve").click()
    assert "rory.requester@example.com now has access" in page.locator("main").inner_text()
    assert JoinRequest.objects.get().status == "approved"
    membership = Membership.objects.get(user=requester)
    assert [loc.pk for loc in membership.locations.all()] == [world.b.pk]
    subjects = [m.subject for m in OutboxMessage.objects.filter(to=requester.email)]
    assert "Your request to join Sunrise Care Ltd was approved" in subjects


def test_remaining_pages_are_accessible(page, live_server):
    world = build_world()
    ni = world.users["ni"]
    invitation, token = services.invite(
        actor=ni,
        provider=world.p,
        email="x@x.example",
        permissions=["view_submissions"],
        whole_provider=True,
    )
    join_request = services.request_to_join(
        user=world.users["requester"], provider=world.p, message=""
    )
    sign_in_with_session(page, live_server, ni)
    p = {"provider_id": world.p.pk}
    pages = [
        reverse("organisations:invitation_detail", kwargs={**p, "invitation_id": invitation.pk}),
        reverse("organisations:invitation_cancel", kwargs={**p, "invitation_id": invitation.pk}),
        reverse("organisations:join_request_refuse", kwargs={**p, "request_id": join_request.pk}),
        reverse(
            "organisations:member_reinstate",
            kwargs={**p, "membership_id": world.memberships["delegate_view_a"].pk},
        ),
        reverse("organisations:invitation", kwargs={"token": "not-a-real-token"}),
    ]
    for path in pages:
        page.goto(path)
        check_page(page)
    services.cancel_invitation(actor=ni, invitation=invitation)
    page.goto(reverse("organisations:invitation", kwargs={"token": token}))
    expect_heading(page, "This invitation has been cancelled")
    check_page(page)


def test_an_invitation_to_a_member_or_from_someone_who_lost_the_right_is_explained(
    page, live_server
):
    """Accepting as someone who already has access: the page says so and whom to ask,
    nothing merges. Accepting after the inviter lost the right: the page says it was
    withdrawn. Both pass axe and keyboard checks."""
    world = build_world()
    member = make_user("member@sunrise.example")
    _, token = services.invite(
        actor=world.users["rm_b"],
        provider=world.p,
        email=member.email,
        permissions=["manage_team", "view_submissions", "view_team"],
        whole_provider=False,
        location_ids=[world.b.pk],
    )
    services.approve_join_request(
        actor=world.users["ni"],
        join_request=services.request_to_join(user=member, provider=world.p, message=""),
        permissions=["view_submissions"],
        whole_provider=True,
    )
    sign_in_with_session(page, live_server, member)
    page.goto(reverse("organisations:invitation", kwargs={"token": token}))
    page.get_by_role("button", name="Accept invitation").click()
    expect_heading(page, "You already have access to Sunrise Care Ltd")
    assert "ask Bob Rm or someone else who manages the team" in page.locator("main").inner_text()
    check_page(page)
    assert Membership.objects.get(user=member).permissions == ["view_submissions"]

    newcomer = make_user("newcomer@sunrise.example")
    _, token = services.invite(
        actor=world.users["rm_a"],
        provider=world.p,
        email=newcomer.email,
        permissions=["view_submissions"],
        whole_provider=False,
        location_ids=[world.a.pk],
    )
    RoleAssignment.objects.filter(person__user=world.users["rm_a"]).update(end_date="2000-01-02")
    sign_in_with_session(page, live_server, newcomer)
    page.goto(reverse("organisations:invitation", kwargs={"token": token}))
    page.get_by_role("button", name="Accept invitation").click()
    expect_heading(page, "This invitation has been withdrawn")
    check_page(page)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_refusal_at_the_check_page_returns_to_the_question_it_concerns(page, live_server):
    world = build_world()
    sign_in_with_session(page, live_server, world.users["ni"])
    page.goto(reverse("organisations:invite_email", kwargs={"provider_id": world.p.pk}))
    # Someone who already has access: only the service knows, once the invitation is sent.
    page.get_by_label("What is their email address?").fill("delegate_view_a@sunrise.example")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("View submissions").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Sunrise House").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send invitation").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "already has access" in summary.inner_text()
    assert page.get_by_label("What is their email address?").input_value() == (
        "delegate_view_a@sunrise.example"
    )
    check_page(page)
    summary.get_by_role("link").first.click()  # the summary leads to the field
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert not Invitation.objects.exists()
