"""Decisions through the registry of handlers: what each kind offers now (and why not), each
action applied through its domain's service, bad input, replays and two staff at once."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

from portal.accounts.models import ResetRequestStatus, SecondFactorResetRequest
from portal.applications.models import Application
from portal.applications.stages import Outcome, Stage
from portal.audit.models import AuditEvent
from portal.casework import handlers
from portal.casework.models import CaseKind
from portal.forms.vocabulary import LONG_TEXT_MAX
from portal.notifications.models import MessageKind, NotificationMessage, NotificationStatus
from portal.staff_permissions import StaffPermission
from tests import factories as f
from tests.applications import helpers as application_helpers
from tests.support.concurrency import run_together


def _names(offers):
    return {offer.action.name: offer.unavailable for offer in offers}


@pytest.fixture
def death(world):
    """A death notification from the home's manager, and its case."""
    notification = f.submit("death", world.manager, world.home)
    return notification, f.make_case(notification)


def _decide(case, action, staff, data=None):
    """The staff member presses `action` on the case (with the form's `data`)."""
    request = RequestFactory().post("/regulator/cases/")
    request.user = staff
    return handlers.decide(case=case, action=action, data=data or {}, staff=staff, request=request)


def test_notifications_applications_and_second_factor_resets_register_their_handlers():
    assert {
        CaseKind.NOTIFICATION,
        CaseKind.APPLICATION,
        CaseKind.REPRESENTATIONS,
        CaseKind.SECOND_FACTOR_RESET,
    } <= handlers.registered_kinds()


def test_a_handler_naming_an_action_twice_is_refused():
    handler = handlers.handler_for(CaseKind.NOTIFICATION)
    assert handler is not None
    action = handler.actions[0]
    with pytest.raises(ValueError, match="twice"):
        handlers.register_handler(
            handlers.CaseHandler(kind="test", load=lambda _id: None, actions=(action, action))
        )
    assert "test" not in handlers.registered_kinds()


@pytest.mark.django_db
def test_a_new_notification_offers_review_question_and_close_but_not_accept(death, world):
    _, case = death
    offers = _names(handlers.offers_for(case, world.staff))
    # A death is not a change the regulator accepts or rejects: those are left off.
    assert offers == {"mark_reviewed": "", "ask_question": "", "close": ""}


@pytest.mark.django_db
def test_mark_reviewed_goes_through_the_service_once_and_a_replay_says_why_not(death, world):
    notification, case = death
    outcome = _decide(case, "mark_reviewed", world.staff)
    assert outcome.done
    assert notification.reference in outcome.message
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.REVIEWED
    events = AuditEvent.objects.filter(verb="notifications.mark_reviewed")
    assert events.count() == 1
    # The same press again: refused with the lifecycle's reason, nothing written twice.
    replay = _decide(case, "mark_reviewed", world.staff)
    assert not replay.done
    assert "reviewed" in str(replay.error)
    assert events.count() == 1
    offers = _names(handlers.offers_for(case, world.staff))
    assert "reviewed" in offers["mark_reviewed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Enter your question for the provider"),
        ("x" * (LONG_TEXT_MAX + 1), f"{LONG_TEXT_MAX:,} characters or fewer"),
        ("nul\x00byte", "invisible control characters"),
    ],
)
def test_a_question_that_is_empty_too_long_or_has_control_characters_is_refused(
    death, world, body, error
):
    notification, case = death
    outcome = _decide(case, "ask_question", world.staff, {"ask_question-body": body})
    assert not outcome.done
    assert outcome.form is not None
    assert error in " ".join(str(message) for message in outcome.form.errors["body"])
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SUBMITTED


@pytest.mark.django_db
def test_a_hostile_question_is_sent_as_plain_text(death, world):
    notification, case = death
    hostile = "<script>alert(1)</script>'; DROP TABLE casework_case; --"
    outcome = _decide(case, "ask_question", world.staff, {"ask_question-body": hostile})
    assert outcome.done
    question = NotificationMessage.objects.get(notification=notification, kind=MessageKind.QUESTION)
    assert question.body == hostile
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.INFORMATION_REQUESTED


@pytest.mark.django_db
def test_an_unknown_action_or_a_missing_subject_is_refused_with_its_code(death, world):
    _, case = death
    unknown = _decide(case, "../delete", world.staff)
    assert unknown.error is not None
    assert unknown.error.code == "casework.decision_unknown_action"
    gone = f.make_case(kind=CaseKind.NOTIFICATION, subject_type="notifications.notification")
    missing = _decide(gone, "close", world.staff)
    assert missing.error is not None
    assert missing.error.code == "casework.decision_subject_missing"
    assert handlers.offers_for(gone, world.staff) == []
    overdue_update = f.make_case(kind=CaseKind.OVERDUE_UPDATE)
    none = _decide(overdue_update, "x", world.staff)
    assert none.error is not None
    assert none.error.code == "casework.decision_no_handler"


@pytest.mark.django_db
def test_without_the_domain_permission_an_action_is_unavailable_and_says_which(
    death, world, monkeypatch
):
    notification, case = death
    monkeypatch.setattr(
        handlers,
        "has_staff_permission",
        lambda _user, permission: permission != StaffPermission.DECIDE_NOTIFICATIONS,
    )
    offers = _names(handlers.offers_for(case, world.staff))
    assert offers["mark_reviewed"] == "You need permission to decide on notifications."
    outcome = _decide(case, "mark_reviewed", world.staff)
    assert outcome.error is not None
    assert outcome.error.code == "casework.decision_action_unavailable"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_staff_marking_one_notification_reviewed_at_once_make_one_decision(death, world):
    _, case = death

    def press(user):
        return lambda: _decide(case, "mark_reviewed", user)

    outcomes = run_together([press(world.staff), press(world.other_staff)])
    assert sorted(outcome.done for outcome in outcomes) == [False, True]
    assert AuditEvent.objects.filter(verb="notifications.mark_reviewed").count() == 1


def _sent_application():
    application, signer = application_helpers.cancel_provider_application()
    application_helpers.send(application, signer)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_an_application_is_validated_then_granted_from_its_case(world):
    application = _sent_application()
    case = f.make_case(application, kind=CaseKind.APPLICATION)
    offers = _names(handlers.offers_for(case, world.staff))
    # Only the actions of the application's stage are offered.
    assert "validate" in offers
    assert offers["validate"] == ""
    assert "return" in offers
    assert "grant" not in offers
    validated = _decide(case, "validate", world.staff)
    assert validated.done, validated.error
    granted = _decide(case, "grant", world.staff, {"grant-reasons": "Meets every requirement."})
    assert granted.done, granted.error
    application = Application.objects.get(pk=application.pk)
    assert (application.stage, application.outcome) == (Stage.DECIDED, Outcome.GRANTED)


@pytest.mark.django_db
def test_a_proposal_without_reasons_is_refused_and_the_application_unchanged(world):
    application = _sent_application()
    case = f.make_case(application, kind=CaseKind.APPLICATION)
    _decide(case, "validate", world.staff)
    outcome = _decide(
        case,
        "serve_proposal",
        world.staff,
        {"serve_proposal-kind": "refuse", "serve_proposal-reasons": " "},
    )
    assert not outcome.done
    assert outcome.form is not None
    assert outcome.form.errors
    assert Application.objects.get(pk=application.pk).stage == Stage.IN_ASSESSMENT


def _reset_request(world):
    person = f.make_user(full_name="Lost Phone")
    return SecondFactorResetRequest.objects.create(
        user=person, explanation="My phone was stolen", created_at=timezone.now()
    )


@pytest.mark.django_db
def test_a_second_factor_reset_is_refused_from_its_case_once(client, world):
    reset = _reset_request(world)
    case = f.make_case(reset, kind=CaseKind.SECOND_FACTOR_RESET, reference=f"2FA-{reset.pk}")
    client.force_login(world.staff)
    url = f"/regulator/cases/{case.pk}/decision/"
    response = client.post(
        url,
        {"action": "decide", "decide-decision": "refuse", "decide-reason": "Could not reach them"},
    )
    assert response.status_code == 302
    reset.refresh_from_db()
    assert reset.status == ResetRequestStatus.REFUSED
    assert reset.decision_reason == "Could not reach them"
    again = client.post(
        url, {"action": "decide", "decide-decision": "approve", "decide-reason": "Changed my mind"}
    )
    assert again.status_code == 409
    assert "This request has been decided: refused." in again.content.decode()
    reset.refresh_from_db()
    assert reset.status == ResetRequestStatus.REFUSED


@pytest.mark.django_db
def test_a_second_factor_reset_decision_needs_a_choice_and_a_reason(client, world):
    reset = _reset_request(world)
    case = f.make_case(reset, kind=CaseKind.SECOND_FACTOR_RESET, reference=f"2FA-{reset.pk}")
    client.force_login(world.staff)
    response = client.post(f"/regulator/cases/{case.pk}/decision/", {"action": "decide"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select whether you approve this request" in html
    assert "Enter the reason for your decision" in html
    reset.refresh_from_db()
    assert reset.status == ResetRequestStatus.PENDING
