"""The regulator's side through the services: validate, ask, grant and put into effect on
the register; notice of proposal, representations, notice of decision, appeal window; two
assessors deciding at once; removing a location cancels the manager registered only there,
with their own notice."""

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.accounts.models import User
from portal.applications.completeness import blocking_problems
from portal.applications.definitions import CATALOGUE
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, Notice
from portal.applications.services import assessment, decisions, drafts, submission
from portal.applications.stages import Outcome, ProposalKind, Stage
from portal.emails.models import OutboxMessage
from portal.organisations.access import access_for, forget_access
from portal.register.models import Location, Provider, RegistrationStatus, RoleAssignment, RoleType
from portal.workflow.models import StatusChange
from tests.applications import helpers


def _sent_new_provider() -> tuple[Application, User, User]:
    application, applicant, manager = helpers.new_provider_with_signed_manager()
    helpers.send(application, applicant)
    return application, applicant, manager


def _refusal_proposed() -> tuple[Application, User, User, User]:
    """Sent, validated, and a notice of proposal to refuse served: (application, applicant,
    manager, the assessor)."""
    application, applicant, manager = _sent_new_provider()
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    decisions.serve_proposal(
        application_id=application.pk, staff=staff, kind="refuse", reasons="Not fit."
    )
    return application, applicant, manager, staff


@pytest.mark.django_db
def test_a_granted_new_provider_is_on_the_register_and_the_applicant_acts_for_it():
    application, applicant, manager = _sent_new_provider()
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    decisions.grant(application_id=application.pk, staff=staff, reasons="Meets every requirement.")
    application.refresh_from_db()
    assert (application.stage, application.outcome) == (Stage.DECIDED, Outcome.GRANTED)
    notice = Notice.objects.get(application=application, kind="decision")
    assert bytes(notice.pdf).startswith(b"%PDF")
    assert notice.content["statement"] == "We have decided to grant your application."

    decisions.take_effect(application_id=application.pk, staff=staff)
    application.refresh_from_db()
    assert application.stage == Stage.EFFECTIVE
    provider = Provider.objects.get(pk=application.effect_result["provider_id"])
    assert provider.name == "O'Brien & Sons Care <Ltd>"
    assert provider.registration_status == RegistrationStatus.REGISTERED
    assert Location.objects.filter(provider=provider).count() == 2
    roles = RoleAssignment.objects.live().filter(provider=provider)
    assert roles.filter(role=RoleType.NOMINATED_INDIVIDUAL, person__email=applicant.email).exists()
    assert roles.filter(role=RoleType.REGISTERED_MANAGER, person__email=manager.email).count() == 2
    assert application.provider_id == provider.pk
    assert OutboxMessage.objects.filter(
        to=applicant.email, subject__contains="Your registration has changed"
    ).exists()


@pytest.mark.django_db
def test_only_assessors_act_for_the_regulator():
    application, applicant, _ = _sent_new_provider()
    with pytest.raises(ApplicationError) as refused:
        assessment.validate(application_id=application.pk, staff=applicant)
    assert refused.value.code == "applications.not_allowed"


@pytest.mark.django_db
def test_returned_with_reasons_then_sent_again():
    application, applicant, _ = _sent_new_provider()
    staff = helpers.assessor()
    with pytest.raises(ApplicationError) as refused:
        assessment.return_application(application_id=application.pk, staff=staff, reasons="  ")
    assert refused.value.field == "reasons"
    assessment.return_application(
        application_id=application.pk, staff=staff, reasons="The business plan has no forecast."
    )
    application.refresh_from_db()
    assert application.stage == Stage.RETURNED
    assert application.is_editable
    part = application.parts.get()
    assert part.status == "submitted"  # not named: the manager's part stays signed
    assert OutboxMessage.objects.filter(to=applicant.email, body__contains="no forecast").exists()
    helpers.send(application, applicant)
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED
    assert (
        application.declarations.filter(part__isnull=True, superseded_at__isnull=True).count() == 1
    )


@pytest.mark.django_db
def test_proposal_representations_and_notice_of_decision():
    application, applicant, _ = _sent_new_provider()
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    assessment.record_appointment(
        application_id=application.pk,
        staff=staff,
        kind="site_visit",
        on=timezone.localdate() + dt.timedelta(days=7),
        with_whom="Riverside House 1",
    )
    with pytest.raises(ApplicationError) as refused:
        decisions.serve_proposal(
            application_id=application.pk, staff=staff, kind="conditions", reasons="Staffing."
        )
    assert refused.value.field == "conditions"
    decisions.serve_proposal(
        application_id=application.pk,
        staff=staff,
        kind=ProposalKind.CONDITIONS,
        reasons="Night staffing is thin.",
        conditions="No more than 10 people may live at Riverside House 2.",
    )
    application.refresh_from_db()
    assert application.representations_due_on == timezone.localdate() + dt.timedelta(days=28)
    with pytest.raises(ApplicationError) as refused:
        submission.withdraw(application_id=application.pk, user=applicant, reason="")
    assert "we served a notice of proposal on" in refused.value.message
    with pytest.raises(ApplicationError):
        decisions.adopt_proposal(application_id=application.pk, staff=staff)
    submission.make_representations(
        application_id=application.pk, user=applicant, body="We have recruited two night staff."
    )
    decisions.adopt_proposal(application_id=application.pk, staff=staff)
    application.refresh_from_db()
    assert application.outcome == Outcome.GRANTED_WITH_CONDITIONS
    assert application.appeal_ends_on == timezone.localdate() + dt.timedelta(days=28)
    notice = Notice.objects.filter(application=application, kind="decision").get()
    assert "First-tier Tribunal" in notice.content["rights"][0]
    with pytest.raises(ApplicationError) as refused:
        decisions.take_effect(application_id=application.pk, staff=staff)
    assert "appeal window ends" in refused.value.message


@pytest.mark.django_db
def test_representations_after_the_window_are_refused_with_the_date():
    application, applicant, _, staff = _refusal_proposed()
    late = timezone.localdate() - dt.timedelta(days=1)
    Application.objects.filter(pk=application.pk).update(representations_due_on=late)
    with pytest.raises(ApplicationError) as refused:
        submission.make_representations(application_id=application.pk, user=applicant, body="Wait")
    assert refused.value.message.startswith("The time for representations ended on ")
    decisions.representations_window_passed(application_id=application.pk, staff=staff)
    decisions.adopt_proposal(application_id=application.pk, staff=staff)
    application.refresh_from_db()
    assert application.outcome == Outcome.REFUSED


@pytest.mark.django_db(transaction=True)
def test_two_assessors_deciding_at_once_make_one_decision():
    application, _applicant, _ = _sent_new_provider()
    first, second = helpers.assessor(), helpers.assessor()
    assessment.validate(application_id=application.pk, staff=first)
    outcomes: list[str] = []

    def decide(staff: User) -> None:
        try:
            decisions.grant(application_id=application.pk, staff=staff)
            outcomes.append("granted")
        except ApplicationError as refused:
            outcomes.append(refused.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(who,)) for who in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "This application is notice of decision served, so you cannot do that now.",
        "granted",
    ]
    assert StatusChange.objects.filter(subject_id=str(application.pk), action="grant").count() == 1
    assert Notice.objects.filter(application=application).count() == 1


@pytest.mark.django_db
def test_removing_a_location_cancels_the_manager_registered_only_there():
    owner = helpers.provider(name="Two Homes Ltd")
    keep = helpers.location(owner, name="Keep House")
    close = helpers.location(owner, name="Close House")
    signer = helpers.nominated_individual(owner)
    manager_person = helpers.person(email="only.there@care.example", given="Oona")
    RoleAssignment.objects.create(
        person=manager_person, role=RoleType.REGISTERED_MANAGER, provider=owner, location=close
    )
    application = drafts.start_application(
        user=signer,
        definition=CATALOGUE.latest("remove-location"),
        provider=owner,
        location=close,
    )
    helpers.complete(
        application,
        {
            "stop_date": helpers.future(),
            "reason": "The lease ends.",
            "arrangements": "Residents move to Keep House.",
            "people_told": "yes",
            "sop_aims": "To care.",
            "sop_services": "One home now.",
        },
    )
    staff = helpers.send_and_validate(application, signer)
    decisions.grant(application_id=application.pk, staff=staff)
    decisions.take_effect(application_id=application.pk, staff=staff)
    close.refresh_from_db()
    keep.refresh_from_db()
    assert close.registration_status == RegistrationStatus.DEREGISTERED
    assert keep.registration_status == RegistrationStatus.REGISTERED
    assert not RoleAssignment.objects.live().filter(person=manager_person).exists()
    own_notice = Notice.objects.get(application=application, kind="manager_cancelled")
    assert own_notice.addressed_to == manager_person.full_name
    email = OutboxMessage.objects.get(
        to="only.there@care.example", subject__contains="registration as a manager is cancelled"
    )
    # The email is the manager's notice: she cannot see the provider's application.
    assert "Close House" in email.body
    assert "First-tier Tribunal" in email.body
    assert application.reference in email.body
    forget_access(signer)
    assert owner.pk in access_for(signer)


@pytest.mark.django_db
def test_the_notice_is_a_page_and_a_pdf_for_the_applicant_only(client):
    application, applicant, _ = _sent_new_provider()
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    decisions.serve_proposal(
        application_id=application.pk, staff=staff, kind="refuse", reasons="<b>Not</b> fit."
    )
    notice = Notice.objects.get(application=application)
    client.force_login(applicant)
    page = client.get(reverse("applications:notice", args=[application.pk, notice.pk]))
    assert page.status_code == 200
    assert "&lt;b&gt;Not&lt;/b&gt; fit." in page.content.decode()
    pdf = client.get(reverse("applications:notice_pdf", args=[application.pk, notice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Notice of proposal" in text
    assert "<b>Not</b> fit." in text  # the reasons as written, not as markup
    assert application.reference in text
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert reverse("applications:representations", args=[application.pk]) in detail
    client.force_login(helpers.user())
    assert (
        client.get(reverse("applications:notice", args=[application.pk, notice.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_worker_moves_on_when_the_28_days_pass_once():
    from portal.applications.sweeps import close_lapsed_representations

    application, _applicant, _, _staff = _refusal_proposed()
    assert close_lapsed_representations() == 0  # still within the 28 days
    Application.objects.filter(pk=application.pk).update(
        representations_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert close_lapsed_representations() == 1
    assert close_lapsed_representations() == 0
    application.refresh_from_db()
    assert application.stage == Stage.CONSIDERING_REPRESENTATIONS
    change = StatusChange.objects.filter(
        subject_id=str(application.pk), action="representations_window_passed"
    ).get()
    assert change.actor_label == "system"
    assert OutboxMessage.objects.filter(subject__contains="Time for representations passed")


@pytest.mark.django_db
def test_an_appeal_holds_the_decision_until_the_tribunal_decides():
    application, applicant, _, staff = _refusal_proposed()
    submission.declare_no_representations(application_id=application.pk, user=applicant)
    decisions.adopt_proposal(application_id=application.pk, staff=staff)
    decisions.record_appeal(application_id=application.pk, staff=staff)
    with pytest.raises(ApplicationError):
        decisions.close_refused(application_id=application.pk, staff=staff)
    decisions.appeal_concluded(application_id=application.pk, staff=staff, allowed=True)
    application.refresh_from_db()
    assert (application.stage, application.outcome) == (Stage.DECIDED, Outcome.GRANTED)
    assert OutboxMessage.objects.filter(
        to=applicant.email, body__contains="the appeal was allowed"
    ).exists()
    decisions.take_effect(application_id=application.pk, staff=staff)
    application.refresh_from_db()
    assert application.stage == Stage.EFFECTIVE


@pytest.mark.django_db
def test_a_registered_manager_cancels_their_own_registration():
    owner = helpers.provider()
    place = helpers.location(owner, name="Oak House")
    helpers.location(owner)
    manager = helpers.with_role(owner, RoleType.REGISTERED_MANAGER, place)
    delegate_of_provider = helpers.nominated_individual(owner)
    definition = CATALOGUE.latest("cancel-manager")
    with pytest.raises(ApplicationError):  # only the manager themself makes this one
        drafts.start_application(
            user=delegate_of_provider, definition=definition, provider=owner, location=place
        )
    application = drafts.start_application(
        user=manager, definition=definition, provider=owner, location=place
    )
    helpers.complete(application, {"stop_date": helpers.future(), "leaving_reason": "leaving"})
    helpers.send(application, manager)
    assert application.declarations.get().capacity == "registered manager"
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    decisions.grant(application_id=application.pk, staff=staff)
    decisions.take_effect(application_id=application.pk, staff=staff)
    assert manager.person is not None
    assert not RoleAssignment.objects.live().filter(person=manager.person).exists()


@pytest.mark.django_db
def test_a_partnership_removes_a_partner_chosen_from_its_registered_partners():
    from portal.applications.completeness import engine_context

    owner = helpers.provider(ownership_type="Partnership")
    helpers.location(owner)
    main = helpers.with_role(owner, RoleType.MAIN_PARTNER)
    leaving = helpers.person(given="Lee")
    RoleAssignment.objects.create(person=leaving, role=RoleType.PARTNER, provider=owner)
    application = drafts.start_application(
        user=main, definition=CATALOGUE.latest("remove-partner"), provider=owner
    )
    assert [p.message for p in blocking_problems(application)][-1].startswith(
        "A partnership needs at least two partners"
    )
    staying = helpers.person(given="Sam")
    RoleAssignment.objects.create(person=staying, role=RoleType.PARTNER, provider=owner)
    offered = dict(engine_context(application).registered_people)
    assert offered[leaving.person_ref] == leaving.full_name
    helpers.complete(
        application,
        {
            "partner_person": leaving.person_ref,
            "partner_end_date": helpers.future(),
            "sop_aims": "To care.",
            "sop_services": "Unchanged.",
        },
    )
    helpers.send(application, main)
    staff = helpers.assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    decisions.grant(application_id=application.pk, staff=staff)
    decisions.take_effect(application_id=application.pk, staff=staff)
    assert not RoleAssignment.objects.live().filter(person=leaving).exists()
    assert main.person is not None
    assert RoleAssignment.objects.live().filter(person=main.person).exists()
