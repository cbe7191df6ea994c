"""What notifications write to the audit log, and what each event must say."""

from portal.audit.verbs import AuditVerb


class NotificationsVerb(AuditVerb):
    DRAFT_STARTED = "notifications.draft_started", "type", "version"
    DRAFT_SAVED = "notifications.draft_saved", "page", "revision", "complete"
    DRAFT_DISCARDED = "notifications.draft_discarded"
    SUBMITTED = "notifications.submitted", "reference", "type", "version"
    UPDATE_ADDED = "notifications.update_added", "reference", "follow_up"
    QUESTION_ASKED = "notifications.question_asked", "reference"
    QUESTION_ANSWERED = "notifications.question_answered", "reference", "question"
    # Staff decisions, one verb per action.
    MARK_REVIEWED = "notifications.mark_reviewed", "reference", "reason"
    CLOSE = "notifications.close", "reference", "reason"
    ACCEPT = "notifications.accept", "reference", "reason"
    REJECT = "notifications.reject", "reference", "reason"
    # A change of registered details dated ahead: held, then applied on its date.
    CHANGE_SCHEDULED = "notifications.change_scheduled", "reference", "takes_effect_on"
    CHANGE_APPLIED = "notifications.change_applied", "reference", "takes_effect_on"
    # How a new email address the person had to confirm ended (email_change_outcomes.py).
    EMAIL_CHANGE_CONFIRMED = "notifications.email_change_confirmed", "reference", "outcome"
    EMAIL_CHANGE_STOPPED = "notifications.email_change_stopped", "reference", "outcome"
    EMAIL_CHANGE_EXPIRED = "notifications.email_change_expired", "reference", "outcome"
    EMAIL_CHANGE_REPLACED = "notifications.email_change_replaced", "reference", "outcome"
    # The workflow's own verbs where a transition names none (portal.workflow).
    ASK_QUESTION = "notifications.ask_question"
    PROVIDER_UPDATE = "notifications.provider_update"
    QUESTIONS_ANSWERED = "notifications.questions_answered"
