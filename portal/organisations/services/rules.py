"""The delegation rules every organisations write checks: what may be asked for, who may
give it, and that a provider never loses its last person who can manage its whole team."""

from collections.abc import Callable, Iterable

from portal.access import Account
from portal.organisations.access import WHOLE_PROVIDER_ROLES, Scope, scope_for
from portal.organisations.errors import DelegationError, OrganisationError
from portal.organisations.models import Invitation, Membership, MembershipStatus
from portal.organisations.permissions import DELEGABLE_PERMISSIONS, Permission
from portal.register.models import Location, Provider, RoleAssignment
from portal.register.selectors import people_holding_email


def scope_of(holder: Membership | Invitation) -> Scope:
    if holder.whole_provider:
        return Scope(whole_provider=True)
    return Scope(
        whole_provider=False, location_ids=frozenset(loc.pk for loc in holder.locations.all())
    )


def clean_permissions(permissions: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(str(p) for p in permissions)
    if not chosen:
        raise DelegationError(
            OrganisationError.PERMISSIONS_MISSING, "Select what they can do", field="permissions"
        )
    unknown = chosen - DELEGABLE_PERMISSIONS
    if Permission.SIGN_DECLARATIONS in unknown:
        raise DelegationError(
            OrganisationError.PERMISSION_ONLY_FOR_REGISTERED_PEOPLE,
            "Only registered people can sign declarations",
            field="permissions",
        )
    if unknown:
        raise DelegationError(
            OrganisationError.PERMISSION_UNKNOWN,
            "Select what they can do from the list",
            field="permissions",
        )
    return chosen


def clean_scope(provider: Provider, whole_provider: bool, location_ids: Iterable[str]) -> Scope:
    if whole_provider:
        return Scope(whole_provider=True)
    ids = frozenset(str(i) for i in location_ids)
    if not ids:
        raise DelegationError(
            OrganisationError.LOCATIONS_MISSING, "Select at least one location", field="locations"
        )
    found = set(
        Location.objects.filter(pk__in=ids, provider=provider)
        .exclude(registration_status="Deregistered")
        .values_list("pk", flat=True)
    )
    if found != ids:
        raise DelegationError(
            OrganisationError.LOCATION_UNKNOWN, "Select locations from the list", field="locations"
        )
    return Scope(whole_provider=False, location_ids=ids)


def ensure_may_grant(
    *, actor: Account, provider: Provider, scope: Scope, permissions: frozenset[str]
) -> None:
    """Refuse unless the actor may manage the team over `scope` and holds every one of
    `permissions` over the whole of `scope` (never more than they hold themselves)."""
    if not provider.is_registered:
        raise DelegationError(
            OrganisationError.PROVIDER_NOT_REGISTERED,
            f"{provider.name} is no longer registered, so access cannot be given",
        )
    if not scope_for(actor, Permission.MANAGE_TEAM, provider).covers(scope):
        raise DelegationError(
            OrganisationError.OUTSIDE_YOUR_TEAM,
            "You can only give access to the locations whose team you manage",
            field="locations",
        )
    for permission in sorted(permissions):
        if not scope_for(actor, permission, provider).covers(scope):
            raise DelegationError(
                OrganisationError.MORE_THAN_YOU_HOLD,
                "You cannot give someone access you do not have yourself",
                field="permissions",
            )


def cleaned_grant(
    *,
    actor: Account,
    provider: Provider,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str],
) -> tuple[frozenset[str], Scope]:
    """What the actor asks to give (permissions, then where), cleaned; refused unless the
    actor may give it. Inviting, approving a request and changing a member all ask this."""
    chosen = clean_permissions(permissions)
    scope = clean_scope(provider, whole_provider, location_ids)
    ensure_may_grant(actor=actor, provider=provider, scope=scope, permissions=chosen)
    return chosen, scope


def ensure_may_grant_as_it_stands(*, actor: Account, holder: Membership | Invitation) -> None:
    """Refuse unless the actor could have granted this membership or invitation as it stands."""
    ensure_may_grant(
        actor=actor,
        provider=holder.provider,
        scope=scope_of(holder),
        permissions=frozenset(holder.permissions),
    )


def could_still_grant(granter: Account, holder: Membership | Invitation) -> bool:
    try:
        ensure_may_grant_as_it_stands(actor=granter, holder=holder)
    except DelegationError:
        return False
    return True


def ensure_may_manage(*, actor: Account, membership: Membership) -> None:
    """Refuse unless the actor could have granted this membership as it stands."""
    if membership.user_id == actor.pk:
        raise DelegationError(
            OrganisationError.OWN_ACCESS,
            "You cannot change your own access. Ask someone else in your team",
        )
    ensure_may_grant_as_it_stands(actor=actor, holder=membership)


def _whole_team_managers(provider: Provider, *, ignoring: Membership | None = None) -> set[str]:
    """Who can manage the provider's whole team: live registered people in whole-provider
    roles (with or without an account, since they can always sign up) and active
    whole-provider memberships with "manage team"."""
    managers = {
        f"person:{person_id}"
        for person_id in RoleAssignment.objects.live()
        .filter(provider=provider, role__in=WHOLE_PROVIDER_ROLES)
        .values_list("person_id", flat=True)
    }
    members = Membership.objects.filter(
        provider=provider, status=MembershipStatus.ACTIVE, whole_provider=True
    )
    if ignoring is not None:
        members = members.exclude(pk=ignoring.pk)
    for membership in members:
        if Permission.MANAGE_TEAM in membership.permissions:
            managers.add(f"user:{membership.user_id}")
    return managers


def ensure_team_stays_managed(
    *, provider: Provider, membership: Membership, still_manages_whole_team: bool
) -> None:
    before = _whole_team_managers(provider)
    after = _whole_team_managers(provider, ignoring=membership)
    if still_manages_whole_team:
        after.add(f"user:{membership.user_id}")
    if before and not after:
        raise DelegationError(
            OrganisationError.LAST_TEAM_MANAGER,
            f"{membership.user.email} is the only person who can manage the team for "
            f"{provider.name}. Give someone else “Manage team” for all locations first",
        )


def ensure_email_is_one_persons(email: str) -> None:
    people = people_holding_email(email)
    if len({entry.person.pk for entry in people}) > 1:
        raise DelegationError(
            OrganisationError.EMAIL_SHARED,
            "We hold this email address for more than one registered person. Each person "
            "needs an address of their own: ask them for a personal address",
            field="email",
        )


# A check that refuses when it holds: (does it hold?, the code, the message).
Refusal = tuple[Callable[[], bool], OrganisationError, str]


def refuse_first(*refusals: Refusal, field: str | None = None) -> None:
    """Refuse with the first of `refusals` that holds (checked in order, each only if the
    ones before it did not hold)."""
    for holds, code, message in refusals:
        if holds():
            raise DelegationError(code, message, field=field)


def has_current_membership(user: Account, provider: Provider, *statuses: str) -> bool:
    """Whether the user is a member of the provider (in one of `statuses`, or not removed)."""
    members = Membership.objects.filter(user_id=user.id, provider=provider)
    if statuses:
        return members.filter(status__in=statuses).exists()
    return members.exclude(status=MembershipStatus.REMOVED).exists()


def may_manage(actor: Account, membership: Membership) -> bool:
    try:
        ensure_may_manage(actor=actor, membership=membership)
    except DelegationError:
        return False
    return True
