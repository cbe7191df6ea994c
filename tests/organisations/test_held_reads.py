"""One member, invitation or request to join read by key (held_reads) is what the visible_*
querysets give for that key: the same one, or none, for every viewer; with the same related
objects and locations, already read."""

import uuid

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from portal.organisations import held_reads, selectors, services
from portal.organisations.models import Invitation, InvitationStatus, Membership, MembershipStatus
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.organisations.helpers import expire, invite

VIEWERS = [
    "ni",
    "rm_a",
    "rm_b",
    "other_provider",
    "staff",
    "requester",
    "delegate_view_a",
    "delegate_team_a",
    "delegate_team_whole",
]


def _described(found, *related):
    if found is None:
        return None
    fields = {f.attname: getattr(found, f.attname) for f in found._meta.concrete_fields}
    fields |= {name: getattr(getattr(found, name), "pk", None) for name in related}
    if hasattr(found, "locations"):
        fields["locations"] = [(loc.pk, loc.name) for loc in found.locations.all()]
    return fields


def _assert_read_as_visible(world, provider, keys, visible, read, *related):
    """For every viewer and key, the held read finds what the visible queryset has for it."""
    at = getattr(world, provider)
    for name in VIEWERS:
        user = world.users[name]
        for key in keys:
            expected = visible(user, at).filter(pk=key).first()
            found = read(user, at, key)
            assert _described(found, *related) == _described(expected, *related), (name, key)


def _members(world):
    at_b = give_access(make_user("at.b@example.com"), world.p, ["view"], [world.b])
    at_both = give_access(make_user("at.ab@example.com"), world.p, ["view"], [world.b, world.a])
    gone = give_access(make_user("gone@example.com"), world.p, ["view"], [world.a])
    Membership.objects.filter(pk=gone.pk).update(status=MembershipStatus.REMOVED)
    elsewhere = give_access(make_user("q@example.com"), world.q, ["view"], [world.c])
    return [*world.memberships.values(), at_b, at_both, gone, elsewhere]


@pytest.mark.parametrize("provider", ["p", "q"])
def test_a_membership_is_the_visible_one(world, provider):
    keys = [m.pk for m in _members(world)] + [uuid.uuid4()]
    _assert_read_as_visible(
        world,
        provider,
        keys,
        selectors.visible_memberships,
        held_reads.membership,
        "user",
        "granted_by",
    )


@pytest.mark.parametrize("provider", ["p", "q"])
def test_an_invitation_is_the_visible_one(world, provider):
    made = [
        invite(world, "whole@example.com")[0],
        invite(world, "at.b@example.com", at=[world.b.pk], by="ni")[0],
        invite(world, "at.a@example.com", at=[world.a.pk], by="ni")[0],
        invite(world, "q@example.com", provider=world.q, by="other_provider")[0],
    ]
    expire(made[0], days=1)
    cancelled = invite(world, "cancelled@example.com")[0]
    Invitation.objects.filter(pk=cancelled.pk).update(status=InvitationStatus.CANCELLED)
    keys = [i.pk for i in [*made, cancelled]] + [uuid.uuid4()]
    _assert_read_as_visible(
        world, provider, keys, selectors.visible_invitations, held_reads.invitation, "invited_by"
    )


@pytest.mark.parametrize("provider", ["p", "q"])
def test_a_join_request_is_the_visible_one(world, provider):
    asked = services.request_to_join(user=world.users["requester"], provider=world.p, message="")
    there = services.request_to_join(user=make_user("x@example.com"), provider=world.q, message="")
    keys = [asked.pk, there.pk, uuid.uuid4()]
    _assert_read_as_visible(
        world, provider, keys, selectors.visible_join_requests, held_reads.join_request, "user"
    )


def test_what_the_pages_use_is_read_with_the_holder(world):
    member = world.memberships["delegate_view_a"]
    with CaptureQueriesContext(connection) as queries:
        found = selectors.membership_or_404(world.users["ni"], world.p, member.pk)
    read = len(queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        granted_by = found.granted_by
        assert granted_by is not None
        assert (found.user.email, granted_by.email, found.provider) == (
            member.user.email,
            world.users["ni"].email,
            world.p,
        )
        assert [loc.pk for loc in found.locations.all()] == [world.a.pk]
    assert not queries.captured_queries
    assert read <= 3  # the viewer's access, the member, its locations
    with pytest.raises(Http404):
        selectors.membership_or_404(world.users["rm_b"], world.p, member.pk)
