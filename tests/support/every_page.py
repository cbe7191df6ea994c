"""Every page of the portal, for the browser walk in tests/test_every_page_accessible_browser.py.

The pages come from the one list of signed-in pages (tests/support/signed_in_pages.py:
`build_world()` and `get_visits()`), so a page added there for the query budget is walked
here too. To it this module adds:

- a member of staff for each role (inspector, registration assessor, team leader and
  administrator): each regulator page is visited by the first of them, in that order, that
  may see it, and each role's homes by every one of them;
- the pages seen signed out, including the steps of signing up, signing in and resetting a
  password, each with the session or cookie that gets someone there;
- `NOT_PAGES`: the URLs that answer with something other than an HTML page, each with the
  reason. Everything else in the URLconf must be visited, or answer GET with 405 (an action).
"""

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from portal.accounts import browser_cookies, sessions
from portal.accounts.models import User
from portal.accounts.recovery_views import FACTOR_RESET_PROVEN, RESET_EMAIL, RESET_PROVEN
from portal.accounts.services import email_change
from portal.accounts.views import SIGN_UP_EMAIL, SIGN_UP_PROVEN
from portal.applications.services import assessment
from portal.emails.models import OutboxMessage
from portal.staff import services as staff_services
from portal.staff.roles import StaffRole
from tests.applications.helpers import send, with_open_manager_part, with_signed_manager_part
from tests.factories.accounts import make_user
from tests.support.signed_in_pages import (
    EXCLUDED,
    NOW,
    Visit,
    World,
    build_world,
    get_visits,
    post_actions,
    second_factors,
    sign_in,
    url_of,
)
from tests.support.signed_in_webhooks import EXCLUDED_WEBHOOK_PAGES

SIGNED_OUT = "signed_out"
# Single-role members of staff, least able first: a regulator page is visited by the first
# of them that may see it.
STAFF_ROLES = {
    "inspector": StaffRole.INSPECTOR,
    "assessor": StaffRole.REGISTRATION_ASSESSOR,
    "team_leader": StaffRole.TEAM_LEADER,
    "administrator": StaffRole.ADMINISTRATOR,
}
# Pages that differ for each role: every role visits them.
EVERY_ROLE_VISITS = ("home:index", "accounts:home")

# The signed-in walk's exclusions that are not pages: the API, and development only.
NOT_PAGES: dict[str, str] = {
    **{name: reason for name, reason in EXCLUDED.items() if name.startswith("api:")},
    **EXCLUDED_WEBHOOK_PAGES,
    "operations:healthz": "the load balancer's probe (JSON)",
    "organisations:location_search": "the location picker's suggestions (JSON)",
    "notifications:history_locations": "the history's location suggestions (JSON)",
    "documents:download": "a file's bytes, or a redirect to object storage",
    "register:certificate_pdf": "a PDF certificate (a download)",
    "register:staff_certificate_pdf": "a PDF certificate (a download)",
    "applications:notice_pdf": "a PDF notice (a download)",
    "notifications:export": "a CSV download of the notifications",
    "dashboards:csv": "a CSV download of a dashboard's figures",
    "accounts:change_authenticator": "a redirect to setting up the new authenticator",
}


@dataclass(frozen=True)
class PageVisit:
    """A visit in the browser: a Visit, and the cookies to set first (signed out)."""

    visit: Visit
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.visit.label


def _route_of(path: str) -> str:
    return str(resolve(path.split("?")[0]).route)


def _join(prefix: str, route: str) -> str:
    """As Django joins the routes of include()s in ResolverMatch.route."""
    return prefix + (route[1:] if prefix and route.startswith("^") else route)


def every_route() -> list[tuple[str, str]]:
    """Every route in the URLconf (as ResolverMatch.route spells it), with its
    "namespace:name" ("" when it has none). Two patterns may share a route (one for each
    method)."""

    def inner(resolver: Any, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for entry in resolver.url_patterns:
            route = _join(prefix, str(entry.pattern))
            if isinstance(entry, URLResolver):
                inner_namespace = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from inner(entry, route, inner_namespace)
            else:
                yield route, f"{namespace}{entry.name}" if entry.name else ""

    return list(inner(get_resolver(), "", ""))


# ---------------------------------------------------------------------------------------
# The people and objects
# ---------------------------------------------------------------------------------------


def build_every_page_world() -> World:
    world = build_world()
    team = world.objects["staff_team"]
    for key, role in STAFF_ROLES.items():
        user = make_user(f"{key}.only@regulator.example", is_staff=True, roles=[role], teams=[team])
        world.users[key] = user
    # Signed out, part-way through a journey: someone who has given their password.
    world.users["pending"] = make_user("pat.pending@sunrise.example", full_name="Pat Pending")
    second_factors(world.users["pending"])
    add_application_stages(world)
    return world


def add_application_stages(world: World) -> None:
    """Two more applications: one whose manager has still to answer her part, and one sent
    and validated with a request for information not yet answered."""
    applicant, manager = world.users["newcomer"], world.users["part_holder"]
    _application, world.objects["app_open_part"] = with_open_manager_part(applicant, manager)
    asked = with_signed_manager_part(applicant, manager)
    send(asked, applicant)
    assessment.validate(application_id=asked.pk, staff=world.users["staff"])
    world.objects["app_asked"] = asked
    world.objects["app_unanswered"] = assessment.request_information(
        application_id=asked.pk, staff=world.users["staff"], body="Send your staffing rota."
    )


def application_stage_visits(world: World) -> list[Visit]:
    o = world.objects
    part = {"part_id": o["app_open_part"].pk}
    asked = {"application_id": o["app_asked"].pk}
    return [
        Visit("applications:part_page", "part_holder", kwargs={**part, "page_key": "dbs"}),
        Visit("applications:detail", "newcomer", kwargs=asked),
        Visit(
            "applications:respond",
            "newcomer",
            kwargs={**asked, "request_id": o["app_unanswered"].pk},
        ),
        Visit("applications_staff:detail", "assessor", kwargs=asked),
    ]


def _cookie(key: str, email: str) -> dict[str, str]:
    response = browser_cookies.remember_email(HttpResponse(), key, email)
    name = browser_cookies.cookie_name(key)
    return {name: response.cookies[name].value}


def _stop_token(world: World) -> str:
    owner = world.users["rm"]
    email_change.ask_owner_to_confirm(
        user=owner, new_email="rita.new@sunrise.example", requested_by=None, reason="Married"
    )
    body = OutboxMessage.objects.filter(to=owner.email).latest("created_at").body
    found = re.search(r"/email-address/stop/([^/\s]+)/", body)
    assert found, body
    return found.group(1)


def signed_out_visits(world: World) -> list[PageVisit]:
    pending = {sessions.PENDING_USER: world.users["pending"].pk, sessions.PENDING_AT: NOW}
    new_email = "sam.signup@example.com"
    _invitation, staff_token = staff_services.invite_staff(
        actor=world.users["staff"],
        email="neil.newstaff@regulator.example",
        full_name="Neil Newstaff",
        roles=[StaffRole.INSPECTOR],
    )
    message = OutboxMessage.objects.latest("created_at")

    def visit(name: str, cookies: dict[str, str] | None = None, **options: Any) -> PageVisit:
        return PageVisit(Visit(name, SIGNED_OUT, **options), cookies or {})

    return [
        *(visit(f"pages:{n}") for n in ("start", "accessibility", "privacy", "cookies", "contact")),
        visit("accounts:sign_up"),
        visit("accounts:sign_up_check_email", _cookie(SIGN_UP_EMAIL, new_email)),
        visit("accounts:sign_up_new_code", _cookie(SIGN_UP_EMAIL, new_email)),
        visit("accounts:sign_up_password", session={SIGN_UP_PROVEN: new_email}),
        visit("accounts:sign_in"),
        visit("accounts:sign_in_authenticator", session=pending),
        visit("accounts:sign_in_recovery_code", session=pending),
        visit("accounts:sign_in_passkey", session=pending),
        visit("accounts:lost_second_factor", session=pending),
        visit("accounts:lost_second_factor_code", session=pending),
        visit(
            "accounts:lost_second_factor_request",
            session={**pending, FACTOR_RESET_PROVEN: world.users["pending"].pk},
        ),
        visit("accounts:lost_second_factor_sent"),
        visit("accounts:signed_out"),
        visit("accounts:password_reset"),
        visit("accounts:password_reset_check_email", _cookie(RESET_EMAIL, new_email)),
        visit("accounts:password_reset_new_code", _cookie(RESET_EMAIL, new_email)),
        visit("accounts:password_reset_new_password", session={RESET_PROVEN: new_email}),
        visit("accounts:password_reset_done"),
        visit("accounts:email_change_stop", kwargs={"token": _stop_token(world)}),
        visit("staff_invitations:accept", kwargs={"token": staff_token}),
        visit("emails:sent_emails"),
        visit("emails:sent_email", kwargs={"message_id": message.pk}),
        visit("operations:request_too_large", status=413),
    ]


# ---------------------------------------------------------------------------------------
# Who visits what
# ---------------------------------------------------------------------------------------


def _answers(client: Client, world: World, visit: Visit) -> int:
    sign_in(client, world.users[visit.actor], visit)
    return int(client.get(url_of(visit)).status_code)


def _as_staff_roles(client: Client, world: World, visit: Visit) -> list[Visit]:
    """The regulator's page as the first single-role member of staff who may see it (every
    one of them for a page that differs by role); as the all-roles member if none may."""
    every = visit.name in EVERY_ROLE_VISITS
    chosen = []
    for key in STAFF_ROLES:
        candidate = replace(visit, actor=key)
        if _answers(client, world, candidate) == visit.status:
            chosen.append(candidate)
            if not every:
                break
    return chosen or [visit]


def browser_visits(world: World) -> list[PageVisit]:
    """Every HTML page to walk, grouped by who visits it (one browser context each)."""
    client = Client()
    visits: list[Visit] = []
    for visit in get_visits(world):
        if visit.status != 200 or visit.name in NOT_PAGES:
            continue
        visits.extend(_as_staff_roles(client, world, visit) if visit.actor == "staff" else [visit])
    visits.extend(application_stage_visits(world))
    # A page the all-roles member of staff visits twice may fall to one role both times.
    unique = {(v.label, repr(v.kwargs), repr(v.session)): v for v in visits}
    return [PageVisit(visit) for visit in unique.values()] + signed_out_visits(world)


def non_page_visits(world: World) -> list[Visit]:
    """The visits of the URLs in NOT_PAGES, to check they do not answer with a page."""
    return [v for v in get_visits(world) if v.name in NOT_PAGES and v.status == 200]


@dataclass
class Coverage:
    missing: list[str]
    actions: list[str]
    not_actions: list[str]


def coverage(world: World, visited_paths: list[str]) -> Coverage:
    """Every route not visited must be in NOT_PAGES or answer GET with 405 (an action)."""
    visited = {_route_of(path) for path in visited_paths}
    rest = [(r, name) for r, name in every_route() if r not in visited and name not in NOT_PAGES]
    actions: list[str] = []
    not_actions: list[str] = []
    posts: dict[str, Callable[[World, str], Visit]] = {}
    actors: dict[str, str] = {}
    for action in post_actions():
        posts.setdefault(action.name, action.prepare)
        actors.setdefault(action.name, action.actor)
    client = Client()
    for route, name in sorted(rest):
        if name in posts:
            visit = replace(posts[name](world, actors[name]), method="GET", data={})
            status = _answers(client, world, visit)
            (actions if status == 405 else not_actions).append(f"/{route} ({name}): {status}")
    missing = sorted(f"/{route} ({name or 'unnamed'})" for route, name in rest if name not in posts)
    return Coverage(missing=missing, actions=actions, not_actions=not_actions)


def session_values(visit: Visit) -> dict[str, Any]:
    now = time.time()
    return {key: now if value == NOW else value for key, value in visit.session.items()}


def signed_in_cookie(user: User | None) -> str:
    """A session cookie: signed in as `user`, or a signed-out session."""
    client = Client()
    if user is not None:
        client.force_login(user)
        return str(client.cookies[settings.SESSION_COOKIE_NAME].value)
    from portal.accounts.session_store import SessionStore

    store = SessionStore()
    store.create()
    return str(store.session_key)
