"""Linked parts, declarations and sending: invitations by email, only the invited account
completes and signs a part, nothing is sent until every part is signed, a part sent back
reopens only that part, only the right people sign, and sending twice makes one
application."""

import pytest

from portal.applications.completeness import blocking_problems
from portal.applications.definitions import CATALOGUE
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationPart, Declaration, answers_hash
from portal.applications.services import drafts, parts
from portal.applications.stages import Stage
from portal.emails.models import OutboxMessage
from portal.forms.models import DraftStatus, PostedPage
from portal.workflow.models import StatusChange
from tests.applications import helpers
from tests.support.concurrency import run_copies


@pytest.mark.django_db
def test_named_manager_is_invited_by_email_and_only_their_account_may_take_the_part():
    applicant = helpers.user(email="applicant@newcare.example")
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    helpers.complete(application, helpers.new_provider_answers())
    problems = [p.message for p in blocking_problems(application)]
    assert "Invite Maya Manager (registered manager) to complete and sign their part" in problems

    (part,) = parts.invite_parts(application_id=application.pk, user=applicant)
    email = OutboxMessage.objects.get(to="manager@care.example")
    assert f"/applications/parts/{part.pk}/" in email.body
    assert "Maya Manager" not in email.subject

    stranger = helpers.user(email="someone.else@care.example")
    with pytest.raises(ApplicationError) as refused:
        parts.take_part(part_id=part.pk, user=stranger)
    assert refused.value.code == "applications.wrong_account"
    assert "m******@care.example" in refused.value.message
    with pytest.raises(ApplicationError):
        parts.sign_part(part_id=part.pk, user=applicant, declaration_confirmed=True)

    problems = [p.message for p in blocking_problems(application)]
    assert "Maya Manager (registered manager) has not signed their part yet" in problems


@pytest.mark.django_db
def test_the_part_records_who_signed_what_and_the_application_can_then_be_sent():
    application, applicant, manager = helpers.new_provider_with_signed_manager()
    part = ApplicationPart.objects.get(application=application)
    declaration = Declaration.objects.get(part=part)
    assert declaration.signed_by == manager
    assert declaration.definition_version == 1
    assert declaration.answers_sha256 == answers_hash(part.answers)
    assert blocking_problems(application) == []

    sent = helpers.send(application, applicant)
    assert sent.stage == Stage.SUBMITTED
    own = Declaration.objects.get(application=application, part__isnull=True)
    assert (own.capacity, own.definition_slug, own.definition_version) == (
        "applicant",
        "new-provider",
        application.version,
    )
    assert own.answers_sha256 == answers_hash(application.answers)
    assert OutboxMessage.objects.filter(to="applicant@newcare.example").filter(
        subject__contains=application.reference
    )


@pytest.mark.django_db
def test_a_dbs_certificate_over_12_months_old_is_caught():
    application, _applicant, _manager = helpers.new_provider_with_signed_manager()
    ApplicationPart.objects.filter(application=application).update(
        answers={**helpers.MANAGER_PART_ANSWERS, "dbs_issued_on": helpers.past(400)}
    )
    problems = [p.message for p in blocking_problems(application)]
    assert any("DBS certificate is more than 12 months old" in p for p in problems)


@pytest.mark.django_db
def test_sending_back_a_part_reopens_only_that_part():
    application, applicant, _manager = helpers.new_provider_with_signed_manager()
    part = ApplicationPart.objects.get(application=application)
    parts.send_back_part(
        application_id=application.pk,
        part_id=part.pk,
        user=applicant,
        reason="Your DBS number has a digit missing",
    )
    part.refresh_from_db()
    assert part.status == DraftStatus.OPEN
    assert Declaration.objects.get(part=part).superseded_at is not None
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT
    assert application.completed_pages  # the applicant's own answers are untouched
    assert OutboxMessage.objects.filter(
        to="manager@care.example", body__contains="digit missing"
    ).exists()
    with pytest.raises(ApplicationError):
        helpers.send(application, applicant)


@pytest.mark.django_db
def test_sending_twice_makes_one_application():
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    first = helpers.send(application, applicant)
    again = helpers.send(application, applicant)
    assert first.pk == again.pk
    assert StatusChange.objects.filter(subject_id=str(application.pk), action="submit").count() == 1
    assert Declaration.objects.filter(application=application, part__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_make_one_application():
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    outcomes = run_copies(
        lambda: helpers.send(application, applicant),
        2,
    )
    assert [outcome for outcome in outcomes if isinstance(outcome, BaseException)] == []
    assert StatusChange.objects.filter(subject_id=str(application.pk), action="submit").count() == 1
    assert Application.objects.get(pk=application.pk).stage == Stage.SUBMITTED


@pytest.mark.django_db
def test_without_the_declaration_nothing_is_sent():
    application, applicant, _ = helpers.new_provider_with_signed_manager()
    with pytest.raises(ApplicationError) as refused:
        helpers.send(application, applicant, confirmed=False)
    assert refused.value.field == "confirm"
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT


@pytest.mark.django_db
def test_a_delegate_prepares_but_cannot_sign_and_is_told_who_can():
    application, signer, prepared_by = helpers.cancel_provider_prepared_by_delegate()
    with pytest.raises(ApplicationError) as refused:
        helpers.send(application, prepared_by)
    assert refused.value.code == "applications.cannot_sign"
    assert signer.person is not None
    assert signer.person.full_name in refused.value.message
    assert "(nominated individual)" in refused.value.message
    sent = helpers.send(application, signer)
    assert sent.stage == Stage.SUBMITTED
    declaration = Declaration.objects.get(application=application)
    assert declaration.capacity == "nominated individual"


@pytest.mark.django_db
def test_someone_with_no_access_to_the_provider_cannot_start_or_touch_its_applications():
    owner = helpers.provider()
    helpers.location(owner)
    outsider = helpers.user()
    with pytest.raises(ApplicationError):
        drafts.start_application(
            user=outsider, definition=CATALOGUE.latest("cancel-provider"), provider=owner
        )
    application, _signer = helpers.cancel_provider_application()
    with pytest.raises(ApplicationError) as refused:
        drafts.save_page(
            application_id=application.pk,
            user=outsider,
            posted=PostedPage("cancellation", {"reason": "x"}, complete=False),
        )
    assert refused.value.code == "applications.not_found"


@pytest.mark.django_db
def test_removing_the_only_location_is_a_cancellation():
    owner = helpers.provider()
    only = helpers.location(owner, name="The Only House")
    signer = helpers.nominated_individual(owner)
    application = drafts.start_application(
        user=signer,
        definition=CATALOGUE.latest("remove-location"),
        provider=owner,
        location=only,
    )
    problems = [p.message for p in blocking_problems(application)]
    assert (
        "The Only House is your only location: removing it would cancel your registration. "
        "Apply to cancel your registration as a provider instead." in problems
    )


@pytest.mark.django_db
def test_adding_an_activity_already_registered_is_inconsistent():
    owner = helpers.provider()
    place = helpers.location(owner, name="Elm House", activities=("RA1",))
    signer = helpers.nominated_individual(owner)
    application = drafts.start_application(
        user=signer, definition=CATALOGUE.latest("add-activity"), provider=owner, location=place
    )
    helpers.complete(application, {"activities": ["RA1"], "start_date": helpers.future()})
    problems = [p.message for p in blocking_problems(application)]
    assert "Elm House is already registered for: Personal care" in problems


@pytest.mark.django_db
def test_a_manager_named_for_a_location_not_in_the_application_is_caught():
    applicant = helpers.user()
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.latest("new-provider")
    )
    answers = helpers.new_provider_answers()
    answers.update(location_count="1", manager_1_locations=["2"])
    helpers.complete(application, answers)
    problems = [p.message for p in blocking_problems(application)]
    assert "Registered manager 1 is named for location 2, but the application has 1 location" in (
        problems
    )
    assert "Riverside House 1 has no registered manager: every location needs one" in problems


@pytest.mark.django_db
def test_the_same_cancellation_cannot_be_asked_twice_at_once():
    first, signer = helpers.cancel_provider_application()
    helpers.send(first, signer)
    assert first.provider is not None
    second = drafts.start_application(
        user=signer, definition=CATALOGUE.latest("cancel-provider"), provider=first.provider
    )
    helpers.complete(second, dict(helpers.CANCEL_PROVIDER_ANSWERS))
    assert [p.message for p in blocking_problems(second)] == [
        f"Application {first.reference} already asks for this change: follow that one, or "
        "withdraw it first"
    ]
