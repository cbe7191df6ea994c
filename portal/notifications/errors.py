"""Why notification services refuse a request: stable codes for the API (portal.errors).

Services `raise refused(NotificationError.X)`: a ServiceError with the code, the message
below (written for the person who made the request; views show it as it is) and the field
it concerns. A few refusals carry a message of the moment (the lifecycle's or the type's
reason), given as the second argument."""

from portal.errors import ErrorCode, Refusals


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
    FILES_BEING_CHECKED = "notifications.files_being_checked"
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


# The message and field of each code (a refusal may give a more specific message).
_REFUSALS: dict[NotificationError, tuple[str, str | None]] = {
    NotificationError.NOT_IN_SCOPE: (
        "You cannot send notifications for this provider or location.",
        "location",
    ),
    NotificationError.WHOLE_PROVIDER_ONLY: (
        "Only people registered for the whole provider can send this.",
        "location",
    ),
    NotificationError.TYPE_NOT_APPLICABLE: (
        "You cannot send this kind of notification for this provider or location.",
        "type",
    ),
    NotificationError.DRAFT_ALREADY_SENT: (
        "This notification has already been sent.",
        None,
    ),
    NotificationError.DRAFT_DELETED: (
        "This draft was deleted.",
        None,
    ),
    NotificationError.DRAFT_NOT_EDITABLE: (
        "You cannot change or delete this draft.",
        None,
    ),
    NotificationError.UNKNOWN_TYPE_VERSION: (
        "This notification's form is no longer in the catalogue.",
        None,
    ),
    NotificationError.SEND_NOT_PERMITTED: (
        "You can prepare this notification, but you do not have permission to send it. Ask someone who can send notifications for this location to check and send it.",
        None,
    ),
    NotificationError.ANSWERS_INCOMPLETE: (
        "Answer every question before you send the notification.",
        None,
    ),
    NotificationError.FILES_BEING_CHECKED: (
        "Some of your files are still being checked for viruses. You can send the "
        "notification when the check has finished (usually a few seconds)",
        None,
    ),
    NotificationError.DECLARATION_NOT_CONFIRMED: (
        "Confirm the declaration to send the notification",
        "declaration",
    ),
    NotificationError.UPDATE_NOT_PERMITTED: (
        "You do not have permission to send updates to this notification.",
        None,
    ),
    NotificationError.UNKNOWN_FOLLOW_UP: (
        "That is not an update this notification takes.",
        "follow_up",
    ),
    NotificationError.ALREADY_DECIDED: (
        "This notification has been decided. Send a new notification instead.",
        None,
    ),
    NotificationError.ANSWER_NOT_PERMITTED: (
        "You do not have permission to answer questions about this notification.",
        None,
    ),
    NotificationError.QUESTION_ALREADY_ANSWERED: (
        "This question has already been answered.",
        None,
    ),
    NotificationError.STAFF_ONLY: (
        "Only regulator staff can do that.",
        None,
    ),
    NotificationError.NOT_NOW: (
        "This cannot be done now.",
        None,
    ),
    NotificationError.REJECTION_REASON_MISSING: (
        "Enter the reason for rejecting the change",
        "reason",
    ),
}

refused = Refusals(_REFUSALS)
