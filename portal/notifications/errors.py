"""Why notification services refuse a request: stable codes for the API (portal.errors).

Services raise `ServiceError(NotificationError.X, message, field=...)`; the message is
written for the person who made the request, and views show it as it is."""

from portal.errors import ErrorCode


class NotificationError(ErrorCode):
    # Starting and editing a draft
    NOT_IN_SCOPE = "notifications.not_in_scope"
    WHOLE_PROVIDER_ONLY = "notifications.whole_provider_only"
    TYPE_NOT_APPLICABLE = "notifications.type_not_applicable"
    DRAFT_ALREADY_SENT = "notifications.draft_already_sent"
    DRAFT_DELETED = "notifications.draft_deleted"
    DRAFT_NOT_EDITABLE = "notifications.draft_not_editable"
    UNKNOWN_TYPE_VERSION = "notifications.unknown_type_version"
    # Sending
    SEND_NOT_PERMITTED = "notifications.send_not_permitted"
    ANSWERS_INCOMPLETE = "notifications.answers_incomplete"
    DECLARATION_NOT_CONFIRMED = "notifications.declaration_not_confirmed"
    # The thread after sending
    UPDATE_NOT_PERMITTED = "notifications.update_not_permitted"
    UNKNOWN_FOLLOW_UP = "notifications.unknown_follow_up"
    ALREADY_DECIDED = "notifications.already_decided"
    ANSWER_NOT_PERMITTED = "notifications.answer_not_permitted"
    QUESTION_ALREADY_ANSWERED = "notifications.question_already_answered"
    # Staff
    STAFF_ONLY = "notifications.staff_only"
    NOT_NOW = "notifications.not_now"
    REJECTION_REASON_MISSING = "notifications.rejection_reason_missing"
