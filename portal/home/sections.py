"""Which parts of the portal a signed-in user may use, worked out once per request.

Both the service navigation (on every page) and the home page read this, so they never
disagree. Everything comes from the portal's one access function
(portal.organisations.access), whose answer is kept on the user object: a page that has
already asked pays nothing more, any other page pays its one query.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest

from portal.access import Account
from portal.organisations.access import ProviderSource, access_for
from portal.organisations.permissions import Permission
from portal.organisations.selectors import CURRENT_PROVIDER_SESSION_KEY
from portal.register.models import Provider
from portal.staff_permissions import StaffPermission, staff_permissions_of

_REQUEST_ATTRIBUTE = "_home_sections"


class Kind(StrEnum):
    STAFF = "staff"
    PROVIDER = "provider"  # a registered person or someone given access
    NO_ROLE = "no_role"  # signed in, with no access to any provider yet


@dataclass(frozen=True)
class Sections:
    kind: Kind
    # Providers the user acts for, by name (each read with the access, so no query; not
    # model instances, which most pages would build only to count them).
    providers: tuple[ProviderSource, ...] = ()
    # The provider chosen in the switcher, or the only one.
    current: Provider | None = None
    may_view: bool = False
    may_draft: bool = False
    may_view_team: bool = False
    # Someone the register names (only they have "Your registration").
    registered_person: bool = False
    # Where "Your team" goes: the current provider's team, if the user may see it there.
    team_provider: Provider | None = None
    # Regulator staff: the staff permissions they hold (each back-office section needs one).
    staff: frozenset[StaffPermission] = frozenset()

    @property
    def several_providers(self) -> bool:
        return len(self.providers) > 1


@dataclass(frozen=True)
class StaffSection:
    """A part of the back office, reached only with its named staff permission."""

    navigation_text: str  # short, for the service navigation
    home_text: str  # the link on the staff home
    url_name: str
    permission: StaffPermission


STAFF_SECTIONS = (
    StaffSection("Cases", "Your cases and the queue", "casework:mine", StaffPermission.VIEW_CASES),
    StaffSection(
        "Inbox",
        "Notifications inbox",
        "notifications_staff:inbox",
        StaffPermission.VIEW_NOTIFICATIONS_QUEUE,
    ),
    StaffSection(
        "Applications",
        "Registration applications",
        "applications_staff:list",
        StaffPermission.VIEW_APPLICATIONS,
    ),
    StaffSection(
        "Register", "Search the register", "register:search", StaffPermission.VIEW_REGISTER
    ),
    StaffSection(
        "Accounts",
        "Find an account",
        "accounts:staff_account_search",
        StaffPermission.MANAGE_ACCOUNTS,
    ),
    StaffSection(
        "Second factor requests",
        "Second factor reset requests",
        "accounts:staff_factor_resets",
        StaffPermission.DECIDE_SECOND_FACTOR_RESETS,
    ),
    StaffSection("Staff", "Staff and teams", "staff:list", StaffPermission.MANAGE_STAFF),
    StaffSection(
        "Dashboards",
        "Dashboards: arrivals, backlog, times and overdue cases",
        "dashboards:dashboard",
        StaffPermission.VIEW_DASHBOARDS,
    ),
)


def staff_sections(sections: Sections) -> list[StaffSection]:
    """The back-office sections this member of staff holds the permission for, in order."""
    return [section for section in STAFF_SECTIONS if section.permission in sections.staff]


def _provider_sections(user: Account, chosen: str | None) -> Sections:
    held = {
        provider_id: access for provider_id, access in access_for(user).items() if access.any_access
    }
    if not held:
        return Sections(kind=Kind.NO_ROLE, registered_person=user.person_id is not None)
    providers = tuple(sorted((a.source for a in held.values()), key=lambda p: p.name))
    current = None
    if chosen in held:
        current = held[chosen].provider
    elif len(providers) == 1:
        current = providers[0].provider

    def anywhere(permission: str) -> bool:
        return any(access.has_anywhere(permission) for access in held.values())

    team_provider = None
    if current is not None and held[current.pk].has_anywhere(Permission.VIEW_TEAM):
        team_provider = current
    return Sections(
        kind=Kind.PROVIDER,
        providers=providers,
        current=current,
        may_view=anywhere(Permission.VIEW_SUBMISSIONS),
        may_draft=anywhere(Permission.DRAFT_NOTIFICATIONS),
        may_view_team=anywhere(Permission.VIEW_TEAM),
        registered_person=user.person_id is not None,
        team_provider=team_provider,
    )


def sections_for(request: HttpRequest) -> Sections | None:
    """What this signed-in user may use; None for someone not signed in."""
    user = getattr(request, "user", None)  # absent on pages refused before authentication
    if user is None or not user.is_authenticated:
        return None
    cached: Sections | None = getattr(request, _REQUEST_ATTRIBUTE, None)
    if cached is None:
        staff = staff_permissions_of(user)
        if staff:
            cached = Sections(kind=Kind.STAFF, staff=staff)
        else:
            cached = _provider_sections(user, request.session.get(CURRENT_PROVIDER_SESSION_KEY))
        setattr(request, _REQUEST_ATTRIBUTE, cached)
    return cached
