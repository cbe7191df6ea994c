"""The stages of an application, its possible outcomes, and the stage groups pages and
rules use (the transition table itself is in lifecycle.py)."""

from django.db import models


class Stage(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Sent: waiting for validation"
    RETURNED = "returned", "Returned to you"
    IN_ASSESSMENT = "in_assessment", "Being assessed"
    AWAITING_APPLICANT = "awaiting_applicant", "Waiting for information from you"
    PROPOSAL_SERVED = "proposal_served", "Notice of proposal served"
    CONSIDERING_REPRESENTATIONS = "considering_representations", "Considering representations"
    DECIDED = "decided", "Notice of decision served"
    UNDER_APPEAL = "under_appeal", "Under appeal"
    EFFECTIVE = "effective", "Decision in effect"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DISCARDED = "discarded", "Deleted draft"


# How staff pages name each stage: Stage's own labels speak to the applicant ("Returned to
# you"), these to the regulator's people.
STAFF_STAGE_NAMES: dict[str, str] = {
    Stage.DRAFT: "Draft: not sent",
    Stage.SUBMITTED: "To validate",
    Stage.RETURNED: "Returned to the applicant",
    Stage.IN_ASSESSMENT: "In assessment",
    Stage.AWAITING_APPLICANT: "Waiting for the applicant's information",
    Stage.PROPOSAL_SERVED: "Proposal served: representations window open",
    Stage.CONSIDERING_REPRESENTATIONS: "Representations to consider",
    Stage.DECIDED: "Decision served: appeal window open",
    Stage.UNDER_APPEAL: "Under appeal at the tribunal",
    Stage.EFFECTIVE: "Decision in effect",
    Stage.REFUSED: "Refused",
    Stage.WITHDRAWN: "Withdrawn by the applicant",
    Stage.DISCARDED: "Draft deleted by the applicant",
}


class Outcome(models.TextChoices):
    GRANTED = "granted", "Granted"
    GRANTED_WITH_CONDITIONS = "granted_with_conditions", "Granted with conditions"
    REFUSED = "refused", "Refused"


class ProposalKind(models.TextChoices):
    REFUSE = "refuse", "Refuse the application"
    CONDITIONS = "conditions", "Grant with conditions not applied for"


# Where the applicant can still change answers.
EDITABLE_STAGES = frozenset({Stage.DRAFT, Stage.RETURNED})
# With the regulator: validation, assessment, considering, deciding.
WITH_REGULATOR = frozenset(
    {Stage.SUBMITTED, Stage.IN_ASSESSMENT, Stage.CONSIDERING_REPRESENTATIONS}
)
OPEN_STAGES = frozenset(
    {
        Stage.SUBMITTED,
        Stage.RETURNED,
        Stage.IN_ASSESSMENT,
        Stage.AWAITING_APPLICANT,
        Stage.PROPOSAL_SERVED,
        Stage.CONSIDERING_REPRESENTATIONS,
        Stage.DECIDED,
        Stage.UNDER_APPEAL,
    }
)
FINISHED_STAGES = frozenset({Stage.EFFECTIVE, Stage.REFUSED, Stage.WITHDRAWN, Stage.DISCARDED})
# Stages in which a proposal or adverse decision is outstanding (s19 Case A and B).
PROPOSAL_OUTSTANDING = frozenset(
    {
        Stage.PROPOSAL_SERVED,
        Stage.CONSIDERING_REPRESENTATIONS,
        Stage.DECIDED,
        Stage.UNDER_APPEAL,
    }
)

# Representations and appeals: 28 calendar days from the notice.
REPRESENTATIONS_DAYS = 28
APPEAL_DAYS = 28

# How each step reads on the application's timeline.
STEP_NAMES = {
    "start": "Started",
    "submit": "Sent to us",
    "discard": "Draft deleted",
    "return": "Returned to you with our reasons",
    "resubmit": "Sent to us again",
    "validate": "Validated: assessment started",
    "request_information": "We asked for information",
    "information_provided": "Information sent to us",
    "grant": "Granted: notice of decision served",
    "serve_proposal": "Notice of proposal served",
    "make_representations": "Representations made",
    "no_representations": "No representations, as you told us",
    "representations_window_passed": "The 28 days for representations passed",
    "withdraw_proposal": "Our proposal withdrawn",
    "adopt_proposal": "Proposal adopted: notice of decision served",
    "record_appeal": "Appeal to the tribunal recorded",
    "appeal_concluded": "The tribunal decided the appeal",
    "take_effect": "Decision took effect on the register",
    "close_refused": "Refusal final",
    "withdraw": "Withdrawn",
}
