"""The access matrix: every URL of the delegation package by every kind of user.

Expectations are written out here as a policy, independently of the code: for each URL,
which kinds get the page (200, or 302 where the page sends them on), which are refused
(403) and which must not learn the object exists (404). Anonymous users are sent to sign
in (302), except on the public invitation page. Every URL of the package must appear
(a test checks), so a new view cannot skip the matrix. POSTs by everyone refused must
change nothing.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, get_resolver, reverse

from portal.audit.models import AuditEvent
from portal.organisations import services
from portal.organisations.models import Invitation, JoinRequest, Membership
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel
from tests.factories.accounts import make_user
from tests.factories.organisations import give_access
from tests.organisations.conftest import DELEGATE_LEVELS, DELEGATE_SCOPES, build_world

KINDS = [
    "ni",
    "rm_a",
    "rm_b",
    *[f"delegate_{level}_{scope}" for level in DELEGATE_LEVELS for scope in DELEGATE_SCOPES],
    "other_provider",
    "staff",
    "requester",
    "anonymous",
]
SIGNED_IN = set(KINDS) - {"anonymous"}
AT_P = {"ni", "rm_a", "rm_b", *[k for k in KINDS if k.startswith("delegate_")]}
TEAM_VIEWERS = {"ni", "rm_a", "rm_b", "delegate_team_whole", "delegate_team_a"}
TEAM_MANAGERS = TEAM_VIEWERS  # in this world, whoever sees the team manages some of it
# Who can see objects scoped to location A (or to the whole provider).
SEE_A = {"ni", "rm_a", "delegate_team_whole", "delegate_team_a"}
SEE_WHOLE = TEAM_VIEWERS
# Who may change a notifications-for-A member or invitation: must hold notifications and
# manage team over A.
MANAGE_NOTIFY_A = {"ni", "rm_a"}
# Who may change a view-for-the-whole-provider member: must hold view and manage team
# over the whole provider.
MANAGE_VIEW_WHOLE = {"ni"}


def expect(allowed: set[str], ok: int = 200, visible: set[str] | None = None, members=AT_P):
    """allowed -> ok; visible but not allowed -> 403; at the provider but the object is
    outside what they can see -> 404; no access to the provider -> 404; anonymous -> 302."""
    visible = allowed if visible is None else visible
    table = {}
    for kind in KINDS:
        if kind == "anonymous":
            table[kind] = 302
        elif kind in allowed:
            table[kind] = ok
        elif kind not in members:
            table[kind] = 404
        elif kind in visible:
            table[kind] = 403
        else:
            table[kind] = 404 if kind in TEAM_VIEWERS else 403
    return table


@dataclass
class Case:
    name: str
    kwargs: dict
    expected: dict  # for GET; for a POST-only view, for POST
    methods: str = "both"  # "get" (GET only), "post" (POST only) or "both"

    # Kinds that pass the view's permission decorator (checked before the HTTP method and
    # before any object is looked up, so a 405 reveals nothing about the object).
    gate: frozenset = frozenset(TEAM_MANAGERS)

    @property
    def get_expected(self) -> dict:
        if self.methods != "post":
            return self.expected
        return {k: (405 if k in self.gate else v) for k, v in self.expected.items()}

    @property
    def post_expected(self) -> dict:
        if self.methods != "get":
            return self.expected
        return {k: (405 if k in self.gate else v) for k, v in self.expected.items()}


def all_signed_in(ok=200):
    return {kind: (302 if kind == "anonymous" else ok) for kind in KINDS}


def cases(objects) -> list[Case]:
    p = {"provider_id": objects["provider"]}
    member_a = {**p, "membership_id": objects["member_a"]}
    member_whole = {**p, "membership_id": objects["member_whole"]}
    invitation_a = {**p, "invitation_id": objects["invitation_a"]}
    join_request = {**p, "request_id": objects["join_request"]}
    # Members/invitations scoped to A: team viewers of B only (rm_b) must not see them.
    seen_a = SEE_A
    public_invitation = {kind: (200 if kind == "anonymous" else 403) for kind in KINDS}
    join_sent = {kind: 404 for kind in KINDS} | {"requester": 200, "anonymous": 302}
    return [
        Case("providers", {}, all_signed_in()),
        Case("join", {}, all_signed_in()),
        Case(
            "join_sent",
            {"request_id": objects["join_request"]},
            join_sent,
            methods="get",
            gate=frozenset(SIGNED_IN),
        ),
        Case("invitation", {"token": objects["token"]}, public_invitation),
        Case("team", p, expect(TEAM_VIEWERS), methods="get"),
        Case("invite_email", p, expect(TEAM_MANAGERS)),
        # Later steps send managers back to the first step when nothing is answered yet.
        Case("invite_access", p, expect(TEAM_MANAGERS, ok=302)),
        Case("invite_locations", p, expect(TEAM_MANAGERS, ok=302)),
        Case("invite_check", p, expect(TEAM_MANAGERS, ok=302)),
        # The location picker's suggestions: for those who may give access, like the invite.
        Case("location_search", p, expect(TEAM_MANAGERS), methods="get"),
        Case("invitation_detail", invitation_a, expect(seen_a, visible=seen_a), methods="get"),
        Case(
            "invitation_resend",
            invitation_a,
            expect(MANAGE_NOTIFY_A, ok=302, visible=seen_a),
            methods="post",
        ),
        Case("invitation_cancel", invitation_a, expect(MANAGE_NOTIFY_A, visible=seen_a)),
        Case("member", member_a, expect(seen_a), methods="get"),
        Case("member", member_whole, expect(SEE_WHOLE), methods="get"),
        *[
            Case(name, member_a, expect(MANAGE_NOTIFY_A, visible=seen_a))
            for name in ("member_change", "member_suspend", "member_reinstate", "member_remove")
        ],
        *[
            Case(name, member_whole, expect(MANAGE_VIEW_WHOLE, visible=SEE_WHOLE))
            for name in ("member_change", "member_suspend", "member_reinstate", "member_remove")
        ],
        Case(
            "member_keep", member_a, expect(MANAGE_NOTIFY_A, ok=302, visible=seen_a), methods="post"
        ),
        Case("join_request", join_request, expect(TEAM_MANAGERS), methods="get"),
        Case("join_request_approve", join_request, expect(TEAM_MANAGERS)),
        Case("join_request_refuse", join_request, expect(TEAM_MANAGERS)),
    ]


@pytest.fixture
def matrix_world(db):
    world = build_world()
    notify = sorted(ACCESS_LEVEL_PERMISSIONS[AccessLevel.NOTIFICATIONS])
    member_a = give_access(
        make_user("target.a@sunrise.example"),
        world.p,
        ["notifications"],
        [world.a],
        granted_by=world.users["ni"],
    )
    member_whole = give_access(
        make_user("target.whole@sunrise.example"), world.p, ["view"], granted_by=world.users["ni"]
    )
    invitation, token = services.invite(
        actor=world.users["ni"],
        provider=world.p,
        email="invitee@sunrise.example",
        permissions=notify,
        whole_provider=False,
        location_ids=[world.a.pk],
    )
    join_request = services.request_to_join(
        user=world.users["requester"], provider=world.p, message="Please"
    )
    objects = {
        "provider": world.p.pk,
        "member_a": member_a.pk,
        "member_whole": member_whole.pk,
        "invitation_a": invitation.pk,
        "join_request": join_request.pk,
        "token": token,
    }
    return world, objects


def client_for(client, world, kind):
    client.logout()
    if kind != "anonymous":
        client.force_login(world.users[kind])
    return client


def state_of_everything():
    return (
        sorted(
            (str(m.pk), m.status, tuple(m.permissions), m.whole_provider)
            for m in Membership.objects.all()
        ),
        sorted((str(i.pk), i.status, i.token_hmac) for i in Invitation.objects.all()),
        sorted((str(j.pk), j.status) for j in JoinRequest.objects.all()),
        AuditEvent.objects.count(),
    )


# The cases with a stand-in for every object they name: for their names and ids only.
NAMED_ANYTHING = {
    key: "x"
    for key in ("provider", "member_a", "member_whole", "invitation_a", "join_request", "token")
}


def test_every_url_of_the_package_is_in_the_matrix():
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    namespace = resolver.namespace_dict["organisations"][1]
    package_names = {name for name in namespace.reverse_dict if isinstance(name, str)}
    in_matrix = {case.name for case in cases(NAMED_ANYTHING)}
    assert package_names == in_matrix
    assert names is not None


CASE_IDS = [
    f"{case.name}-{'/'.join(sorted(k for k in case.kwargs))}-{i}"
    for i, case in enumerate(cases(NAMED_ANYTHING))
]


@pytest.mark.parametrize("index", range(len(CASE_IDS)), ids=CASE_IDS)
def test_get_answers_exactly_what_the_policy_says(client, matrix_world, index):
    world, objects = matrix_world
    case = cases(objects)[index]
    url = reverse(f"organisations:{case.name}", kwargs=case.kwargs)
    got = {}
    for kind in KINDS:
        response = client_for(client, world, kind).get(url)
        got[kind] = response.status_code
        if response.status_code == 302 and kind == "anonymous":
            assert response["Location"].startswith("/sign-in/?next=")
    assert got == case.get_expected


@pytest.mark.parametrize("index", range(len(CASE_IDS)), ids=CASE_IDS)
def test_posts_by_everyone_refused_change_nothing(client, matrix_world, index):
    world, objects = matrix_world
    case = cases(objects)[index]
    url = reverse(f"organisations:{case.name}", kwargs=case.kwargs)
    expected = case.post_expected
    refused = [kind for kind in KINDS if expected[kind] in (403, 404, 405) or kind == "anonymous"]
    # A hostile form: everything, everywhere, for an outsider.
    data = {
        "email": "attacker@evil.example",
        "permissions": ["team", "registration", "notifications", "view"],
        "locations": ["whole", world.a.pk, world.b.pk, world.c.pk],
        "reason": "no",
        "provider_id": world.p.pk,
        "message": "<script>alert(1)</script>",
    }
    before = state_of_everything()
    got = {}
    for kind in refused:
        response = client_for(client, world, kind).post(url, data)
        got[kind] = response.status_code
    assert got == {kind: expected[kind] for kind in refused}
    assert state_of_everything() == before


def test_every_view_of_the_package_declares_who_may_use_it():
    from portal.access import declared_access, known_permissions

    namespace = get_resolver().namespace_dict["organisations"][1]
    for pattern in namespace.url_patterns:
        assert isinstance(pattern, URLPattern)
        access = declared_access(pattern.callback)
        assert access is not None, pattern.name
        assert access == "public" or access in known_permissions(), (pattern.name, access)
        if access == "public":
            assert pattern.name == "invitation"  # the emailed link; it checks the account itself
