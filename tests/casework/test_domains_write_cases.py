"""Each domain writes its cases in its own transaction: a rolled-back action leaves no case
and no case change; the clock stops while we wait for the provider and restarts when they
answer."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import ResetRequestStatus, SecondFactorResetRequest
from portal.accounts.services.accounts import ask_for_factor_reset, decide_factor_reset
from portal.applications.services import assessment, decisions, submission
from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency
from portal.notifications import services as notification_services
from portal.notifications import sweeps
from portal.notifications.models import Notification
from tests import factories as f
from tests.applications import helpers


class Rollback(Exception):
    pass


def _fail_after(action, check) -> None:
    with transaction.atomic():
        action()
        check()
        raise Rollback


def rolled_back(action, check=lambda: None) -> None:
    """Run `action` in a transaction that then fails (after `check`, inside it)."""
    with pytest.raises(Rollback):
        _fail_after(action, check)


def case_of(row, kind=CaseKind.NOTIFICATION) -> Case:
    return Case.objects.get(subject_type=row._meta.label_lower, subject_id=str(row.pk), kind=kind)


@pytest.mark.django_db
def test_a_submitted_notification_opens_its_case_with_urgency_deadline_and_team(world):
    notification = f.submit("death", world.manager, world.home)
    case = case_of(notification)
    assert (case.reference, case.type_slug, case.team) == (
        notification.reference,
        "death",
        world.care,
    )
    assert case.urgency == notification.urgency
    assert case.status == CaseStatus.NEW
    assert case.due_on is not None
    assert case.due_on >= timezone.localdate()


@pytest.mark.django_db
def test_a_rolled_back_submission_leaves_no_case(world):
    def one_case_inside() -> None:
        assert Case.objects.count() == 1

    rolled_back(lambda: f.submit("death", world.manager, world.home), one_case_inside)
    assert not Notification.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_question_stops_the_clock_answer_restarts_it_and_closing_closes_the_case(world):
    notification = f.submit("death", world.manager, world.home)
    staff = world.inspector
    notification_services.mark_reviewed(notification_id=notification.pk, staff=staff)
    assert case_of(notification).status == CaseStatus.IN_PROGRESS
    question = notification_services.ask_question(
        notification_id=notification.pk, staff=staff, body="Who was on duty?"
    )
    waiting = case_of(notification)
    assert waiting.status == CaseStatus.WAITING_FOR_PROVIDER
    assert waiting.clock_stopped_on == timezone.localdate()
    assert waiting.due_on is None
    notification_services.answer_question(
        question_id=question.pk, user=world.manager, body="Two nurses."
    )
    answered = case_of(notification)
    assert answered.status == CaseStatus.IN_PROGRESS
    assert answered.clock_stopped_on is None
    assert answered.due_on is not None
    notification_services.close(notification_id=notification.pk, staff=staff, reason="Done")
    assert case_of(notification).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_a_rolled_back_question_leaves_the_case_as_it_was(world):
    notification = f.submit("death", world.manager, world.home)
    rolled_back(
        lambda: notification_services.ask_question(
            notification_id=notification.pk, staff=world.inspector, body="Why?"
        )
    )
    case = case_of(notification)
    assert case.status == CaseStatus.NEW
    assert case.clock_stopped_on is None
    assert not case.clock_stops.exists()


@pytest.mark.django_db
def test_an_overdue_provider_update_gets_a_case_once_and_the_update_closes_it(world):
    notification = f.submit("death", world.manager, world.home)
    Notification.objects.filter(pk=notification.pk).update(
        next_due_on=timezone.localdate() - dt.timedelta(days=2), next_due_label="Tell us more"
    )
    assert sweeps.open_overdue_update_cases() == 1
    assert sweeps.open_overdue_update_cases() == 0  # idempotent
    overdue = case_of(notification, CaseKind.OVERDUE_UPDATE)
    assert overdue.title == "Overdue: Tell us more"
    notification_services.add_update(
        notification_id=notification.pk,
        user=world.manager,
        follow_up_key="",
        answers={},
        body="Here it is",
    )
    # A free-text update does not satisfy the owed follow-up: the case stays open.
    assert case_of(notification, CaseKind.OVERDUE_UPDATE).status != CaseStatus.CLOSED


def _sent_application():
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    helpers.send(application, applicant)
    application.refresh_from_db()
    return application, applicant


@pytest.mark.django_db
def test_an_application_opens_its_case_and_one_for_its_registered_manager():
    application, _ = _sent_application()
    case = case_of(application, CaseKind.APPLICATION)
    assert case.due_on == application.validation_due_on
    assert case.urgency == CaseUrgency.PRIORITY
    part_case = Case.objects.get(kind=CaseKind.APPLICATION_PART)
    assert part_case.reference == application.reference
    assert part_case.title == "Registered manager: Maya Manager"


@pytest.mark.django_db
def test_a_rolled_back_application_submission_leaves_no_case():
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    rolled_back(lambda: helpers.send(application, applicant))
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_application_clock_follows_validation_requests_representations_and_decision():
    application, applicant = _sent_application()
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    application.refresh_from_db()
    case = case_of(application, CaseKind.APPLICATION)
    assert case.due_on == application.decision_due_on
    assert case.status == CaseStatus.IN_PROGRESS
    request = assessment.request_information(
        application_id=application.pk, staff=staff, body="Send the fire risk assessment."
    )
    assert case_of(application, CaseKind.APPLICATION).status == CaseStatus.WAITING_FOR_PROVIDER
    submission.respond_to_request(
        application_id=application.pk, request_id=request.pk, user=applicant, body="Attached."
    )
    application.refresh_from_db()
    case = case_of(application, CaseKind.APPLICATION)
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.due_on == application.decision_due_on
    decisions.serve_proposal(
        application_id=application.pk,
        staff=staff,
        kind="refuse",
        reasons="Not enough staff.",
    )
    submission.make_representations(
        application_id=application.pk, user=applicant, body="We hired more."
    )
    representations = case_of(application, CaseKind.REPRESENTATIONS)
    assert representations.status == CaseStatus.NEW
    decisions.adopt_proposal(application_id=application.pk, staff=staff)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {CaseStatus.CLOSED}


@pytest.mark.django_db
def test_a_second_factor_reset_request_is_a_case_closed_by_the_decision(world, rf):
    reset = ask_for_factor_reset(
        user=world.manager, explanation="Lost my phone", request=rf.post("/")
    )
    case = case_of(reset, CaseKind.SECOND_FACTOR_RESET)
    assert case.status == CaseStatus.NEW
    assert case.provider is None
    request = rf.post("/")
    request.session = {}
    decide_factor_reset(
        reset_id=reset.pk,
        approve=False,
        reason="Could not confirm",
        staff=world.leader,
        request=request,
    )
    assert SecondFactorResetRequest.objects.get().status == ResetRequestStatus.REFUSED
    assert case_of(reset, CaseKind.SECOND_FACTOR_RESET).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_the_provider_never_sees_an_internal_note(client, world):
    from portal.casework import services as casework_services

    notification = f.submit("death", world.manager, world.home)
    case = case_of(notification)
    casework_services.add_internal_note(
        case_id=case.pk, staff=world.inspector, body="Internal: check the rota first"
    )
    client.force_login(world.manager)
    page = client.get(f"/notifications/{notification.reference}/")
    assert page.status_code == 200
    assert notification.reference in page.content.decode()
    assert "check the rota first" not in page.content.decode()
