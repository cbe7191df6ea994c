"""Writes for delegation. Every function is keyword-only and atomic, checks who may act
(through the access function), writes an audit event with before/after in the same
transaction, and emails the person affected through the outbox. Refusals are
`DelegationError`s with a code from `portal.organisations.errors.OrganisationError`.

Rules enforced here (services.rules), whatever the caller:
- only people who can manage the team grant access: nominated individuals, responsible
  individuals and main partners for the whole provider, registered managers for their
  locations, delegates with "manage team" within their own scope;
- nobody grants, or changes someone to, more than they hold themselves, and nobody
  changes or removes someone who holds more than they do (or themselves);
- a provider never loses its last person who can manage its whole team.

The writes live by what they change: `invitations` (sending), `join_requests`,
`memberships`; using an invitation is `portal.organisations.invitation_services`.
"""

from portal.organisations.errors import DelegationError, SignedInAsSomeoneElse
from portal.organisations.services.invitations import (
    cancel_invitation,
    expire_invitations,
    invitation_for_token,
    invite,
    pending_invitations_for_email,
    resend_invitation,
    token_hmac,
)
from portal.organisations.services.join_requests import (
    approve_join_request,
    refuse_join_request,
    request_to_join,
)
from portal.organisations.services.memberships import (
    change_membership,
    keep_after_review,
    move_membership,
    reinstate_membership,
    remove_membership,
    suspend_membership,
)
from portal.organisations.services.rules import (
    could_still_grant,
    ensure_may_grant,
    ensure_may_manage,
    may_manage,
    scope_of,
)

__all__ = [
    "DelegationError",
    "SignedInAsSomeoneElse",
    "approve_join_request",
    "cancel_invitation",
    "change_membership",
    "could_still_grant",
    "ensure_may_grant",
    "ensure_may_manage",
    "expire_invitations",
    "invitation_for_token",
    "invite",
    "keep_after_review",
    "may_manage",
    "move_membership",
    "pending_invitations_for_email",
    "refuse_join_request",
    "reinstate_membership",
    "remove_membership",
    "request_to_join",
    "resend_invitation",
    "scope_of",
    "suspend_membership",
    "token_hmac",
]
