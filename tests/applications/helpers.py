"""Register rows, people and applications for the applications tests."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from portal.accounts.models import User
from portal.applications.completeness import documents_needed
from portal.applications.definitions import CATALOGUE
from portal.applications.models import Application, ApplicationPart
from portal.applications.services import drafts, files, parts
from portal.documents.clamd import ScanResult, Verdict
from portal.documents.models import Document
from portal.documents.scanning import record_scan_result
from portal.register.models import Location, Person, Provider, RegulatedActivity, RoleType
from tests.factories import accounts, register

PASSWORD = accounts.PASSWORD


def provider(*, ownership_type: str = "Organisation", name: str = "") -> Provider:
    return register.make_provider(
        name, ownership_type=ownership_type, registration_status="Registered"
    )


def location(
    owner: Provider, *, name: str = "", activities: tuple[str, ...] = ("RA1",)
) -> Location:
    """A registered location carrying the regulated activities with these codes."""
    place = register.make_location(owner, name, registration_status="Registered")
    for code in activities:
        place.activities.add(RegulatedActivity.objects.get(code=code))
    return place


def user(*, email: str = "", person: Person | None = None, staff: bool = False) -> User:
    full_name = person.full_name if person else f"User {register.next_number()}"
    return accounts.make_user(email, person, is_staff=staff, full_name=full_name)


def signed_in(account: User) -> Client:
    """A test client signed in as `account`."""
    client = Client()
    client.force_login(account)
    return client


def person(*, email: str = "", given: str = "Alex", family: str = "") -> Person:
    return register.make_person(email, given, family)


def with_role(owner: Provider, role: str, place: Location | None = None) -> User:
    someone = person()
    register.give_role(someone, role, owner, place)
    return user(person=someone)


def nominated_individual(owner: Provider) -> User:
    return with_role(owner, RoleType.NOMINATED_INDIVIDUAL)


def delegate(owner: Provider, permissions: tuple[str, ...]) -> User:
    from portal.organisations.models import Membership

    member = user()
    Membership.objects.create(
        user=member, provider=owner, whole_provider=True, permissions=list(permissions)
    )
    return member


def assessor() -> User:
    return user(staff=True)


def future(days: int = 60) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def past(days: int = 30) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


CANCEL_PROVIDER_ANSWERS: dict[str, Any] = {
    "stop_date": future(),
    "reason": "We are retiring.",
    "arrangements": "Everyone has moved to another local service.",
    "people_told": "yes",
    "records_kept_by": "Oldham Council",
}


def complete(application: Application, answers: dict[str, Any]) -> Application:
    """Answers saved straight on the row (the page flow is tested on its own)."""
    definition = CATALOGUE.require(application.type_slug, application.version)
    application.answers = answers
    application.completed_pages = [page.key for page in definition.pages()]
    application.save(update_fields=["answers", "completed_pages"])
    return application


def cancel_provider_application() -> tuple[Application, User]:
    owner = provider()
    location(owner)
    signer = nominated_individual(owner)
    application = drafts.start_application(
        user=signer,
        definition=CATALOGUE.latest("cancel-provider"),
        provider=owner,
    )
    return complete(application, dict(CANCEL_PROVIDER_ANSWERS)), signer


def location_answers(n: int, *, activities: tuple[str, ...] = ("RA1",)) -> dict[str, Any]:
    return {
        f"loc_{n}_name": f"Riverside House {n}",
        f"loc_{n}_address_line_1": f"{n} River Road",
        f"loc_{n}_town": "Leeds",
        f"loc_{n}_postcode": "LS1 4AP",
        f"loc_{n}_phone": "0113 496 0000",
        f"loc_{n}_start_date": future(90),
        f"loc_{n}_places": 20,
        f"loc_{n}_planning": "yes",
        f"loc_{n}_activities": list(activities),
        f"loc_{n}_service_types": ["care_home_no_nursing"],
        f"loc_{n}_bands": ["older_people"],
    }


def new_provider_answers(*, manager_email: str = "manager@care.example") -> dict[str, Any]:
    return {
        "entity_type": "organisation",
        "legal_name": "O'Brien & Sons Care <Ltd>",
        "companies_house_number": "01234567",
        "provider_address_line_1": "1 Park Row",
        "provider_town": "Leeds",
        "provider_postcode": "LS1 5HD",
        "provider_phone": "0113 496 0001",
        "ni_is_applicant": "yes",
        "ni_name": "Nora Nominated",
        "ni_job_title": "Director",
        "location_count": "2",
        **location_answers(1, activities=("RA1", "RA2")),
        **location_answers(2),
        "manager_count": "1",
        "manager_1_name": "Maya Manager",
        "manager_1_email": manager_email,
        "manager_1_locations": ["1", "2"],
        "sop_aims": "To care.",
        "sop_services": "Residential care for older people.",
        "finance_exempt": "no",
        "finance_signed_by": "accountant",
        "finance_firm": "Counts LLP",
        "finance_membership_number": "ICAEW 123",
        "finance_opinion": "sufficient",
        "business_plan_summary": "Two homes, forecast attached.",
        **{
            f"kq_{key}": f"How we are {key}."
            for key in ("safe", "effective", "caring", "responsive", "well_led")
        },
    }


MANAGER_PART_ANSWERS: dict[str, Any] = {
    "full_name": "Maya Manager",
    "date_of_birth": "1980-03-27",
    "phone": "0113 496 0002",
    "home_postcode": "LS2 7HY",
    "medically_fit": "yes",
    "dbs_number": "001234567890",
    "dbs_issued_on": past(30),
    "qualifications": "Level 5 Diploma in Leadership.",
    "employment_history": "Deputy manager 2015-2025.",
    "referee_name": "Rae Referee",
    "referee_email": "rae@previous.example",
}


def mark_clean(document: Document) -> Document:
    """The scanner's clean verdict, written as the worker writes it (tests without clamd)."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        return record_scan_result(
            document=locked, result=ScanResult(Verdict.CLEAN), scanner_version="ClamAV (tests)"
        )


def upload_documents(
    application: Application, uploader: User, *, leave_out: tuple[str, ...] = ()
) -> list[Document]:
    """Upload (through the service) and pass as clean every document the application needs,
    except the requirement keys in `leave_out`."""
    from tests.documents.samples import pdf

    uploaded = []
    for needed in documents_needed(application):
        if needed.question_key and needed.key not in leave_out:
            document = files.upload_file(
                application_id=application.pk,
                user=uploader,
                question_key=needed.question_key,
                uploaded_file=SimpleUploadedFile(f"{needed.key}.pdf", pdf(needed.name)),
            )
            uploaded.append(mark_clean(document))
    application.refresh_from_db()
    return uploaded


def with_open_manager_part(applicant: User, manager: User) -> tuple[Application, ApplicationPart]:
    """A complete new-provider application by `applicant`, its documents uploaded and clean,
    whose one manager (`manager`) has taken their part but not yet answered or signed it."""
    application = drafts.start_application(
        user=applicant,
        definition=CATALOGUE.latest("new-provider"),
    )
    complete(application, new_provider_answers(manager_email=manager.email))
    upload_documents(application, applicant)
    (part,) = parts.invite_parts(application_id=application.pk, user=applicant)
    parts.take_part(part_id=part.pk, user=manager)
    return application, part


def with_signed_manager_part(applicant: User, manager: User) -> Application:
    """As `with_open_manager_part`, the manager having answered and signed their part."""
    from portal.applications.definitions.parts import MANAGER_PART

    application, part = with_open_manager_part(applicant, manager)
    part.answers = dict(MANAGER_PART_ANSWERS)
    part.completed_pages = [page.key for page in MANAGER_PART.pages()]
    part.save(update_fields=["answers", "completed_pages"])
    parts.sign_part(part_id=part.pk, user=manager, declaration_confirmed=True)
    application.refresh_from_db()
    return application


def new_provider_with_signed_manager() -> tuple[Application, User, User]:
    """A complete new-provider application whose one manager has signed their part."""
    applicant = user(email="applicant@newcare.example")
    manager = user(email="manager@care.example")
    return with_signed_manager_part(applicant, manager), applicant, manager


def serve_conditions_proposal(application: Application, staff: User) -> None:
    """A notice of proposal to grant with a condition on Riverside House 2."""
    from portal.applications.services import decisions

    decisions.serve_proposal(
        application_id=application.pk,
        staff=staff,
        kind="conditions",
        reasons="Night staffing.",
        conditions="No more than 10 people at Riverside House 2.",
    )


def send(application: Application, signer: User, *, confirmed: bool = True) -> Application:
    """`signer` signs the declaration (unless not `confirmed`) and sends `application`."""
    from portal.applications.services import submission

    return submission.sign_and_submit(
        application_id=application.pk, user=signer, declaration_confirmed=confirmed
    )


def send_and_validate(application: Application, signer: User) -> User:
    """Sign and send `application` as `signer`, then have an assessor validate it; the
    assessor is returned, to take the next step."""
    from portal.applications.services import assessment

    send(application, signer)
    staff = assessor()
    assessment.validate(application_id=application.pk, staff=staff)
    return staff


def cancel_provider_prepared_by_delegate() -> tuple[Application, User, User]:
    """A complete cancel-provider application for "Hill Care", prepared by a delegate who may
    not sign it; returns it, the nominated individual who may sign, and the delegate."""
    from portal.organisations.permissions import Permission

    owner = provider(name="Hill Care")
    location(owner)
    signer = nominated_individual(owner)
    prepared_by = delegate(owner, (Permission.VIEW_SUBMISSIONS, Permission.PREPARE_CANCELLATIONS))
    application = drafts.start_application(
        user=prepared_by, definition=CATALOGUE.latest("cancel-provider"), provider=owner
    )
    return complete(application, dict(CANCEL_PROVIDER_ANSWERS)), signer, prepared_by
