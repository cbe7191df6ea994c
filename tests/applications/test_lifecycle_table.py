"""The lifecycle's whole table: every action from every stage is either the move the table
promises (done for real, with its status-change row and audit event) or refused with the
reason a page shows. Guards are then tested one by one, each with its reason."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.models import User
from portal.applications.lifecycle import LIFECYCLE
from portal.applications.models import Application, ApplicationMessage, MessageKind
from portal.applications.stages import Outcome, ProposalKind, Stage
from portal.audit.models import AuditEvent
from portal.frontend.formats import govuk_date
from portal.workflow.lifecycle import TransitionRefused
from portal.workflow.models import StatusChange
from portal.workflow.services import transition
from tests.applications import helpers

S = Stage
# (from stage, action) -> to stage: everything the table allows, and nothing else.
ALLOWED = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.DRAFT, "discard"): S.DISCARDED,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.SUBMITTED, "validate"): S.IN_ASSESSMENT,
    (S.RETURNED, "resubmit"): S.SUBMITTED,
    (S.IN_ASSESSMENT, "request_information"): S.AWAITING_APPLICANT,
    (S.AWAITING_APPLICANT, "request_information"): S.AWAITING_APPLICANT,
    (S.AWAITING_APPLICANT, "information_provided"): S.IN_ASSESSMENT,
    (S.IN_ASSESSMENT, "grant"): S.DECIDED,
    (S.IN_ASSESSMENT, "serve_proposal"): S.PROPOSAL_SERVED,
    (S.PROPOSAL_SERVED, "make_representations"): S.CONSIDERING_REPRESENTATIONS,
    (S.PROPOSAL_SERVED, "no_representations"): S.CONSIDERING_REPRESENTATIONS,
    (S.PROPOSAL_SERVED, "representations_window_passed"): S.CONSIDERING_REPRESENTATIONS,
    (S.CONSIDERING_REPRESENTATIONS, "withdraw_proposal"): S.IN_ASSESSMENT,
    (S.CONSIDERING_REPRESENTATIONS, "adopt_proposal"): S.DECIDED,
    (S.DECIDED, "record_appeal"): S.UNDER_APPEAL,
    (S.UNDER_APPEAL, "appeal_concluded"): S.DECIDED,
    (S.DECIDED, "take_effect"): S.EFFECTIVE,
    (S.DECIDED, "close_refused"): S.REFUSED,
    **{
        (stage, "withdraw"): S.WITHDRAWN
        for stage in (S.SUBMITTED, S.RETURNED, S.IN_ASSESSMENT, S.AWAITING_APPLICANT)
    },
}
# Allowed by stage but refused by a guard in the setting each stage gets below.
GUARDED = {
    (S.PROPOSAL_SERVED, "withdraw"),
    (S.CONSIDERING_REPRESENTATIONS, "withdraw"),
    (S.DECIDED, "withdraw"),
    (S.UNDER_APPEAL, "withdraw"),
}
# Every data key any of the lifecycle's audit verbs asks for.
EVERY_KEY = {"reason": "", "outcome": "", "proposal": "", "appeal_outcome": "", "effect": ""}
ACTIONS = sorted(t.action for t in LIFECYCLE.transitions)
TODAY = timezone.localdate()


def _setting(stage: str, action: str) -> dict[str, object]:
    """Row fields that make each allowed move's guards pass (and the others' hold)."""
    fields: dict[str, object] = {}
    if stage in (S.PROPOSAL_SERVED, S.CONSIDERING_REPRESENTATIONS, S.DECIDED, S.UNDER_APPEAL):
        fields.update(
            proposal_kind=ProposalKind.REFUSE,
            proposal_served_on=TODAY - dt.timedelta(days=40),
        )
        window_over = action == "representations_window_passed"
        fields["representations_due_on"] = TODAY + dt.timedelta(days=-1 if window_over else 5)
    if stage in (S.DECIDED, S.UNDER_APPEAL):
        fields.update(decided_on=TODAY - dt.timedelta(days=1))
        if action == "take_effect":
            fields.update(outcome=Outcome.GRANTED, proposal_kind="", proposal_served_on=None)
        elif action == "close_refused":
            fields.update(outcome=Outcome.REFUSED, appeal_ends_on=TODAY - dt.timedelta(days=1))
        else:
            fields.update(outcome=Outcome.REFUSED, appeal_ends_on=TODAY + dt.timedelta(days=20))
    if stage == S.EFFECTIVE:
        fields.update(effective_on=TODAY)
    if stage == S.IN_ASSESSMENT or stage == S.AWAITING_APPLICANT:
        fields.update(validated_on=TODAY)
    return fields


def _row_in(stage: str, action: str) -> tuple[Application, User]:
    application, signer = helpers.cancel_provider_application()
    Application.objects.filter(pk=application.pk).update(stage=stage, **_setting(stage, action))
    application.refresh_from_db()
    return application, signer


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [s for s in Stage])
def test_every_action_from_every_stage(stage):
    for action in ACTIONS:
        application, signer = _row_in(stage, action)
        refusal = LIFECYCLE.refusal(application, action, signer)
        if (stage, action) in ALLOWED:
            assert refusal is None, (stage, action, refusal)
            before = StatusChange.objects.count()
            transition(
                application,
                action,
                actor=signer,
                changes={"effective_on": TODAY} if action == "take_effect" else None,
                data={"reference": application.reference, **EVERY_KEY},
            )
            application.refresh_from_db()
            assert application.stage == ALLOWED[(stage, action)]
            change = StatusChange.objects.order_by("-id")[0]
            assert StatusChange.objects.count() == before + 1
            assert (change.from_status, change.to_status, change.action) == (
                stage,
                ALLOWED[(stage, action)],
                action,
            )
            assert AuditEvent.objects.filter(
                verb=f"applications.{action}", target_id=str(application.pk)
            ).exists()
        elif (stage, action) in GUARDED:
            assert refusal, (stage, action)
            assert "cannot withdraw" in refusal, (stage, action, refusal)
        else:
            name = Stage(stage).label.lower()
            assert refusal == f"This application is {name}, so you cannot do that now.", (
                stage,
                action,
            )
            with pytest.raises(TransitionRefused):
                transition(application, action, actor=signer)
            application.refresh_from_db()
            assert application.stage == stage


@pytest.mark.django_db
def test_submit_is_refused_while_anything_is_missing():
    application, signer = helpers.cancel_provider_application()
    Application.objects.filter(pk=application.pk).update(answers={})
    application.refresh_from_db()
    refusal = LIFECYCLE.refusal(application, "submit", signer)
    assert refusal == "You cannot send this application yet: 1 thing still needs your attention."


@pytest.mark.django_db
def test_information_provided_waits_for_every_open_request():
    application, signer = _row_in(S.AWAITING_APPLICANT, "information_provided")
    ApplicationMessage.objects.create(
        application=application, kind=MessageKind.INFORMATION_REQUEST, body="?", author=signer
    )
    assert (
        LIFECYCLE.refusal(application, "information_provided", signer)
        == "There are still requests for information to answer."
    )


@pytest.mark.django_db
def test_representations_after_the_window_are_refused_with_the_date():
    application, signer = _row_in(S.PROPOSAL_SERVED, "make_representations")
    due = TODAY - dt.timedelta(days=1)
    Application.objects.filter(pk=application.pk).update(representations_due_on=due)
    application.refresh_from_db()
    expected = f"The time for representations ended on {govuk_date(due)}."
    assert LIFECYCLE.refusal(application, "make_representations", signer) == expected
    assert LIFECYCLE.refusal(application, "no_representations", signer) == expected


@pytest.mark.django_db
def test_the_regulator_cannot_close_representations_early():
    application, signer = _row_in(S.PROPOSAL_SERVED, "make_representations")
    due = application.representations_due_on
    assert LIFECYCLE.refusal(application, "representations_window_passed", signer) == (
        f"The applicant has until {govuk_date(due)} to make representations."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "ready_for", "dated", "why"),
    [
        (
            S.PROPOSAL_SERVED,
            "withdraw",
            "proposal_served_on",
            "we served a notice of proposal on {}. You can make representations about it instead.",
        ),
        (S.DECIDED, "take_effect", "decided_on", "we made our decision on {}."),
    ],
)
def test_withdrawal_after_a_proposal_or_a_grant_is_refused_with_why(stage, ready_for, dated, why):
    application, signer = _row_in(stage, ready_for)
    assert LIFECYCLE.refusal(application, "withdraw", signer) == (
        "You cannot withdraw this application: "
        + why.format(govuk_date(getattr(application, dated)))
    )


@pytest.mark.django_db
def test_an_adverse_decision_waits_for_the_appeal_window():
    application, signer = _row_in(S.DECIDED, "record_appeal")
    Application.objects.filter(pk=application.pk).update(
        outcome=Outcome.GRANTED_WITH_CONDITIONS, proposal_kind=ProposalKind.CONDITIONS
    )
    application.refresh_from_db()
    ends = application.appeal_ends_on
    assert LIFECYCLE.refusal(application, "take_effect", signer) == (
        f"The decision cannot take effect before the appeal window ends on {govuk_date(ends)}."
    )
    assert LIFECYCLE.refusal(application, "close_refused", signer) == (
        "This decision was to grant: put it into effect instead."
    )


@pytest.mark.django_db
def test_appeals_only_against_adverse_decisions_and_within_28_days():
    application, signer = _row_in(S.DECIDED, "take_effect")
    assert LIFECYCLE.refusal(application, "record_appeal", signer) == (
        "Only a refusal or conditions not applied for can be appealed."
    )
    application, signer = _row_in(S.DECIDED, "close_refused")
    assert LIFECYCLE.refusal(application, "record_appeal", signer) == (
        f"The 28 days to appeal ended on {govuk_date(application.appeal_ends_on)}."
    )


@pytest.mark.django_db
def test_a_refusal_does_not_change_the_register():
    application, signer = _row_in(S.DECIDED, "close_refused")
    assert LIFECYCLE.refusal(application, "take_effect", signer) == (
        "Only a decision to grant changes the register."
    )


@pytest.mark.django_db
def test_stage_cannot_be_assigned_directly():
    from portal.workflow.fields import DirectStatusChange

    application, _signer = helpers.cancel_provider_application()
    with pytest.raises(DirectStatusChange):
        application.stage = Stage.EFFECTIVE


def test_every_step_reads_in_words_on_the_timeline():
    from portal.applications.stages import STEP_NAMES

    assert set(ACTIONS) | {"start"} == set(STEP_NAMES)
