"""What the application services refuse, each with a stable code (part of the API)."""

from portal.errors import ErrorCode, ServiceError


class ApplicationErrorCode(ErrorCode):
    NOT_FOUND = "applications.not_found"
    NOT_ALLOWED = "applications.not_allowed"
    CANNOT_SIGN = "applications.cannot_sign"
    NOT_EDITABLE = "applications.not_editable"
    NOT_APPLICABLE = "applications.not_applicable"
    REFUSED_BY_LIFECYCLE = "applications.refused_by_lifecycle"
    INCOMPLETE = "applications.incomplete"
    DECLARATION_NOT_CONFIRMED = "applications.declaration_not_confirmed"
    WRONG_ACCOUNT = "applications.wrong_account"
    PART_SIGNED = "applications.part_signed"
    BARRED = "applications.barred"
    INVALID = "applications.invalid"
    REGISTER_REFUSED = "applications.register_refused"


class ApplicationError(ServiceError):
    pass
