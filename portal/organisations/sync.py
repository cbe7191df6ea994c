"""Keeping delegation in step with the register.

Access itself is never copied: the access function reads live roles on every request, so
an ended role or a deregistration takes effect at once. What this module keeps are the two
flags the team page shows, and the invitations a person sent while they could (withdrawn once
they no longer could), recomputed by the worker when the register changes for a person (the
`register_changed` receiver runs in the worker's transaction; see portal.register.events):
- "granter's role ended": memberships someone granted stay (they belong to the provider)
  but are listed for review once the granter could no longer grant them;
- "redundant": the member's own register role already gives everything the membership does,
  so the role wins and the membership is shown as redundant.
And `end_deregistered_access` removes memberships whose read-only period has passed.
"""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from portal.access import Account
from portal.organisations.access import forget_access
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.invitation_services import withdraw_invitations_beyond_authority
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.redundancy import REVIEW_NEEDED, flag_membership, refresh_redundancy
from portal.organisations.services.rules import could_still_grant
from portal.register.events import register_changed
from portal.register.models import Provider, RegistrationStatus
from portal.workflow.services import mark_locked, transition

logger = logging.getLogger(__name__)


def flag_memberships_granted_by(user: Account) -> int:
    """Flag for review the memberships this user granted but could no longer grant."""
    forget_access(user)
    flagged = 0
    providers: dict[str, Provider] = {}
    granted = Membership.objects.filter(
        granted_by_id=user.id, granter_review_since__isnull=True
    ).exclude(status=MembershipStatus.REMOVED)
    for membership in granted.select_related("provider").prefetch_related("locations"):
        if could_still_grant(user, membership):
            continue
        flag_membership(
            membership, REVIEW_NEEDED, who=user.email, reason="the granter's role has ended"
        )
        providers.setdefault(membership.provider_id, membership.provider)
        flagged += 1
    for provider in providers.values():
        _tell_team_managers_to_review(provider, granter=user)
    return flagged


def _tell_team_managers_to_review(provider: Provider, *, granter: Account) -> None:
    from django.urls import reverse

    from portal.emails.services import queue_email
    from portal.organisations.selectors import team_manager_users

    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "organisations:team", kwargs={"provider_id": provider.pk}
    )
    for manager in team_manager_users(provider):
        if manager.pk == granter.pk:
            continue
        queue_email(
            to=manager.email,
            template="organisations_review_needed",
            context={"provider_name": provider.name, "granter": granter.email, "link": link},
        )


@transaction.atomic
def sync_person(person_id: int) -> None:
    user = get_user_model().objects.filter(person_id=person_id).first()
    if user is None:
        return
    # Invitations first: this waits for any acceptance in progress (provider, then
    # invitation locks), so a membership it makes is then flagged below like any other.
    withdraw_invitations_beyond_authority(inviter=user)
    flag_memberships_granted_by(user)
    refresh_redundancy(user)
    forget_access(user)


@receiver(register_changed, dispatch_uid="organisations.sync_person")
def on_register_changed(sender: Any, person_id: int, **kwargs: Any) -> None:
    sync_person(person_id)


@transaction.atomic
def end_deregistered_access() -> int:
    """Remove memberships at providers (or at all of whose locations) deregistered more than
    the read-only period ago. Access already stopped at request time; this tidies the team
    page and records it."""
    cutoff = timezone.localdate() - dt.timedelta(
        days=settings.ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS
    )
    gone = Q(provider__registration_status=RegistrationStatus.DEREGISTERED) & (
        Q(provider__deregistration_date__lt=cutoff)
        | Q(provider__deregistration_date__isnull=True, provider__updated_at__date__lt=cutoff)
    )
    ended = 0
    current = Membership.objects.exclude(status=MembershipStatus.REMOVED).select_for_update()
    for membership in current.filter(gone).select_related("user"):
        mark_locked(membership)
        why = "provider deregistered and the read-only period has passed"
        transition(
            membership,
            "end",
            actor=None,
            reason=why,
            changes={"changed_at": timezone.now()},
            verb=OrganisationsVerb.MEMBERSHIP_ENDED,
            data={
                "user": membership.user.email,
                "before": {"status": membership.status},
                "after": {"status": MembershipStatus.REMOVED},
                "reason": why,
            },
        )
        ended += 1
    return ended
