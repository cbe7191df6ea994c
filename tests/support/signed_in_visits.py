"""The GET of every signed-in page (`get_visits`), the URLs left out (`EXCLUDED`), and how a
visit is signed in for and measured (`sign_in`, `url_of`, `measure`)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts import sessions
from portal.accounts.middleware import TOUCH_EVERY_SECONDS
from portal.accounts.models import User
from portal.organisations.permissions import (
    AccessLevel,
)
from portal.organisations.selectors import CURRENT_PROVIDER_SESSION_KEY
from tests.support.signed_in_applications import application_visits
from tests.support.signed_in_casework import casework_visits
from tests.support.signed_in_staff import staff_admin_visits
from tests.support.signed_in_webhooks import (
    EXCLUDED_WEBHOOK_PAGES,
    webhook_visits,
)
from tests.support.signed_in_world import (
    PROVIDER_SIDE,
    World,
    case_of,
)


@dataclass(frozen=True)
class Visit:
    """One request to measure: a URL (by name) as one kind of user."""

    name: str  # "namespace:name" in the URLconf
    actor: str  # a key of World.users
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    status: int = 200
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    # Values the session must hold first (for pages reached part-way through a journey).
    session: dict[str, Any] = field(default_factory=dict)
    # False for a page that uses up what the session holds (it answers differently when
    # asked again with the same session), so a load test cannot repeat it.
    repeatable: bool = True

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}{'?' + self.query if self.query else ''} as {self.actor}"


# In `Visit.session`, stands for the time the request is made.
NOW = "<now>"


def recently_reauthenticated() -> dict[str, Any]:
    return {sessions.REAUTH_AT: NOW}


def url_of(visit: Visit) -> str:
    return reverse(visit.name, kwargs=visit.kwargs) + (f"?{visit.query}" if visit.query else "")


def sign_in(client: Client, user: User, visit: Visit) -> None:
    """A fresh signed-in session for `user`, holding what `visit` needs, and last seen long
    enough ago that the next request writes it (as one does every few seconds): each page
    is measured at its worst."""
    client.force_login(user)
    session = client.session
    now = timezone.now().timestamp()
    session[sessions.LAST_SEEN_AT] = now - TOUCH_EVERY_SECONDS - 1
    for key, value in visit.session.items():
        session[key] = now if value == NOW else value
    session.save()


@dataclass
class Measured:
    label: str
    status: int
    expected: int
    queries: list[str]


def measure(client: Client, users: dict[str, User], visit: Visit) -> Measured:
    """Sign in as the visit's user, make the request and record its SQL statements, as
    Django logs them (BEGIN and COMMIT, or SAVEPOINT and RELEASE inside a test's
    transaction, included). The body is read inside: a streamed CSV queries as it is read."""
    sign_in(client, users[visit.actor], visit)
    url = url_of(visit)
    # The log keeps the last 9,000 statements, and counting needs it not to wrap.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, visit.data) if visit.method == "POST" else client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return Measured(visit.label, response.status_code, visit.status, [q["sql"] for q in captured])


# URLs left out, each with the reason. Everything else in the URLconf must be visited.
_API_OPERATION = "an API operation (JSON for an API key, no session): tests/api measure it"
EXCLUDED: dict[str, str] = {
    **{
        f"api:{name}": _API_OPERATION
        for name in (
            "add_update",
            "answer_question",
            "follow_up_schema",
            "applications",
            "list_notifications",
            "list_questions",
            "list_types",
            "read_notification",
            "registration",
            "submit_notification",
            "type_schema",
            "validate_notification",
        )
    },
    "api:openapi-json": "the API's OpenAPI schema (JSON, public): tests/api read it",
    "operations:healthz": "the load balancer's probe (JSON), not a page; no session is read",
    "documents:download": (
        "a file's bytes (or a redirect to object storage), not a page; it needs a file checked "
        "clean by clamd (tests/documents measure and test it)"
    ),
    "operations:request_too_large": "nginx's 413 page for a body over its cap; an error page",
    "emails:sent_emails": "development only (SHOW_SENT_EMAILS); 404 in production and benchmarks",
    "emails:sent_email": "development only (SHOW_SENT_EMAILS); 404 in production and benchmarks",
    # Steps of journeys taken before signing in: each needs an emailed code or a
    # password-only (pending) sign-in in the session or a signed cookie, and none is a
    # signed-in page.
    "accounts:sign_up_check_email": "before sign-in: needs the sign-up address cookie",
    "accounts:sign_up_new_code": "before sign-in: needs the sign-up address cookie",
    "accounts:sign_up_password": "before sign-in: needs a sign-up code proven in the session",
    "accounts:sign_in_authenticator": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:sign_in_recovery_code": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:lost_second_factor": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:lost_second_factor_code": "before sign-in: needs a pending sign-in and a code",
    "accounts:lost_second_factor_request": "before sign-in: needs a pending sign-in and a code",
    "accounts:password_reset_check_email": "before sign-in: needs the reset address cookie",
    "accounts:password_reset_new_code": "before sign-in: needs the reset address cookie",
    "accounts:password_reset_new_password": "before sign-in: needs a reset code proven in the session",
    "accounts:sign_in_passkey": "before sign-in: needs a pending (password-only) sign-in",
    "accounts:email_change_stop": "signed out: the old address's link, needs a token only the email holds",
    "staff_invitations:accept": "signed out: the invitee's link, needs a token only the email holds",
    **EXCLUDED_WEBHOOK_PAGES,
}


def get_visits(world: World) -> list[Visit]:
    """A GET of every signed-in page, by each kind of user it is for."""
    o = world.objects
    p = {"provider_id": world.p.pk}
    visits: list[Visit] = []

    def each(name: str, actors: tuple[str, ...] = PROVIDER_SIDE, **options: Any) -> None:
        visits.extend(Visit(name, actor, **options) for actor in actors)

    # Information pages, signed in (the header and the session-timeout dialog change).
    for name in ("start", "accessibility", "privacy", "cookies", "contact"):
        each(f"pages:{name}", ("ni", "staff"))
    each("accounts:sign_up", ("ni",))
    each("accounts:sign_in", ("ni",), status=302)
    each("accounts:password_reset", ("ni",))
    each("accounts:password_reset_done", ("ni",))
    each("accounts:lost_second_factor_sent", ("ni",))
    each("accounts:sign_out", ("ni",))
    each("accounts:signed_out", ("ni",))

    # Home: where sign-in lands, for each kind of user.
    each("home:index", (*PROVIDER_SIDE, "staff", "newcomer"))
    each("home:index", ("ni",), session={CURRENT_PROVIDER_SESSION_KEY: world.p.pk})

    # Your account.
    each("accounts:home", (*PROVIDER_SIDE, "staff"))
    each("accounts:sign_up_done", PROVIDER_SIDE)
    each("accounts:change_password", ("ni",))
    each("accounts:reauthenticate", ("ni",))
    each("accounts:new_recovery_codes", ("ni",), session=recently_reauthenticated())
    each("accounts:change_authenticator", ("ni",), status=302, session=recently_reauthenticated())
    each(
        "accounts:set_up_authenticator",
        ("ni",),
        session={**recently_reauthenticated(), "totp_setup_flow": "change"},
    )
    each(
        "accounts:recovery_codes",
        ("ni",),
        session={"recovery_codes_to_show": ["abcde12345", "fghij67890"]},
        repeatable=False,  # shows the codes once
    )
    each("accounts:passkeys", ("ni",))
    each("accounts:add_passkey", ("ni",), session=recently_reauthenticated())
    each(
        "accounts:remove_passkey",
        ("ni",),
        kwargs={"passkey_id": o["passkey"].pk},
        session=recently_reauthenticated(),
    )
    each("accounts:reauthenticate_passkey", ("ni",))
    each("accounts:sessions", ("ni", "staff"))
    each("accounts:email_change_confirm", ("ni", "staff"))
    each("register:your_registration", ("ni", "rm"))
    each("register:certificate", ("ni", "rm", "delegate"), kwargs=p)
    # A later page of the locations, and a search (the ORM's read, not the compiled one).
    each("register:certificate", ("ni",), kwargs=p, query="page=2")
    each("register:certificate", ("ni",), kwargs=p, query="q=Sunrise")
    each("register:certificate_pdf", ("ni",), kwargs=p)

    # Delegation.
    each("organisations:providers")
    each("organisations:join")
    each(
        "organisations:join_sent",
        ("delegate",),
        kwargs={"request_id": o["delegate_join_request"].pk},
    )
    each("organisations:invitation", ("delegate",), kwargs={"token": o["delegate_token"]})
    each("organisations:team", kwargs=p)
    each("organisations:invite_email", kwargs=p)
    invite_answers = {
        f"organisations.invite.{world.p.pk}": {
            "email": "new.colleague@sunrise.example",
            "levels": [AccessLevel.NOTIFICATIONS.value],
            "whole_provider": False,
            "locations": [world.a.pk],
        }
    }
    for step in ("invite_access", "invite_locations", "invite_check"):
        each(f"organisations:{step}", kwargs=p, session=invite_answers)
    each("organisations:location_search", kwargs=p, query="q=Sunrise")
    invitation = {**p, "invitation_id": o["invitation_a"].pk}
    each("organisations:invitation_detail", kwargs=invitation)
    each("organisations:invitation_cancel", kwargs=invitation)
    member_a = {**p, "membership_id": o["member_a"].pk}
    each("organisations:member", kwargs=member_a)
    each("api_pages:api_keys", ("ni",), kwargs=p)
    each("api_pages:api_key_new", ("ni",), kwargs=p, session=recently_reauthenticated())
    each(
        "api_pages:api_key_revoke",
        ("ni",),
        kwargs={**p, "key_id": o["api_key"].pk},
        session=recently_reauthenticated(),
    )
    each("api_pages:documentation", ("ni",))
    each("organisations:member", ("ni",), kwargs={**p, "membership_id": o["member_whole"].pk})
    for action in ("member_change", "member_suspend", "member_remove"):
        each(f"organisations:{action}", kwargs=member_a)
    each(
        "organisations:member_reinstate",
        kwargs={**p, "membership_id": o["member_suspended"].pk},
    )
    join_request = {**p, "request_id": o["join_request"].pk}
    for name in ("join_request", "join_request_approve", "join_request_refuse"):
        each(f"organisations:{name}", kwargs=join_request)

    # Notifications, provider side.
    each("notifications:history")
    each("notifications:history", ("ni",), query=f"location={world.a.pk}&page=2")
    each("notifications:history_locations", query="q=Sunrise")
    each("notifications:export")
    each("notifications:helper")
    each("notifications:helper", ("rm",), query="asked=1&situation=police")
    each("notifications:choose_provider", ("ni", "delegate"))
    each("notifications:choose_provider", ("rm",), status=302)  # one provider: straight on
    each("notifications:choose_location", kwargs=p)
    each("notifications:choose_type", kwargs={**p, "location_key": world.a.pk})
    each("notifications:choose_type", ("ni",), kwargs={**p, "location_key": "provider"})
    each("notifications:start", kwargs={**p, "location_key": world.a.pk, "slug": "absence"})
    each(
        "notifications:start",
        ("ni",),
        kwargs={**p, "location_key": "provider", "slug": "insolvency"},
    )
    each("notifications:draft", kwargs={"draft_id": o["long_draft"].pk})
    short = {"draft_id": o["short_draft"].pk}
    each("notifications:draft_page", kwargs={**short, "page_key": "about-you"})
    # A page with a file question, at the URL under the upload prefix it posts to.
    each(
        "notifications_uploads:draft_page",
        kwargs={"draft_id": o["file_draft"].pk, "page_key": "statement"},
    )
    each("notifications:check", kwargs=short)
    each("notifications:discard", kwargs=short)
    each("notifications:stop", kwargs={"draft_id": o["stopped_draft"].pk, "page_key": "admission"})
    for name, key in (
        ("detail", "absence"),
        ("detail", "police"),
        ("detail", "contact"),
        ("confirmation", "absence"),
        ("print", "absence"),
        ("choose_update", "absence"),
    ):
        each(f"notifications:{name}", kwargs={"reference": o[key].reference})
    each("notifications:detail", ("ni",), kwargs={"reference": o["provider_level"].reference})
    each("notifications:update", kwargs={"reference": o["absence"].reference, "kind": "return"})
    each(
        "notifications:update",
        kwargs={"reference": o["police"].reference, "kind": "information"},
    )
    each(
        "notifications:answer",
        kwargs={"reference": o["police"].reference, "question_id": o["question"].pk},
    )

    application_visits(o, each, PROVIDER_SIDE)
    staff_admin_visits(o, each)
    casework_visits(o, each, PROVIDER_SIDE)
    webhook_visits(o, each, world.p)

    # Regulator staff.
    staff = ("staff",)
    each("notifications_staff:inbox", staff)
    each("notifications_staff:inbox", staff, query=f"status=&after={o['absence'].pk}")
    for key in ("absence", "contact"):
        each("notifications_staff:detail", staff, kwargs={"reference": o[key].reference})
    each("accounts:staff_factor_resets", staff)
    each("accounts:staff_account_search", staff)
    each("accounts:staff_account", staff, kwargs={"user_id": world.users["ni"].pk})
    each("accounts:staff_factor_reset", staff, kwargs={"reset_id": o["factor_reset"].pk})
    each("register:search", staff)
    each("register:search", staff, query="q=Sunrise&kind=providers")
    each("register:provider", staff, kwargs=p)
    each("register:location", staff, kwargs={"location_id": world.a.pk})
    each("register:staff_certificate", staff, kwargs=p)
    each("register:staff_certificate_pdf", staff, kwargs=p)
    each("applications_staff:list", staff)
    each("applications_staff:list", staff, query="stage=proposal_served&q=Riverside&mine=on")
    sent_application = {"application_id": o["app_sent"].pk}
    each("applications_staff:detail", staff, kwargs=sent_application)
    for action in ("withdraw-proposal", "representations-window-passed", "grant"):
        each(
            "applications_staff:action",
            staff,
            kwargs={**sent_application, "action_slug": action},
        )
    for queue in ("casework:mine", "casework:team", "casework:unassigned", "casework:all"):
        each(queue, staff)
    each("casework:all", staff, query="due=overdue&search=Sunrise")
    each("casework:case", staff, kwargs={"case_id": case_of(o["absence"]).pk})
    return visits
