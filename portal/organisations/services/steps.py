"""Steps the delegation writes share: locking, lifecycle moves, granting a membership with
its audit event, and the words and links their emails use."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest

from portal.access import Account
from portal.audit.services import record
from portal.emails.services import queue_email
from portal.organisations.access import Scope, forget_access
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.errors import DelegationError, OrganisationError
from portal.organisations.models import Invitation, JoinRequest, Membership
from portal.organisations.redundancy import refresh_redundancy
from portal.register.models import Location, Provider
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.services import transition


def link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def scope_words(provider: Provider, scope: Scope) -> str:
    if scope.whole_provider:
        return f"all locations of {provider.name}"
    names = Location.objects.filter(pk__any_of=scope.location_ids).order_by("name")
    return ", ".join(location.name for location in names)


def locations(scope: Scope) -> list[Location]:
    if scope.whole_provider:
        return []
    return list(Location.objects.filter(pk__any_of=scope.location_ids))


def snapshot(holder: Membership | Invitation) -> dict[str, Any]:
    """What an audit event records as before/after."""
    return {
        "status": holder.status,
        "whole_provider": holder.whole_provider,
        "locations": sorted(loc.pk for loc in holder.locations.all()),
        "permissions": sorted(holder.permissions),
    }


def lock_provider(provider: Provider) -> Provider:
    """Serialise team changes per provider, so two concurrent removals cannot both pass
    the last-manager guard."""
    return Provider.objects.select_for_update().get(pk=provider.pk)


def email_user(user: Account, template: str, context: dict[str, Any]) -> None:
    queue_email(to=user.email, template=template, context=context)


def move(row: Membership | Invitation | JoinRequest, action: str, **kwargs: Any) -> None:
    """A lifecycle move (portal.workflow): status-change row and audit event included."""
    try:
        transition(row, action, **kwargs)
    except TransitionRefused as refused:
        raise DelegationError(OrganisationError.NOT_ALLOWED_NOW, refused.reason) from refused


def refuse_if_not_now(row: Membership | JoinRequest, action: str) -> None:
    refusal = type(row).lifecycle.refusal(row, action)
    if refusal:
        raise DelegationError(OrganisationError.NOT_ALLOWED_NOW, refusal)


Holder = TypeVar("Holder", Membership, Invitation)


def create_with_scope(model: type[Holder], scope: Scope, **fields: Any) -> Holder:
    """A new membership or invitation for the whole provider or the scope's locations."""
    holder = model.objects.create(whole_provider=scope.whole_provider, **fields)
    if not scope.whole_provider:
        holder.locations.set(locations(scope))
    return holder


def create_membership(
    *,
    user: Account,
    provider: Provider,
    scope: Scope,
    permissions: Iterable[str],
    granted_by: Account | None,
) -> Membership:
    return create_with_scope(
        Membership,
        scope,
        user=user,
        provider=provider,
        permissions=sorted(permissions),
        granted_by=granted_by,
    )


def record_grant(
    membership: Membership,
    *,
    to: Account,
    actor: Account,
    via: str,
    request: HttpRequest | None,
) -> None:
    """Audit new access given to `to`, and how it came."""
    record(
        verb=OrganisationsVerb.MEMBERSHIP_GRANTED,
        actor=actor,
        target=membership,
        data={
            "user": to.email,
            "provider": membership.provider_id,
            "via": via,
            "before": None,
            "after": snapshot(membership),
        },
        request=request,
    )


def access_changed(user: Account) -> None:
    """After a grant or change: recheck which of the user's memberships their registered roles
    make redundant, and forget their cached access."""
    refresh_redundancy(user)
    forget_access(user)


# What must follow when a member's access at a provider shrinks: invitation_services
# registers the withdrawal of the invitations they could no longer give (it builds on these
# services, so they do not import it; organisations' AppConfig.ready loads it).
_AFTER_ACCESS_SHRANK: list[Callable[..., object]] = []


def after_access_shrank(react: Callable[..., object]) -> None:
    if react not in _AFTER_ACCESS_SHRANK:
        _AFTER_ACCESS_SHRANK.append(react)


def inviter_lost_authority(
    member: Account, provider: Provider, *, actor: Account, request: HttpRequest | None
) -> None:
    """After a member's access here shrank: withdraw the invitations they sent that they
    could no longer give."""
    for react in _AFTER_ACCESS_SHRANK:
        react(inviter=member, provider=provider, actor=actor, request=request)
