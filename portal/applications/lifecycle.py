"""The lifecycle of a registration application: one explicit transition table.

draft -submit-> submitted -validate-> in_assessment -grant-> decided -take_effect-> effective
                    | return                | request_information / information_provided
                    v                       |   (awaiting_applicant: the decision clock stops)
                returned -resubmit-> submitted
                                            | serve_proposal (refuse, or grant with conditions
                                            v  not applied for)
                                     proposal_served (28 days for representations)
                                            | make_representations / no_representations /
                                            v representations_window_passed
                              considering_representations
                                 | withdraw_proposal -> in_assessment
                                 | adopt_proposal -> decided (28-day appeal window)
decided -record_appeal-> under_appeal -appeal_concluded-> decided
decided -take_effect-> effective (a grant) | -close_refused-> refused
withdraw: until a notice of proposal is served. discard: a draft nobody sent.

Guards return the reason a page shows. Who may take an action (the applicant, a registered
person, an assessor) is the services' business; the table says when.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from portal.applications.completeness import blocking_problems
from portal.applications.stages import OPEN_STAGES, Outcome, Stage
from portal.frontend.formats import govuk_date
from portal.workflow.lifecycle import Guard, Lifecycle, Transition, move


def today() -> dt.date:
    return timezone.localdate()


def _ready_to_send(application: Any, actor: Any) -> str | None:
    """Everything answered, every part signed, nothing inconsistent (completeness.py)."""
    problems = blocking_problems(application)
    if problems:
        count = len(problems)
        return (
            "You cannot send this application yet: "
            f"{count} thing{'s' if count != 1 else ''} still need{'s' if count == 1 else ''} "
            "your attention."
        )
    return None


def _before_any_proposal(application: Any, actor: Any) -> str | None:
    if application.proposal_served_on is not None:
        return (
            "You cannot withdraw this application: we served a notice of proposal on "
            f"{govuk_date(application.proposal_served_on)}. You can make representations "
            "about it instead."
        )
    if application.decided_on is not None:
        return (
            "You cannot withdraw this application: we made our decision on "
            f"{govuk_date(application.decided_on)}."
        )
    return None


def _ended(last_day: dt.date | None) -> bool:
    """A window of days is over after its last day (none set: not over)."""
    return last_day is not None and today() > last_day


def _within(last_day: Callable[[Any], dt.date | None], ended: str) -> Guard:
    """Allowed up to and including the window's `last_day`; after it, `ended` says when it
    ended ({date})."""

    def guard(application: Any, actor: Any) -> str | None:
        day = last_day(application)
        return ended.format(date=govuk_date(day)) if _ended(day) else None

    return guard


_within_representations_window = _within(
    lambda application: application.representations_due_on,
    "The time for representations ended on {date}.",
)


def _representations_window_over(application: Any, actor: Any) -> str | None:
    due = application.representations_due_on
    if not _ended(due):
        shown = govuk_date(due) if due else "the end of the 28 days"
        return f"The applicant has until {shown} to make representations."
    return None


def _no_request_open(application: Any, actor: Any) -> str | None:
    if application.messages.filter(kind="information_request", answered=False).exists():
        return "There are still requests for information to answer."
    return None


def _is_adverse(application: Any, actor: Any) -> str | None:
    if not application.appealable:
        return "Only a refusal or conditions not applied for can be appealed."
    return None


_within_appeal_window = _within(
    lambda application: application.appeal_ends_on, "The 28 days to appeal ended on {date}."
)


def _appeal_settled(application: Any) -> str | None:
    """An adverse decision takes effect only once no appeal can change it."""
    if not application.appealable or application.appeal_outcome:
        return None
    ends = application.appeal_ends_on
    if ends is not None and today() <= ends:
        return (
            f"The decision cannot take effect before the appeal window ends on {govuk_date(ends)}."
        )
    return None


def _is_a_grant(application: Any, actor: Any) -> str | None:
    if application.outcome not in (Outcome.GRANTED, Outcome.GRANTED_WITH_CONDITIONS):
        return "Only a decision to grant changes the register."
    return _appeal_settled(application)


def _is_a_refusal(application: Any, actor: Any) -> str | None:
    if application.outcome != Outcome.REFUSED:
        return "This decision was to grant: put it into effect instead."
    return _appeal_settled(application)


ASSESSING = {Stage.IN_ASSESSMENT, Stage.AWAITING_APPLICANT}


def _after_proposal(action: str, guard: Guard) -> Transition:
    """Representations made, none to come, or the 28 days over: the regulator considers."""
    return move(action, {Stage.PROPOSAL_SERVED}, Stage.CONSIDERING_REPRESENTATIONS, guard)


LIFECYCLE = Lifecycle(
    audit_prefix="applications",
    wrong_status="This application is {status_name}, so you cannot do that now.",
    field="stage",
    transitions=(
        move("submit", {Stage.DRAFT}, Stage.SUBMITTED, _ready_to_send),
        move("discard", {Stage.DRAFT}, Stage.DISCARDED),
        move("return", {Stage.SUBMITTED}, Stage.RETURNED),
        move("resubmit", {Stage.RETURNED}, Stage.SUBMITTED, _ready_to_send),
        move("validate", {Stage.SUBMITTED}, Stage.IN_ASSESSMENT),
        move("request_information", ASSESSING, Stage.AWAITING_APPLICANT),
        move(
            "information_provided",
            {Stage.AWAITING_APPLICANT},
            Stage.IN_ASSESSMENT,
            _no_request_open,
        ),
        move("grant", {Stage.IN_ASSESSMENT}, Stage.DECIDED),
        move("serve_proposal", {Stage.IN_ASSESSMENT}, Stage.PROPOSAL_SERVED),
        _after_proposal("make_representations", _within_representations_window),
        _after_proposal("no_representations", _within_representations_window),
        _after_proposal("representations_window_passed", _representations_window_over),
        move("withdraw_proposal", {Stage.CONSIDERING_REPRESENTATIONS}, Stage.IN_ASSESSMENT),
        move("adopt_proposal", {Stage.CONSIDERING_REPRESENTATIONS}, Stage.DECIDED),
        move(
            "record_appeal",
            {Stage.DECIDED},
            Stage.UNDER_APPEAL,
            _is_adverse,
            _within_appeal_window,
        ),
        move("appeal_concluded", {Stage.UNDER_APPEAL}, Stage.DECIDED),
        move("take_effect", {Stage.DECIDED}, Stage.EFFECTIVE, _is_a_grant),
        move("close_refused", {Stage.DECIDED}, Stage.REFUSED, _is_a_refusal),
        move(
            "withdraw",
            OPEN_STAGES,
            Stage.WITHDRAWN,
            _before_any_proposal,
        ),
    ),
)
