"""Why delegation services refuse a request: stable codes for the API (portal.errors).

Every refusal is a `DelegationError` (a `ServiceError`) carrying one of these codes, a
message written for the person who asked, and the form field it concerns, if any.
"""

from portal.errors import ErrorCode, ServiceError


class OrganisationError(ErrorCode):
    # What was asked for
    PERMISSIONS_MISSING = "organisations.permissions_missing"
    PERMISSION_UNKNOWN = "organisations.permission_unknown"
    PERMISSION_ONLY_FOR_REGISTERED_PEOPLE = "organisations.permission_only_for_registered_people"
    LOCATIONS_MISSING = "organisations.locations_missing"
    LOCATION_UNKNOWN = "organisations.location_unknown"
    EMAIL_MISSING = "organisations.email_missing"
    EMAIL_TOO_LONG = "organisations.email_too_long"
    EMAIL_INVALID = "organisations.email_invalid"
    EMAIL_SHARED = "organisations.email_shared"
    MESSAGE_TOO_LONG = "organisations.message_too_long"
    REASON_MISSING = "organisations.reason_missing"
    REASON_TOO_LONG = "organisations.reason_too_long"
    # Who may do it
    PROVIDER_NOT_REGISTERED = "organisations.provider_not_registered"
    OUTSIDE_YOUR_TEAM = "organisations.outside_your_team"
    MORE_THAN_YOU_HOLD = "organisations.more_than_you_hold"
    OWN_ACCESS = "organisations.own_access"
    LAST_TEAM_MANAGER = "organisations.last_team_manager"
    MAY_NOT_DECIDE = "organisations.may_not_decide"
    # What is already so
    NOT_ALLOWED_NOW = "organisations.not_allowed_now"
    INVITE_YOURSELF = "organisations.invite_yourself"
    ALREADY_MEMBER = "organisations.already_member"
    ALREADY_HAS_ROLE_ACCESS = "organisations.already_has_role_access"
    ALREADY_INVITED = "organisations.already_invited"
    ALREADY_ASKED_TO_JOIN = "organisations.already_asked_to_join"
    ACCESS_SUSPENDED = "organisations.access_suspended"
    MEMBER_REMOVED = "organisations.member_removed"
    RESEND_TOO_SOON = "organisations.resend_too_soon"
    NEWER_INVITATION = "organisations.newer_invitation"
    # Using an invitation
    INVITATION_LINK_INVALID = "organisations.invitation_link_invalid"
    INVITATION_FOR_ANOTHER_ADDRESS = "organisations.invitation_for_another_address"
    INVITATION_USED = "organisations.invitation_used"
    INVITATION_NOT_USED = "organisations.invitation_not_used"
    INVITATION_CANCELLED = "organisations.invitation_cancelled"
    INVITATION_EXPIRED = "organisations.invitation_expired"
    INVITATION_LOCATIONS_DEREGISTERED = "organisations.invitation_locations_deregistered"
    INVITATION_WITHDRAWN = "organisations.invitation_withdrawn"


class DelegationError(ServiceError):
    """A request the delegation rules refuse."""

    code: OrganisationError

    def __init__(self, code: OrganisationError, message: str, *, field: str | None = None) -> None:
        super().__init__(code, message, field=field)


class SignedInAsSomeoneElse(DelegationError):
    """The invitation is for a different address from the signed-in account's."""


class InvitationClosed(DelegationError):
    """The invitation could not be used and is now closed for good (not used, or withdrawn).
    Raised only after that closing has been saved."""
