"""Writes for changing a member's access: what they can do and where, suspending,
reinstating and removing them, and confirming access whose granter has gone."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.access import Account
from portal.audit.services import record
from portal.organisations.access import forget_access
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.errors import DelegationError, OrganisationError
from portal.organisations.models import Membership, MembershipStatus
from portal.organisations.permissions import Permission, describe_permissions
from portal.organisations.services import rules, steps
from portal.workflow.services import lock


def _locked_membership(membership: Membership) -> Membership:
    return lock(
        Membership.objects.select_for_update().select_related("provider", "user"), pk=membership.pk
    )


def _membership_email(membership: Membership, template: str) -> None:
    steps.email_user(
        membership.user,
        template,
        {
            "provider_name": membership.provider.name,
            "what": describe_permissions(membership.permissions),
            "where": steps.scope_words(membership.provider, rules.scope_of(membership)),
        },
    )


@transaction.atomic
def change_membership(
    *,
    actor: Account,
    membership: Membership,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Membership:
    provider = steps.lock_provider(membership.provider)
    membership = _locked_membership(membership)
    if membership.status == MembershipStatus.REMOVED:
        raise DelegationError(OrganisationError.MEMBER_REMOVED, "This person no longer has access")
    rules.ensure_may_manage(actor=actor, membership=membership)
    chosen, scope = rules.cleaned_grant(
        actor=actor,
        provider=provider,
        permissions=permissions,
        whole_provider=whole_provider,
        location_ids=location_ids,
    )
    rules.ensure_team_stays_managed(
        provider=provider,
        membership=membership,
        still_manages_whole_team=(
            membership.status == MembershipStatus.ACTIVE
            and scope.whole_provider
            and Permission.MANAGE_TEAM in chosen
        ),
    )
    before = steps.snapshot(membership)
    membership.permissions = sorted(chosen)
    membership.whole_provider = scope.whole_provider
    membership.locations.set(steps.locations(scope))
    membership.changed_at = timezone.now()
    membership.granted_by_id = actor.id
    membership.granter_review_since = None
    membership.save()
    after = steps.snapshot(membership)
    if before == after:
        return membership
    record(
        verb=OrganisationsVerb.MEMBERSHIP_CHANGED,
        actor=actor,
        target=membership,
        data={"user": membership.user.email, "before": before, "after": after},
        request=request,
    )
    steps.access_changed(membership.user)
    steps.inviter_lost_authority(membership.user, provider, actor=actor, request=request)
    _membership_email(membership, "organisations_access_changed")
    return membership


# Each move of a membership: what the audit says, and the email the member gets.
_MOVES = {
    "suspend": (OrganisationsVerb.MEMBERSHIP_SUSPENDED, "organisations_access_suspended"),
    "reinstate": (OrganisationsVerb.MEMBERSHIP_REINSTATED, "organisations_access_reinstated"),
    "remove": (OrganisationsVerb.MEMBERSHIP_REMOVED, "organisations_access_removed"),
}


@transaction.atomic
def move_membership(
    *, actor: Account, membership: Membership, action: str, request: HttpRequest | None = None
) -> Membership:
    """Suspend, reinstate or remove a member's access (`action`), keeping the team managed."""
    verb, template = _MOVES[action]
    provider = steps.lock_provider(membership.provider)
    membership = _locked_membership(membership)
    rules.ensure_may_manage(actor=actor, membership=membership)
    steps.refuse_if_not_now(membership, action)
    if action != "reinstate":
        rules.ensure_team_stays_managed(
            provider=provider, membership=membership, still_manages_whole_team=False
        )
    before = steps.snapshot(membership)
    steps.move(
        membership,
        action,
        actor=actor,
        changes={"changed_at": timezone.now()},
        verb=verb,
        data=lambda: {
            "user": membership.user.email,
            "before": before,
            "after": steps.snapshot(membership),
        },
        request=request,
    )
    forget_access(membership.user)
    if action != "reinstate":
        steps.inviter_lost_authority(membership.user, provider, actor=actor, request=request)
    _membership_email(membership, template)
    return membership


suspend_membership = partial(move_membership, action="suspend")
reinstate_membership = partial(move_membership, action="reinstate")
remove_membership = partial(move_membership, action="remove")


@transaction.atomic
def keep_after_review(
    *, actor: Account, membership: Membership, request: HttpRequest | None = None
) -> Membership:
    """Someone who could grant this access confirms it should stay; they become its granter."""
    membership = _locked_membership(membership)
    rules.ensure_may_manage(actor=actor, membership=membership)
    if membership.granter_review_since is None:
        return membership
    before = {
        "granted_by": membership.granted_by_id,
        "review_since": str(membership.granter_review_since),
    }
    membership.granter_review_since = None
    membership.granted_by_id = actor.id
    membership.changed_at = timezone.now()
    membership.save(update_fields=["granter_review_since", "granted_by", "changed_at"])
    record(
        verb=OrganisationsVerb.MEMBERSHIP_REVIEWED,
        actor=actor,
        target=membership,
        data={
            "user": membership.user.email,
            "before": before,
            "after": {"granted_by": actor.pk, "review_since": None},
        },
        request=request,
    )
    return membership
