"""Why the API, or its key services, refuse: stable codes (portal.errors) that each problem
document (RFC 9457) carries in its `code` member."""

from portal.errors import ErrorCode, Refusals


class ApiError(ErrorCode):
    # Keys
    KEY_MISSING = "api.key_missing"
    KEY_INVALID = "api.key_invalid"
    KEY_REVOKED = "api.key_revoked"
    KEY_EXPIRED = "api.key_expired"
    KEY_NAME_MISSING = "api.key_name_missing"
    KEY_NAME_TOO_LONG = "api.key_name_too_long"
    KEY_NAME_TAKEN = "api.key_name_taken"
    KEY_NO_PERMISSIONS = "api.key_no_permissions"
    KEY_PERMISSION_NOT_DELEGABLE = "api.key_permission_not_delegable"
    KEY_PERMISSION_NOT_HELD = "api.key_permission_not_held"
    KEY_LOCATION_NOT_HELD = "api.key_location_not_held"
    KEY_EXPIRY_OUT_OF_RANGE = "api.key_expiry_out_of_range"
    KEY_ALREADY_REVOKED = "api.key_already_revoked"
    # Requests
    RATE_LIMITED = "api.rate_limited"
    IDEMPOTENCY_KEY_MISSING = "api.idempotency_key_missing"
    IDEMPOTENCY_KEY_INVALID = "api.idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "api.idempotency_key_reused"
    INVALID_REQUEST = "api.invalid_request"
    INVALID_CURSOR = "api.invalid_cursor"
    NOT_FOUND = "api.not_found"
    NOT_PERMITTED = "api.not_permitted"
    UNKNOWN_TYPE = "api.unknown_type"
    ANSWERS_INVALID = "api.answers_invalid"
    BODY_TOO_LARGE = "api.body_too_large"
    METHOD_NOT_ALLOWED = "api.method_not_allowed"


_REFUSALS: dict[ApiError, tuple[str, str | None]] = {
    ApiError.KEY_MISSING: ("Send your API key as 'Authorization: Bearer <key>'.", None),
    ApiError.KEY_INVALID: ("This API key is not valid.", None),
    ApiError.KEY_REVOKED: ("This API key was revoked.", None),
    ApiError.KEY_EXPIRED: ("This API key has expired. Ask a team manager for a new one.", None),
    ApiError.KEY_NAME_MISSING: ("Enter a name for the key", "name"),
    ApiError.KEY_NAME_TOO_LONG: ("The name must be 80 characters or fewer", "name"),
    ApiError.KEY_NAME_TAKEN: (
        "There is already a key with this name. Choose another name, or revoke that key first",
        "name",
    ),
    ApiError.KEY_NO_PERMISSIONS: ("Choose what the key may do", "permissions"),
    ApiError.KEY_PERMISSION_NOT_DELEGABLE: (
        "A key can never sign declarations: only a registered person can.",
        "permissions",
    ),
    ApiError.KEY_PERMISSION_NOT_HELD: (
        "You can only give a key permissions you hold yourself.",
        "permissions",
    ),
    ApiError.KEY_LOCATION_NOT_HELD: (
        "You can only give a key locations whose team you manage.",
        "locations",
    ),
    ApiError.KEY_EXPIRY_OUT_OF_RANGE: (
        "Choose an expiry between tomorrow and one year from today",
        "expires_in_days",
    ),
    ApiError.KEY_ALREADY_REVOKED: ("This key has already been revoked.", None),
    ApiError.RATE_LIMITED: ("Too many requests with this key. Wait and try again.", None),
    ApiError.IDEMPOTENCY_KEY_MISSING: (
        "Send an Idempotency-Key header (a new UUID for each new request) with every POST.",
        "Idempotency-Key",
    ),
    ApiError.IDEMPOTENCY_KEY_INVALID: (
        "The Idempotency-Key must be 1 to 255 visible ASCII characters.",
        "Idempotency-Key",
    ),
    ApiError.IDEMPOTENCY_KEY_REUSED: (
        "This Idempotency-Key was used for a different request. Use a new key.",
        "Idempotency-Key",
    ),
    ApiError.INVALID_REQUEST: ("The request is not valid.", None),
    ApiError.INVALID_CURSOR: ("The cursor is not valid: use the one a page gave you.", "cursor"),
    ApiError.NOT_FOUND: ("Not found, or not in this key's scope.", None),
    ApiError.NOT_PERMITTED: ("This key may not do that.", None),
    ApiError.UNKNOWN_TYPE: ("There is no notification type with that name and version.", "type"),
    ApiError.ANSWERS_INVALID: ("Some answers are not valid: see errors.", "answers"),
    ApiError.BODY_TOO_LARGE: ("The request body is too large.", None),
    ApiError.METHOD_NOT_ALLOWED: ("This method is not allowed here.", None),
}

refused = Refusals(_REFUSALS)
