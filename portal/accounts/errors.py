"""Why account services refuse a request: stable codes for the API (portal.errors)."""

from portal.errors import ErrorCode


class AccountsErrorCode(ErrorCode):
    SIGN_UP_NOT_ELIGIBLE = "accounts.sign_up_not_eligible"
    FACTOR_RESET_ALREADY_DECIDED = "accounts.factor_reset_already_decided"
    PASSKEY_EXPIRED = "accounts.passkey_expired"
    PASSKEY_NOT_VERIFIED = "accounts.passkey_not_verified"
    PASSKEY_UNKNOWN = "accounts.passkey_unknown"
    PASSKEY_ALREADY_ADDED = "accounts.passkey_already_added"
    PASSKEY_TOO_MANY = "accounts.passkey_too_many"
    PASSKEY_CLONE_SUSPECTED = "accounts.passkey_clone_suspected"
    PASSKEY_BLOCKED = "accounts.passkey_blocked"
    EMAIL_CHANGE_NONE_WAITING = "accounts.email_change_none_waiting"
    EMAIL_CHANGE_ADDRESS_TAKEN = "accounts.email_change_address_taken"
