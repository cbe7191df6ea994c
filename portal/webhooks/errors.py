"""Why webhook services refuse a request: stable codes (portal.errors) and their messages."""

from portal.errors import ErrorCode, ServiceError


class WebhookErrorCode(ErrorCode):
    URL_MISSING = "webhooks.url_missing"
    URL_TOO_LONG = "webhooks.url_too_long"
    URL_INVALID = "webhooks.url_invalid"
    URL_NOT_HTTPS = "webhooks.url_not_https"
    URL_HAS_CREDENTIALS = "webhooks.url_has_credentials"
    URL_NOT_PUBLIC = "webhooks.url_not_public"
    URL_ALREADY_REGISTERED = "webhooks.url_already_registered"
    DESCRIPTION_TOO_LONG = "webhooks.description_too_long"
    NO_EVENTS = "webhooks.no_events"
    UNKNOWN_EVENT = "webhooks.unknown_event"
    TOO_MANY_ENDPOINTS = "webhooks.too_many_endpoints"
    NOT_FOUND = "webhooks.not_found"
    PAUSED = "webhooks.paused"
    NOT_FAILED = "webhooks.delivery_not_failed"


_MESSAGES: dict[WebhookErrorCode, tuple[str, str | None]] = {
    WebhookErrorCode.URL_MISSING: ("Enter the address of your endpoint", "url"),
    WebhookErrorCode.URL_TOO_LONG: ("The address must be {limit} characters or fewer", "url"),
    WebhookErrorCode.URL_INVALID: (
        "Enter the address in the correct format, like https://records.example.com/hooks",
        "url",
    ),
    WebhookErrorCode.URL_NOT_HTTPS: ("The address must start with https://", "url"),
    WebhookErrorCode.URL_HAS_CREDENTIALS: (
        "The address must not contain a user name or password: we sign every delivery instead",
        "url",
    ),
    WebhookErrorCode.URL_NOT_PUBLIC: (
        "The address must be on the public internet, not a private, local or reserved network",
        "url",
    ),
    WebhookErrorCode.URL_ALREADY_REGISTERED: (
        "This address is already registered for this provider",
        "url",
    ),
    WebhookErrorCode.DESCRIPTION_TOO_LONG: (
        "The description must be {limit} characters or fewer",
        "description",
    ),
    WebhookErrorCode.NO_EVENTS: ("Select at least one event to send", "events"),
    WebhookErrorCode.UNKNOWN_EVENT: ("Select events from the list", "events"),
    WebhookErrorCode.TOO_MANY_ENDPOINTS: (
        "A provider can have at most {limit} endpoints. Delete one you no longer use first",
        "url",
    ),
    WebhookErrorCode.NOT_FOUND: ("This endpoint or delivery does not exist", None),
    WebhookErrorCode.PAUSED: ("The endpoint is paused. Resume it first", None),
    WebhookErrorCode.NOT_FAILED: ("Only a failed delivery can be sent again", None),
}


class WebhookError(ServiceError):
    def __init__(self, code: WebhookErrorCode, **values: object) -> None:
        message, field = _MESSAGES[code]
        super().__init__(code, message.format(**values), field=field)
