"""Why staff administration refuses a request: stable codes (portal.errors)."""

from portal.errors import ErrorCode, ServiceError


class StaffErrorCode(ErrorCode):
    # What was asked for
    EMAIL_MISSING = "staff.email_missing"
    EMAIL_TOO_LONG = "staff.email_too_long"
    EMAIL_INVALID = "staff.email_invalid"
    EMAIL_NOT_REGULATOR_DOMAIN = "staff.email_not_regulator_domain"
    NAME_MISSING = "staff.name_missing"
    NAME_TOO_LONG = "staff.name_too_long"
    ROLES_MISSING = "staff.roles_missing"
    ROLE_UNKNOWN = "staff.role_unknown"
    TEAM_UNKNOWN = "staff.team_unknown"
    TEAM_NAME_MISSING = "staff.team_name_missing"
    TEAM_NAME_TOO_LONG = "staff.team_name_too_long"
    TEAM_NAME_TAKEN = "staff.team_name_taken"
    TEAM_REGION_SECTOR_TAKEN = "staff.team_region_sector_taken"
    REGION_UNKNOWN = "staff.region_unknown"
    SECTOR_UNKNOWN = "staff.sector_unknown"
    REASON_TOO_LONG = "staff.reason_too_long"
    # What is already so
    ALREADY_HAS_ACCOUNT = "staff.already_has_account"
    ALREADY_INVITED = "staff.already_invited"
    ACCESS_ALREADY_ENDED = "staff.access_already_ended"
    ACCESS_NOT_ENDED = "staff.access_not_ended"
    LAST_ADMINISTRATOR = "staff.last_administrator"
    ADMINISTRATOR_EXISTS = "staff.administrator_exists"
    # Using an invitation
    INVITATION_LINK_INVALID = "staff.invitation_link_invalid"
    INVITATION_USED = "staff.invitation_used"
    INVITATION_CANCELLED = "staff.invitation_cancelled"
    INVITATION_EXPIRED = "staff.invitation_expired"
    # Resending an invitation
    INVITATION_RESENT_RECENTLY = "staff.invitation_resent_recently"
    INVITATION_SENT_TOO_OFTEN = "staff.invitation_sent_too_often"


class StaffError(ServiceError):
    """A request staff administration refuses."""

    code: StaffErrorCode

    def __init__(self, code: StaffErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(code, message, field=field)
