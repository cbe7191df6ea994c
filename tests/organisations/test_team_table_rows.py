"""The team page's rows written in Python (team_table_rows): the same HTML as team.html's loops
they replaced, for every branch of each cell, on made-up rows and on a team's real rows, and
the team page draws them in its tables."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from portal.organisations import team_rows
from portal.organisations.access import scope_for
from portal.organisations.models import JoinRequest, Membership, MembershipStatus
from portal.organisations.permissions import Permission
from portal.organisations.selectors import RegisteredPerson, registered_people
from portal.organisations.team_rows import InvitationRow, JoinRequestRow, MemberRow
from portal.organisations.team_table_rows import TeamTableRows
from portal.organisations.view_helpers import RowText, href_for, list_or_text
from tests.factories.accounts import make_user
from tests.factories.organisations import make_membership
from tests.organisations.helpers import VIEW, expire, invite

VIEWING = [str(permission) for permission in VIEW]

# team.html's four loops before team_table_rows, as they were (with the tag macro they used).
_TAG = '{% from "govuk_frontend_jinja/components/tag/macro.html" import govukTag %}'
_JOIN_REQUESTS = """{% for join_request in join_requests %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell" data-label="Person">{% if join_request.full_name %}{{ join_request.full_name }}<br><span class="govuk-hint govuk-!-margin-bottom-0">{{ join_request.email }}</span>{% else %}{{ join_request.email }}{% endif %}</td>
          <td class="govuk-table__cell" data-label="Asked on">{{ text.day(join_request.created_at) }}</td>
          <td class="govuk-table__cell" data-label="Action"><a class="govuk-link" href="{{ join_request_href(join_request.pk) }}">Decide<span class="govuk-visually-hidden"> on the request from {{ join_request.email }}</span></a></td>
        </tr>
      {% endfor %}"""
_REGISTERED = """{% for person in registered %}
      <tr class="govuk-table__row">
        <td class="govuk-table__cell" data-label="Name">{{ person.name }}</td>
        <td class="govuk-table__cell" data-label="Role">{{ list_or_text(person.roles) }}</td>
        <td class="govuk-table__cell" data-label="Where">{% if person.whole_provider %}All locations{% else %}{{ list_or_text(person.locations) }}{% endif %}</td>
        <td class="govuk-table__cell" data-label="Last signed in">{% if not person.has_account %}No account yet{% elif person.last_login %}{{ text.day(person.last_login) }}{% else %}Not yet{% endif %}</td>
      </tr>
    {% endfor %}"""
_MEMBERS = """{% for membership in memberships %}
      <tr class="govuk-table__row">
        <td class="govuk-table__cell" data-label="Person">
          {% if membership.full_name %}{{ membership.full_name }}<br><span class="govuk-hint govuk-!-margin-bottom-0">{{ membership.email }}</span>{% else %}{{ membership.email }}{% endif %}
          {% if membership.status == "suspended" %}<br>{{ govukTag({"text": "Suspended", "classes": "govuk-tag--grey"}) }}{% endif %}
          {% if membership.granter_review_since %}<br>{{ govukTag({"text": "Review: the person who gave this access has left their role", "classes": "govuk-tag--yellow"}) }}{% endif %}
          {% if membership.redundant_since %}<br>{{ govukTag({"text": "Redundant: their registered role gives this access", "classes": "govuk-tag--blue"}) }}{% endif %}
        </td>
        <td class="govuk-table__cell" data-label="What they can do">{{ text.access(membership.permissions) }}</td>
        <td class="govuk-table__cell" data-label="Where">{% if membership.whole_provider %}All locations{% else %}{{ list_or_text(location_names.get(membership.pk, [])) }}{% endif %}</td>
        <td class="govuk-table__cell" data-label="Last signed in">{{ text.day(membership.last_login) if membership.last_login else "Not yet" }}</td>
        <td class="govuk-table__cell" data-label="Action"><a class="govuk-link" href="{{ member_href(membership.pk) }}">View<span class="govuk-visually-hidden"> access for {{ membership.email }}</span></a></td>
      </tr>
    {% endfor %}"""
_INVITATIONS = """{% for invitation in invitations %}
      <tr class="govuk-table__row">
        <td class="govuk-table__cell" data-label="Email">{{ invitation.email }}</td>
        <td class="govuk-table__cell" data-label="What they can do">{{ text.access(invitation.permissions) }}</td>
        <td class="govuk-table__cell" data-label="Status">{% if invitation.status == "expired" or invitation.has_expired %}Expired{% else %}Waiting – link works until {{ text.day_and_time(invitation.expires_at) }}{% endif %}</td>
        <td class="govuk-table__cell" data-label="Action"><a class="govuk-link" href="{{ invitation_href(invitation.pk) }}">View<span class="govuk-visually-hidden"> invitation to {{ invitation.email }}</span></a></td>
      </tr>
    {% endfor %}"""

_PROVIDER_ID = "1-100000001"
_HREFS = {
    "member_href": href_for("organisations:member", "membership_id", provider_id=_PROVIDER_ID),
    "invitation_href": href_for(
        "organisations:invitation_detail", "invitation_id", provider_id=_PROVIDER_ID
    ),
    "join_request_href": href_for(
        "organisations:join_request", "request_id", provider_id=_PROVIDER_ID
    ),
}
_AWKWARD = 'O\'Brien & "Sons" <Care>'


def _reference(loop: str, **context: Any) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.from_string(_TAG + loop).render(
        text=RowText(), list_or_text=list_or_text, **_HREFS, **context
    )


def _writer() -> TeamTableRows:
    return TeamTableRows(RowText(), **_HREFS)


def _moment(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def _member(**given: Any) -> MemberRow:
    fields: dict[str, Any] = {
        "pk": uuid.uuid4(),
        "email": "someone@example.com",
        "full_name": "",
        "last_login": None,
        "status": "active",
        "whole_provider": False,
        "permissions": ["view_submissions"],
        "granter_review_since": None,
        "redundant_since": None,
    }
    return MemberRow(**{**fields, **given})


def _members() -> tuple[list[MemberRow], dict[uuid.UUID, list[str]]]:
    summer = _moment(6, 30, 23, 30)  # the next day in London
    both = [Permission.VIEW_SUBMISSIONS, Permission.MANAGE_TEAM]
    rows = [
        _member(whole_provider=True, permissions=[]),
        _member(
            email="b&b@example.com",
            full_name=_AWKWARD,
            last_login=summer,
            status="suspended",
            permissions=both,
            granter_review_since=summer,
            redundant_since=summer,
        ),
        _member(full_name="Cat", last_login=_moment(1, 1, 0), redundant_since=summer),
        _member(full_name="Dan", permissions=["unknown<x>"], granter_review_since=summer),
        _member(full_name="Eve", status="removed", permissions=both),
        _member(email="&#x27;&quot;already@example.com", full_name="&#39; entities"),
    ]
    names = {
        rows[1].pk: [_AWKWARD, "Sunrise House"],
        rows[2].pk: ["Only one <place>"],
        rows[3].pk: [f"Annex {number}" for number in range(300)],
        # rows[4]: at no location still known
    }
    return rows, names


def _invitations() -> list[InvitationRow]:
    now = timezone.now()
    later = now + dt.timedelta(days=2)
    british_summer = _moment(6, 30, 23, 30).replace(year=now.year + 1)
    return [
        InvitationRow(uuid.uuid4(), "a@example.com", ["view_submissions"], "waiting", later),
        InvitationRow(uuid.uuid4(), _AWKWARD, [Permission.MANAGE_TEAM], "expired", later),
        InvitationRow(uuid.uuid4(), "late@example.com", [], "waiting", now - dt.timedelta(1)),
        InvitationRow(uuid.uuid4(), "bst@example.com", ["x"], "waiting", british_summer),
    ]


def _join_requests() -> list[JoinRequestRow]:
    return [
        JoinRequestRow(uuid.uuid4(), "a@example.com", "", _moment(3, 29, 0, 30)),
        JoinRequestRow(uuid.uuid4(), "b@example.com", _AWKWARD, _moment(3, 29, 1, 30)),
    ]


def _registered() -> list[RegisteredPerson]:
    annexes = [f"Annex <{number}>" for number in range(250)]
    return [
        RegisteredPerson(name=_AWKWARD, roles=["Nominated individual"], whole_provider=True),
        RegisteredPerson(
            name="Rita",
            roles=["Registered manager"],
            locations=["Sunrise House"],
            has_account=True,
            last_login=_moment(12, 5, 0),
        ),
        RegisteredPerson(
            name="Bob", roles=["Registered manager", "Partner"], locations=annexes, has_account=True
        ),
        RegisteredPerson(name="Nobody anywhere", roles=[], locations=[]),
    ]


def test_member_rows_are_the_template_loops_html():
    rows, names = _members()
    writer = _writer()
    expected = _reference(_MEMBERS, memberships=rows, location_names=names)
    assert str(writer.members(rows, names)) == expected
    assert str(writer.members(rows, names)) == expected  # again, from what it kept
    for row in rows:
        assert str(writer.members([row], names)) == _reference(
            _MEMBERS, memberships=[row], location_names=names
        )


def test_invitation_rows_are_the_template_loops_html():
    rows = _invitations()
    assert str(_writer().invitations(rows)) == _reference(_INVITATIONS, invitations=rows)


def test_join_request_rows_are_the_template_loops_html():
    rows = _join_requests()
    assert str(_writer().join_requests(rows)) == _reference(_JOIN_REQUESTS, join_requests=rows)


def test_registered_people_rows_are_the_template_loops_html():
    people = _registered()
    expected = _reference(_REGISTERED, registered=people)
    assert str(_writer().registered_people(people)) == expected


def test_no_rows_write_nothing():
    writer = _writer()
    assert str(writer.members([], {})) == ""
    assert str(writer.invitations([])) == ""
    assert str(writer.join_requests([])) == ""
    assert str(writer.registered_people([])) == ""


@pytest.fixture
def team(world):
    """The world's registered people and delegates, with a suspended member at B, one to
    review, invitations (one expired) and a request to join."""
    suspended = make_membership(make_user("sus.b@sunrise.example"), world.p, VIEWING, [world.b])
    Membership.objects.filter(pk=suspended.pk).update(
        status=MembershipStatus.SUSPENDED, granter_review_since=timezone.now()
    )
    make_membership(make_user("two.places@sunrise.example"), world.p, VIEWING, [world.a, world.b])
    invite(world, "everywhere@example.com")
    invite(world, "at.a@example.com", at=[world.a.pk])
    expire(invite(world, "late@example.com")[0], minutes=1)
    JoinRequest.objects.create(user=world.users["requester"], provider=world.p)
    return world


@pytest.mark.parametrize("viewer", ["ni", "rm_a", "delegate_team_a", "delegate_team_whole"])
def test_the_team_page_draws_the_rows_the_loops_drew_from_real_data(client, team, viewer):
    user = team.users[viewer]
    client.force_login(user)  # first: signing in is the last sign-in the rows show
    sees = scope_for(user, Permission.VIEW_TEAM, team.p)
    manages = scope_for(user, Permission.MANAGE_TEAM, team.p)
    members = team_rows.first_member_rows(team.p.pk, sees)
    names = team_rows.location_names_of(members)
    invitations = team_rows.first_invitation_rows(team.p.pk, sees)
    join_requests = team_rows.first_join_request_rows(team.p.pk, manages)
    people, _more = registered_people(user, team.p)
    assert members
    assert people
    html = client.get(reverse("organisations:team", args=[team.p.pk])).content.decode()
    written: dict[str, tuple[Markup, dict[str, Any]]] = {
        _MEMBERS: (_writer().members(members, names), {"memberships": members}),
        _INVITATIONS: (_writer().invitations(invitations), {"invitations": invitations}),
        _JOIN_REQUESTS: (_writer().join_requests(join_requests), {"join_requests": join_requests}),
        _REGISTERED: (_writer().registered_people(people), {"registered": people}),
    }
    for loop, (rows, context) in written.items():
        assert str(rows) == _reference(loop, location_names=names, **context)
        if rows:
            indent = "      " if loop == _JOIN_REQUESTS else "    "
            assert f'<tbody class="govuk-table__body">\n{indent}{rows}\n{indent}</tbody>' in html
    if viewer == "ni":
        for shown in ("Suspended", "Review: the person", "Expired", "Decide"):
            assert shown in html
