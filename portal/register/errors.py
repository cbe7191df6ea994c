"""What register services refuse, by stable code."""

from portal.errors import ErrorCode, ServiceError


class RegisterErrorCode(ErrorCode):
    LAST_LOCATION = "register.last_location"
    NOT_REGISTERED = "register.not_registered"
    UNKNOWN_LOCATION = "register.unknown_location"
    UNKNOWN_ACTIVITY = "register.unknown_activity"
    UNKNOWN_SERVICE_TYPE = "register.unknown_service_type"
    LAST_ACTIVITY = "register.last_activity"
    NOT_A_PARTNER = "register.not_a_partner"
    NOT_A_MANAGER = "register.not_a_manager"
    CONDITION_ENDED = "register.condition_ended"
    INVALID_CHANGE = "register.invalid_change"


class RegisterError(ServiceError):
    pass
