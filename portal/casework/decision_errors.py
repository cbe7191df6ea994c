"""Why a decision from the case page, or a bulk triage, is refused (portal.errors). Codes
say "decision_" or "triage_", apart from the queue's own casework codes."""

from portal.errors import ErrorCode, ServiceError


class DecisionError(ErrorCode):
    NO_HANDLER = "casework.decision_no_handler"
    UNKNOWN_ACTION = "casework.decision_unknown_action"
    SUBJECT_MISSING = "casework.decision_subject_missing"
    ACTION_UNAVAILABLE = "casework.decision_action_unavailable"
    NOTHING_CHOSEN = "casework.triage_nothing_chosen"
    TOO_MANY_CHOSEN = "casework.triage_too_many_chosen"
    NOT_LOW_RISK = "casework.triage_not_low_risk"


_MESSAGES: dict[DecisionError, str] = {
    DecisionError.NO_HANDLER: "Decisions on this kind of case are made on its own page.",
    DecisionError.UNKNOWN_ACTION: "Choose one of the actions on this page.",
    DecisionError.SUBJECT_MISSING: "What this case is about no longer exists.",
    DecisionError.ACTION_UNAVAILABLE: "You cannot do that now.",
    DecisionError.NOTHING_CHOSEN: "Select at least one notification to mark as reviewed",
    DecisionError.TOO_MANY_CHOSEN: "Select 100 notifications or fewer at a time",
    DecisionError.NOT_LOW_RISK: "This case is no longer an open low-risk notification.",
}


def decision_refused(code: DecisionError, message: str = "") -> ServiceError:
    return ServiceError(code, message or _MESSAGES[code])
