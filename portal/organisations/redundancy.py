"""Memberships a register role makes redundant: the role already gives everything the
membership does, so the role wins and the team page shows the membership as redundant."""

from dataclasses import dataclass

from django.utils import timezone

from portal.access import Account
from portal.audit.services import record
from portal.organisations.access import (
    PARTNER_PERMISSIONS,
    REGISTERED_MANAGER_PERMISSIONS,
    WHOLE_PROVIDER_ROLES,
    _live_roles,
)
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.models import Membership, MembershipStatus
from portal.register.models import RegistrationStatus, RoleType


def _role_only_grants(user: Account) -> dict[str, tuple[set[str], dict[str, set[str]]]]:
    """Per provider: permissions from register roles alone (whole provider, per location)."""
    grants: dict[str, tuple[set[str], dict[str, set[str]]]] = {}
    if user.person_id is None:
        return grants
    for role in _live_roles(user.person_id).filter(
        provider__registration_status=RegistrationStatus.REGISTERED
    ):
        whole, at = grants.setdefault(role.provider_id, (set(), {}))
        if role.role in WHOLE_PROVIDER_ROLES:
            whole.update(REGISTERED_MANAGER_PERMISSIONS)
        elif role.role == RoleType.PARTNER:
            whole.update(PARTNER_PERMISSIONS)
        elif role.role == RoleType.REGISTERED_MANAGER and role.location_id:
            at.setdefault(role.location_id, set()).update(REGISTERED_MANAGER_PERMISSIONS)
    return grants


@dataclass(frozen=True)
class MembershipFlag:
    """A flag a membership can carry: the field holding when it was raised, the audit verb,
    and the key naming whose change raised it."""

    since_field: str
    verb: OrganisationsVerb
    name: str
    who_key: str


REDUNDANT = MembershipFlag(
    "redundant_since", OrganisationsVerb.MEMBERSHIP_REDUNDANT, "redundant", "user"
)
REVIEW_NEEDED = MembershipFlag(
    "granter_review_since",
    OrganisationsVerb.MEMBERSHIP_REVIEW_NEEDED,
    "review_needed",
    "granted_by",
)


def flag_membership(membership: Membership, flag: MembershipFlag, *, who: str, reason: str) -> None:
    """Raise one of a membership's flags (recording the moment) and audit it."""
    setattr(membership, flag.since_field, timezone.now())
    membership.save(update_fields=[flag.since_field])
    record(
        verb=flag.verb,
        target=membership,
        data={
            flag.who_key: who,
            "reason": reason,
            "before": {flag.name: False},
            "after": {flag.name: True},
        },
    )


def refresh_redundancy(user: Account) -> None:
    """Flag (or unflag) this user's memberships that their register roles make redundant."""
    grants = _role_only_grants(user)
    memberships = Membership.objects.filter(user_id=user.id).exclude(
        status=MembershipStatus.REMOVED
    )
    for membership in memberships.prefetch_related("locations"):
        whole, at = grants.get(membership.provider_id, (set(), {}))
        wanted = set(membership.permissions)
        if membership.whole_provider:
            covered = wanted <= whole
        else:
            location_ids = [location.pk for location in membership.locations.all()]
            covered = all(wanted <= (whole | at.get(lid, set())) for lid in location_ids)
        if covered and membership.redundant_since is None:
            flag_membership(
                membership,
                REDUNDANT,
                who=user.email,
                reason="their registered role gives this access",
            )
        elif not covered and membership.redundant_since is not None:
            membership.redundant_since = None
            membership.save(update_fields=["redundant_since"])
