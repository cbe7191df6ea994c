"""Demo applications in every stage, made through the services as the pages would: an
applicant with no register role yet (a draft, one waiting for validation, one returned, one
waiting for her answer, one with a notice of proposal, one granted and in effect), a
manager invited to sign her part, and a change application by the demo group.

Idempotent: an applicant who already has applications is left as she is.
"""

from functools import partial
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.models import User
from portal.applications.completeness import documents_needed
from portal.applications.definitions import CATALOGUE
from portal.applications.definitions.parts import MANAGER_PART
from portal.applications.models import Application
from portal.applications.services import assessment, decisions, drafts, files, parts, submission
from portal.demo.accounts import demo_account
from portal.demo.documents import ONE_PAGE_PDF
from portal.demo.logins import DEMO_PASSWORD, DemoLogin
from portal.forms.flow import SavePage
from portal.forms.models import PostedPage
from portal.forms.vocabulary import FormDefinition
from portal.register.models import Provider
from portal.workflow.calendar import add_working_days

APPLICANT_EMAIL = "ada.applicant@newcare-demo.example"
MANAGER_EMAIL = "mo.manager@newcare-demo.example"


def _dates() -> tuple[str, str]:
    today = timezone.localdate()
    return add_working_days(today, 60).isoformat(), add_working_days(today, -10).isoformat()


def _new_provider_answers(name: str, manager_email: str) -> dict[str, Any]:
    start, _ = _dates()
    location = {
        "loc_1_name": f"{name} House",
        "loc_1_address_line_1": "4 Canal Street",
        "loc_1_town": "Leeds",
        "loc_1_postcode": "LS1 4AP",
        "loc_1_phone": "0113 496 0100",
        "loc_1_start_date": start,
        "loc_1_places": 24,
        "loc_1_planning": "yes",
        "loc_1_activities": ["RA2"],
        "loc_1_service_types": ["care_home_no_nursing"],
        "loc_1_bands": ["older_people", "dementia"],
    }
    return {
        "entity_type": "organisation",
        "legal_name": f"{name} Ltd",
        "companies_house_number": "09876543",
        "provider_address_line_1": "4 Canal Street",
        "provider_town": "Leeds",
        "provider_postcode": "LS1 4AP",
        "provider_phone": "0113 496 0100",
        "ni_is_applicant": "yes",
        "ni_name": "Ada Applicant",
        "ni_job_title": "Director",
        "location_count": "1",
        **location,
        "manager_count": "1",
        "manager_1_name": "Mo Manager",
        "manager_1_email": manager_email,
        "manager_1_locations": ["1"],
        "sop_aims": "A small, homely care home for older people.",
        "sop_services": "Residential care, including for people living with dementia.",
        "finance_exempt": "no",
        "finance_signed_by": "accountant",
        "finance_firm": "Ledger and Co",
        "finance_membership_number": "ICAEW 445566",
        "finance_opinion": "sufficient",
        "business_plan_summary": "24 places, full within a year; two-year forecast attached.",
        **{
            f"kq_{key}": f"How the home will be {key.replace('_', '-')}: staffing, training, audits."
            for key in ("safe", "effective", "caring", "responsive", "well_led")
        },
    }


def _answer_every_page(definition: FormDefinition, answers: dict[str, Any], save: SavePage) -> None:
    """Each page that applies, saved complete with its questions' answers, as the pages would."""
    for page in definition.pages():
        if page.applies(answers):
            page_answers = {q.key: answers.get(q.key) for q in page.questions}
            save(posted=PostedPage(page.key, page_answers, complete=True))


def _fill(application: Application, answers: dict[str, Any], user: User) -> None:
    definition = CATALOGUE.require(application.type_slug, application.version)
    save = partial(drafts.save_page, application_id=application.pk, user=user)
    _answer_every_page(definition, answers, save)


def _upload_documents(application: Application, user: User, *, leave_out: str) -> None:
    application.refresh_from_db()
    for needed in documents_needed(application):
        if needed.question_key and needed.key != leave_out:
            files.upload_file(
                application_id=application.pk,
                user=user,
                question_key=needed.question_key,
                uploaded_file=SimpleUploadedFile(
                    f"Juniper Court {needed.name.lower()}.pdf", ONE_PAGE_PDF, "application/pdf"
                ),
            )


def _signed_by_manager(application: Application, applicant: User, manager: User) -> None:
    _, dbs_day = _dates()
    (part,) = parts.invite_parts(application_id=application.pk, user=applicant)
    parts.take_part(part_id=part.pk, user=manager)
    answers = {
        "full_name": "Mo Manager",
        "date_of_birth": "1979-05-14",
        "phone": "0113 496 0101",
        "home_postcode": "LS6 2AB",
        "medically_fit": "yes",
        "dbs_number": "001122334455",
        "dbs_issued_on": dbs_day,
        "qualifications": "Level 5 Diploma in Leadership for Health and Social Care.",
        "employment_history": "Deputy manager, Elm Court (2016 to 2025).",
        "referee_name": "Rhona Reed",
        "referee_email": "rhona.reed@elmcourt-demo.example",
    }
    save = partial(parts.save_part_page, part_id=part.pk, user=manager)
    _answer_every_page(MANAGER_PART, answers, save)
    parts.sign_part(part_id=part.pk, user=manager, declaration_confirmed=True)


def _sent(name: str, applicant: User, manager: User) -> Application:
    application = drafts.start_application(
        user=applicant, definition=CATALOGUE.require("new-provider", 1)
    )
    _fill(application, _new_provider_answers(name, manager.email), applicant)
    _signed_by_manager(application, applicant, manager)
    return submission.sign_and_submit(
        application_id=application.pk, user=applicant, declaration_confirmed=True
    )


def _in_assessment(name: str, applicant: User, manager: User, staff: User) -> Application:
    """Sent and validated: the assessment has started."""
    application = _sent(name, applicant, manager)
    assessment.validate(application_id=application.pk, staff=staff)
    return application


def load(staff: User, group_nominated: User, group_provider: Provider) -> list[DemoLogin]:
    applicant = demo_account(APPLICANT_EMAIL, full_name="Ada Applicant")
    manager = demo_account(MANAGER_EMAIL, full_name="Mo Manager")
    logins = [
        DemoLogin(
            "Applicant with applications in every stage (no register role at first)",
            APPLICANT_EMAIL,
            DEMO_PASSWORD,
        ),
        DemoLogin("Registered manager named in an application", MANAGER_EMAIL, DEMO_PASSWORD),
    ]
    if Application.objects.filter(created_by=applicant).exists():
        return logins
    draft = drafts.start_application(
        user=applicant, definition=CATALOGUE.require("new-provider", 1)
    )
    partial = {
        k: v
        for k, v in _new_provider_answers("Willow Lodge", MANAGER_EMAIL).items()
        if not k.startswith(("loc_", "finance", "kq_", "business"))
    }
    _fill(draft, partial, applicant)
    # Invited, not signed yet: Mo's part waits for her. Made on the current form, with its
    # policies uploaded but for the safeguarding policy, which the check page asks for.
    waiting = drafts.start_application(user=applicant, definition=CATALOGUE.latest("new-provider"))
    _fill(waiting, _new_provider_answers("Juniper Court", MANAGER_EMAIL), applicant)
    _upload_documents(waiting, applicant, leave_out="safeguarding")
    parts.invite_parts(application_id=waiting.pk, user=applicant)

    _sent("Aspen View", applicant, manager)  # waiting for validation
    returned = _sent("Birch Grove", applicant, manager)
    assessment.return_application(
        application_id=returned.pk,
        staff=staff,
        reasons="The business plan has no two-year financial forecast. Add it and send again.",
    )
    asked = _in_assessment("Cedar Lodge", applicant, manager, staff)
    assessment.request_information(
        application_id=asked.pk,
        staff=staff,
        body="Please send your fire risk assessment for Cedar Lodge House.",
    )
    proposed = _in_assessment("Damson Place", applicant, manager, staff)
    decisions.serve_proposal(
        application_id=proposed.pk,
        staff=staff,
        kind="conditions",
        reasons="Night staffing planned is too low for 24 people living with dementia.",
        conditions="No more than 12 people may live at Damson Place House.",
    )
    granted = _in_assessment("Elder Mews", applicant, manager, staff)
    decisions.grant(application_id=granted.pk, staff=staff, reasons="Meets every requirement.")
    decisions.take_effect(application_id=granted.pk, staff=staff)
    _group_change(staff, group_nominated, group_provider)
    return logins


def _group_change(staff: User, nominated: User, provider: Provider) -> None:
    """The demo group adds a location: with the assessor now."""
    application = drafts.start_application(
        user=nominated, definition=CATALOGUE.require("add-location", 1), provider=provider
    )
    answers = {
        key: value
        for key, value in _new_provider_answers("Horizon Riverside", "").items()
        if key.startswith("loc_1_")
    }
    answers.update(
        transfer="no",
        manager_count="0",
        sop_aims="Care homes across West Yorkshire.",
        sop_services="Nursing and residential care for older people.",
    )
    _fill(application, answers, nominated)
    submission.sign_and_submit(
        application_id=application.pk, user=nominated, declaration_confirmed=True
    )
    assessment.validate(application_id=application.pk, staff=staff)
