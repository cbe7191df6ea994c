"""Writes for requests to join a provider's team: asking, approving (which grants a
membership) and refusing with a reason."""

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portal.access import Account
from portal.audit.services import record
from portal.emails.services import queue_emails
from portal.organisations.access import compute_access, scope_for
from portal.organisations.audit_verbs import OrganisationsVerb
from portal.organisations.errors import DelegationError, OrganisationError
from portal.organisations.models import (
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipStatus,
)
from portal.organisations.permissions import Permission, describe_permissions
from portal.organisations.selectors import team_manager_users
from portal.organisations.services import rules, steps
from portal.register.models import Provider
from portal.workflow.services import lock

MESSAGE_MAX_LENGTH = 1000


def _clean_text(text: str, *, too_long: OrganisationError, what: str, field: str) -> str:
    text = text.strip()
    if len(text) > MESSAGE_MAX_LENGTH:
        raise DelegationError(
            too_long, f"{what} must be {MESSAGE_MAX_LENGTH} characters or fewer", field=field
        )
    return text


def _ensure_may_ask(user: Account, provider: Provider) -> None:
    name = provider.name
    rules.refuse_first(
        (
            lambda: not provider.is_registered,
            OrganisationError.PROVIDER_NOT_REGISTERED,
            f"{name} is no longer registered",
        ),
        (
            lambda: provider.pk in compute_access(user),
            OrganisationError.ALREADY_MEMBER,
            f"You already have access to {name}",
        ),
        (
            lambda: rules.has_current_membership(user, provider, MembershipStatus.SUSPENDED),
            OrganisationError.ACCESS_SUSPENDED,
            f"Your access to {name} is suspended. Ask someone who manages its team to reinstate it",
        ),
        (
            JoinRequest.objects.filter(
                user_id=user.id, provider=provider, status=JoinRequestStatus.PENDING
            ).exists,
            OrganisationError.ALREADY_ASKED_TO_JOIN,
            f"You have already asked to join {name}. We will email you when they decide",
        ),
        field="provider_id",
    )


@transaction.atomic
def request_to_join(
    *, user: Account, provider: Provider, message: str, request: HttpRequest | None = None
) -> JoinRequest:
    provider = steps.lock_provider(provider)
    message = _clean_text(
        message, too_long=OrganisationError.MESSAGE_TOO_LONG, what="Your message", field="message"
    )
    _ensure_may_ask(user, provider)
    join_request = JoinRequest.objects.create(user_id=user.id, provider=provider, message=message)
    record(
        verb=OrganisationsVerb.JOIN_REQUESTED,
        actor=user,
        target=join_request,
        data={"provider": provider.pk, "before": None, "after": {"status": join_request.status}},
        request=request,
    )
    context = {
        "provider_name": provider.name,
        "requester": user.full_name or user.email,
        "requester_email": user.email,
        "message": message,
        "link": steps.link(
            reverse(
                "organisations:join_request",
                kwargs={"provider_id": provider.pk, "request_id": join_request.pk},
            )
        ),
    }
    steps.email_user(user, "organisations_join_request_sent", context)
    # Every manager is told, in statements that do not grow with their number.
    queue_emails(
        to=[manager.email for manager in team_manager_users(provider) if manager.pk != user.pk],
        template="organisations_join_request_received",
        context=context,
    )
    return join_request


def _locked_join_request(join_request: JoinRequest) -> JoinRequest:
    return lock(
        JoinRequest.objects.select_for_update().select_related("provider", "user"),
        pk=join_request.pk,
    )


@transaction.atomic
def approve_join_request(
    *,
    actor: Account,
    join_request: JoinRequest,
    permissions: Iterable[str],
    whole_provider: bool,
    location_ids: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Membership:
    join_request = _locked_join_request(join_request)
    provider = steps.lock_provider(join_request.provider)
    chosen, scope = rules.cleaned_grant(
        actor=actor,
        provider=provider,
        permissions=permissions,
        whole_provider=whole_provider,
        location_ids=location_ids,
    )
    steps.refuse_if_not_now(join_request, "approve")
    requester = join_request.user
    if rules.has_current_membership(requester, provider):
        raise DelegationError(
            OrganisationError.ALREADY_MEMBER,
            f"{requester.email} already has access to {provider.name}",
        )
    membership = steps.create_membership(
        user=requester, provider=provider, scope=scope, permissions=chosen, granted_by=actor
    )
    steps.move(
        join_request,
        "approve",
        actor=actor,
        changes={"decided_by": actor, "decided_at": timezone.now()},
        verb=OrganisationsVerb.JOIN_REQUEST_APPROVED,
        data={"before": {"status": "pending"}, "after": {"status": JoinRequestStatus.APPROVED}},
        request=request,
    )
    steps.record_grant(
        membership,
        to=requester,
        actor=actor,
        via=f"join request {join_request.pk}",
        request=request,
    )
    steps.access_changed(requester)
    steps.email_user(
        requester,
        "organisations_join_request_approved",
        {
            "provider_name": provider.name,
            "what": describe_permissions(membership.permissions),
            "where": steps.scope_words(provider, scope),
            "start_link": steps.link(reverse("organisations:providers")),
        },
    )
    return membership


@transaction.atomic
def refuse_join_request(
    *,
    actor: Account,
    join_request: JoinRequest,
    reason: str,
    request: HttpRequest | None = None,
) -> JoinRequest:
    join_request = _locked_join_request(join_request)
    reason = _clean_text(
        reason, too_long=OrganisationError.REASON_TOO_LONG, what="The reason", field="reason"
    )
    if not reason:
        raise DelegationError(
            OrganisationError.REASON_MISSING,
            "Enter why you are refusing the request",
            field="reason",
        )
    if scope_for(actor, Permission.MANAGE_TEAM, join_request.provider).is_empty:
        raise DelegationError(
            OrganisationError.MAY_NOT_DECIDE, "You cannot decide requests to join this provider"
        )
    steps.move(
        join_request,
        "refuse",
        actor=actor,
        reason=reason,
        changes={"decided_by": actor, "decided_at": timezone.now(), "reason": reason},
        verb=OrganisationsVerb.JOIN_REQUEST_REFUSED,
        data={
            "before": {"status": "pending"},
            "after": {"status": JoinRequestStatus.REFUSED, "reason": reason},
        },
        request=request,
    )
    steps.email_user(
        join_request.user,
        "organisations_join_request_refused",
        {"provider_name": join_request.provider.name, "reason": reason},
    )
    return join_request
