"""The team page's first page of members, invitations and requests to join, compiled once
per shape of viewer (portal/organisations/team_rows.py): the same rows as the ORM's reads
through selectors.visible_* for every kind of viewer, and the page the same either way."""

import re
from typing import Any

import pytest
from django.db.models import Q
from django.urls import reverse

from portal.organisations import selectors, team_rows
from portal.organisations.access import scope_for
from portal.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import Permission
from tests.factories.accounts import make_user
from tests.factories.organisations import make_membership
from tests.organisations.helpers import VIEW, expire, invite
from tests.support.compiled import assert_compiled_on_postgresql

VIEWING = [str(permission) for permission in VIEW]
VIEWERS = [
    "ni",
    "rm_a",
    "rm_b",
    "delegate_view_whole",
    "delegate_view_a",
    "delegate_team_whole",
    "delegate_team_a",
    "other_provider",
]


@pytest.fixture
def team(world):
    """Beside the world's delegates (whole provider, or location A): a member at B only, a
    removed member, another provider's member, invitations at A, at B and everywhere, an
    expired one, and requests to join P and Q."""
    make_membership(make_user("bea.b@sunrise.example"), world.p, VIEWING, [world.b])
    gone = make_membership(make_user("gone@sunrise.example"), world.p, VIEWING)
    Membership.objects.filter(pk=gone.pk).update(status=MembershipStatus.REMOVED)
    make_membership(make_user("olly@other.example"), world.q, VIEWING)
    invite(world, "everywhere@example.com")
    invite(world, "at.a@example.com", at=[world.a.pk])
    invite(world, "at.b@example.com", at=[world.b.pk])
    expire(invite(world, "late@example.com")[0], minutes=1)
    invite(world, "other@example.com", by="other_provider", provider=world.q)
    JoinRequest.objects.create(user=world.users["requester"], provider=world.p)
    JoinRequest.objects.create(user=make_user("quinn@example.com"), provider=world.q)
    return world


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_compiled_first_pages_are_the_orms(team, viewer):
    user = team.users[viewer]
    sees = scope_for(user, Permission.VIEW_TEAM, team.p)
    manages = scope_for(user, Permission.MANAGE_TEAM, team.p)
    size = team_rows.FIRST_PAGE_ROWS
    members = team_rows.first_member_rows(team.p.pk, sees)
    assert members == team_rows.member_rows(selectors.visible_memberships(user, team.p), 0, size)
    invitations = team_rows.first_invitation_rows(team.p.pk, sees)
    assert invitations == team_rows.invitation_rows(
        selectors.visible_invitations(user, team.p), size
    )
    join_requests = team_rows.first_join_request_rows(team.p.pk, manages)
    assert join_requests == team_rows.join_request_rows(
        selectors.visible_join_requests(user, team.p), size
    )
    if viewer == "ni":  # the whole team, and only P's
        emails = {row.email for row in members}
        assert "bea.b@sunrise.example" in emails
        assert not emails & {"gone@sunrise.example", "olly@other.example"}
        assert {row.email for row in invitations} == {
            "everywhere@example.com",
            "at.a@example.com",
            "at.b@example.com",
            "late@example.com",
        }
        assert [row.email for row in join_requests] == ["rory.requester@example.com"]
    if viewer == "rm_a":  # whole-provider holders and A's, not B's
        assert "bea.b@sunrise.example" not in {row.email for row in members}
        assert "at.b@example.com" not in {row.email for row in invitations}
    if viewer == "other_provider":
        assert (members, invitations, join_requests) == ([], [], [])
    assert_compiled_on_postgresql(
        *team_rows._FIRST_MEMBERS, *team_rows._FIRST_INVITATIONS, team_rows._FIRST_JOIN_REQUESTS
    )


def test_the_first_page_is_the_filtered_pages_read_without_filters(client, team):
    # A filter that matches everyone goes through the ORM: the same people, in one order.
    client.force_login(team.users["rm_a"])
    url = reverse("organisations:team", kwargs={"provider_id": team.p.pk})

    def people_given_access(html: str) -> list[str]:
        section = html[html.index('id="people-given-access"') :]
        return re.findall(
            r'<span class="govuk-visually-hidden"> access for ([^<]+)</span>', section
        )

    first = people_given_access(client.get(url).content.decode())
    filtered = people_given_access(client.get(url, {"q": "@"}).content.decode())
    assert first == filtered
    assert "delegate_view_a@sunrise.example" in first
    assert "bea.b@sunrise.example" not in first


def _location_names_through_the_orm(member_rows):
    """How location_names_of read them before it was compiled (the reference)."""
    rows = (
        Membership.locations.through.objects.filter(
            membership_id__in=[m.pk for m in member_rows if not m.whole_provider]
        )
        .order_by("location__name")
        .values_list("membership_id", "location__name")
    )
    names: dict[Any, list[str]] = {}
    for membership_id, name in rows:
        names.setdefault(membership_id, []).append(name)
    return names


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_members_location_names_are_the_orms(team, viewer):
    make_membership(make_user("both@sunrise.example"), team.p, VIEWING, [team.b, team.a])
    user = team.users[viewer]
    members = team_rows.first_member_rows(team.p.pk, scope_for(user, Permission.VIEW_TEAM, team.p))
    names = team_rows.location_names_of(members)
    assert names == _location_names_through_the_orm(members)
    assert team_rows.location_names_of([row for row in members if row.whole_provider]) == {}
    if viewer == "ni":
        both = next(row for row in members if row.email == "both@sunrise.example")
        assert names[both.pk] == ["Sunrise House", "Sunset Lodge"]  # by name
    assert_compiled_on_postgresql(team_rows._MEMBER_LOCATION_NAMES)  # one array of IDs


def _seen_through_a_join(holders, location_ids, order):
    """Who a viewer saw before the EXISTS (the reference): the holders joined to their
    locations, made distinct by a subquery of their IDs."""
    if location_ids is not None:
        holders = holders.filter(Q(whole_provider=True) | Q(locations__pk__any_of=location_ids))
    distinct = holders.model.objects.filter(pk__in=holders.values("pk")).order_by(*order)
    return list(distinct.values_list("pk", flat=True))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_who_each_viewer_sees_is_what_the_join_found(team, viewer):
    # A member and an invitation at both A and B: listed once, though both places match.
    make_membership(make_user("both@sunrise.example"), team.p, VIEWING, [team.a, team.b])
    invite(team, "both.places@example.com", at=[team.a.pk, team.b.pk])
    scope = scope_for(team.users[viewer], Permission.VIEW_TEAM, team.p)
    seen_at = None if scope.whole_provider else scope.location_ids
    members = Membership.objects.filter(provider_id=team.p.pk).exclude(
        status=MembershipStatus.REMOVED
    )
    invitations = Invitation.objects.filter(
        provider_id=team.p.pk, status__in=[InvitationStatus.PENDING, InvitationStatus.EXPIRED]
    )
    seen_members = selectors.memberships_seen(team.p.pk, seen_at).values_list("pk", flat=True)
    assert list(seen_members) == _seen_through_a_join(members, seen_at, ("user__email", "pk"))
    seen_invitations = selectors.invitations_seen(team.p.pk, seen_at).values_list("pk", flat=True)
    assert list(seen_invitations) == _seen_through_a_join(invitations, seen_at, ("email", "pk"))
    # A viewer at both places sees the member and the invitation at both once each.
    both_places = frozenset({team.a.pk, team.b.pk})
    seen_members = selectors.memberships_seen(team.p.pk, both_places).values_list("pk", flat=True)
    assert list(seen_members) == _seen_through_a_join(members, both_places, ("user__email", "pk"))
    emails = selectors.invitations_seen(team.p.pk, both_places).values_list("email", flat=True)
    assert list(emails).count("both.places@example.com") == 1
