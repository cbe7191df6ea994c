"""The GOV.UK service navigation: the sections this user may use, the current one marked.

Built from `sections.sections_for` (the user's access, read once per request), so no item
costs a query. Someone signed in, or part-way through signing in or up, is never offered
"Create an account" or "Sign in".
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from portal.accounts import sessions
from portal.accounts.views import SIGN_UP_PROVEN
from portal.frontend.reversing import url
from portal.home.sections import Kind, Sections, sections_for, staff_sections

# Session keys that say someone is part-way through signing up or in (set by accounts).
PART_WAY_KEYS = (sessions.PENDING_USER, SIGN_UP_PROVEN)


@dataclass(frozen=True)
class Item:
    text: str
    href: str
    # Further paths that belong to this section (the href itself always does).
    also: tuple[str, ...] = ()

    def matches(self, path: str) -> int:
        """How closely `path` belongs here: the length of the longest prefix, else 0."""
        return max((len(p) for p in (self.href, *self.also) if path.startswith(p)), default=0)


def _provider_items(sections: Sections) -> list[Item]:
    items = [Item("Home", url("home:index"))]
    if sections.may_view or sections.may_draft:
        history = url("notifications:history")
        start = "notifications:history" if sections.may_view else "notifications:choose_provider"
        items.append(Item("Notifications", url(start), also=(history,)))
    if sections.registered_person:
        items.append(Item("Your registration", url("register:your_registration")))
    items.append(Item("Applications", url("applications:list")))
    providers = url("organisations:providers")
    if sections.team_provider is not None:
        team = url("organisations:team", provider_id=sections.team_provider.pk)
        also = (providers,) if not sections.several_providers else ()
        items.append(Item("Your team", team, also=also))
    if sections.several_providers or (sections.may_view_team and sections.team_provider is None):
        items.append(Item("Your providers", providers))
    return items


def _staff_items(sections: Sections) -> list[Item]:
    """The back-office sections whose staff permission this member of staff holds."""
    return [Item("Home", url("home:index"))] + [
        Item(section.navigation_text, url(section.url_name)) for section in staff_sections(sections)
    ]


def items_for(request: HttpRequest) -> list[Item]:
    sections = sections_for(request)
    if sections is None:
        session = getattr(request, "session", None)
        if session is not None and any(key in session for key in PART_WAY_KEYS):
            return []
        return [
            Item("Create an account", url("accounts:sign_up")),
            Item("Sign in", url("accounts:sign_in")),
        ]
    if sections.kind is Kind.STAFF:
        items = _staff_items(sections)
    elif sections.kind is Kind.PROVIDER:
        items = _provider_items(sections)
    else:
        # No role yet: anyone may apply to register a new provider and follow it.
        items = [
            Item("Home", url("home:index")),
            Item("Applications", url("applications:list")),
        ]
    return [
        *items,
        Item("Your account", url("accounts:home")),
        Item("Sign out", url("accounts:sign_out")),
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `navigation_items` for govukServiceNavigation, where the
    service name leads (the home once signed in), and whether a link to send a notification
    would open for this visitor (someone not signed in is asked to sign in first; a member
    of staff or someone with no provider role would be refused, so is not offered it)."""
    path = request.path
    items = items_for(request)
    best = max((item.matches(path) for item in items), default=0)
    rendered = []
    for item in items:
        closeness = item.matches(path)
        entry: dict[str, Any] = {"text": item.text, "href": item.href}
        if best and closeness == best:
            entry["current" if path == item.href else "active"] = True
        rendered.append(entry)
    sections = sections_for(request)
    return {
        "navigation_items": rendered,
        "service_url": url("home:index") if sections is not None else url("pages:start"),
        "may_send_notifications": sections is None or sections.may_draft,
    }
