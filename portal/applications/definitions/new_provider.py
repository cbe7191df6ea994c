"""Registering a new provider: who the legal entity is, its nominated individual, partners,
each location with its activities and services, registered managers, statement of purpose,
financial viability, business plan, and how the service will be safe, effective, caring,
responsive and well-led (domain.md §3.2, registration-and-backoffice.md §2.3)."""

from dataclasses import replace

from portal.applications.definitions.common import (
    CARE_HOMES,
    COMMUNITY_SOCIAL_CARE,
    STATEMENT_OF_PURPOSE_FILE,
    YES_NO,
    counts,
    from_slot,
    location_questions,
    person_questions,
    person_slot,
    services_questions,
    statement_of_purpose_page,
)
from portal.applications.definitions.schema import (
    Applicant,
    ApplicationType,
    DocumentRequirement,
    Effect,
    PartKind,
    Subject,
)
from portal.forms.vocabulary import Choice, Kind, Page, Question, Section, show_if

# What one application may name (domain.md §3.2): more locations and managers are added by
# applications once registered. The count questions offer no more; the completeness check
# holds the line for answers that arrive otherwise.
MAX_LOCATIONS = 10
MAX_MANAGERS = 10
MAX_PARTNERS = 10
# (count question, its page, the maximum, what is counted)
LIMITS = (
    ("location_count", "locations", MAX_LOCATIONS, "locations"),
    ("manager_count", "managers", MAX_MANAGERS, "registered managers"),
    ("partner_count", "partnership", MAX_PARTNERS, "partners besides you"),
)

ENTITY_TYPES = (
    Choice("organisation", "An organisation", "A company, charity, NHS body or local authority"),
    Choice("individual", "An individual", "A sole trader"),
    Choice("partnership", "A partnership"),
)

_entity = Page(
    "legal-entity",
    "Who will be the provider?",
    (
        Question(
            "entity_type",
            "Who will be registered as the provider?",
            Kind.CHOICE,
            "Select who will be registered as the provider",
            choices=ENTITY_TYPES,
            short_label="Type of provider",
        ),
    ),
)

_organisation = Page(
    "organisation",
    "The organisation",
    (
        Question(
            "legal_name",
            "Legal name of the organisation",
            Kind.TEXT,
            "Enter the legal name of the organisation",
            hint="Exactly as Companies House or the Charity Commission has it",
        ),
        Question(
            "companies_house_number",
            "Companies House number (if it has one)",
            Kind.TEXT,
            "",
            required=False,
            max_length=8,
            hint="8 characters, like 01234567 or SC123456",
        ),
        Question(
            "charity_number",
            "Registered charity number (if it has one)",
            Kind.TEXT,
            "",
            required=False,
            max_length=8,
        ),
    ),
    condition=show_if("entity_type", "organisation"),
)

_individual = Page(
    "individual",
    "About you as the provider",
    (
        Question(
            "individual_name",
            "Your full name",
            Kind.TEXT,
            "Enter your full name",
            max_length=150,
        ),
        Question(
            "individual_in_day_to_day_charge",
            "Will you be in day-to-day charge of the service yourself?",
            Kind.YES_NO,
            "Select whether you will be in day-to-day charge",
            choices=YES_NO,
            hint="If not, you need a registered manager",
            short_label="In day-to-day charge",
        ),
    ),
    condition=show_if("entity_type", "individual"),
)

_partnership = Page(
    "partnership",
    "The partnership",
    (
        Question(
            "partnership_name",
            "Name of the partnership",
            Kind.TEXT,
            "Enter the name of the partnership",
        ),
        Question(
            "applicant_name",
            "Your full name",
            Kind.TEXT,
            "Enter your full name",
            max_length=150,
            hint="You will be the main partner",
        ),
        Question(
            "partner_count",
            "How many partners are there, besides you?",
            Kind.CHOICE,
            f"Select how many other partners there are: up to {MAX_PARTNERS} in one application",
            choices=counts(MAX_PARTNERS),
            hint="Every partner is a registered person and completes and signs their own part",
            short_label="Other partners",
        ),
    ),
    condition=show_if("entity_type", "partnership"),
)


def _person_page(prefix: str, title: str, n: int, maximum: int, *more: Question) -> Page:
    """The page of the n-th person counted by "<prefix>_count" (`title` n): who they are,
    then `more`."""
    return Page(
        f"{prefix}-{n}",
        f"{title} {n}",
        (*person_questions(f"{prefix}_{n}", f"{title.lower()} {n}"), *more),
        condition=from_slot(f"{prefix}_count", n, maximum),
    )


_address = Page(
    "provider-address",
    "The provider's address and contact details",
    (
        Question(
            "provider_address_line_1",
            "Address line 1",
            Kind.TEXT,
            "Enter address line 1, typically the building and street",
            short_label="Provider address line 1",
        ),
        Question(
            "provider_town",
            "Town or city",
            Kind.TEXT,
            "Enter the town or city",
            max_length=100,
            short_label="Provider town or city",
        ),
        Question(
            "provider_postcode",
            "Postcode",
            Kind.POSTCODE,
            "Enter the postcode",
            short_label="Provider postcode",
        ),
        Question(
            "provider_phone",
            "Phone number",
            Kind.PHONE,
            "Enter the provider's phone number",
            short_label="Provider phone number",
        ),
    ),
)

_nominated = Page(
    "nominated-individual",
    "Nominated individual",
    (
        Question(
            "ni_is_applicant",
            "Will you be the nominated individual?",
            Kind.YES_NO,
            "Select whether you will be the nominated individual",
            choices=YES_NO,
            hint="A director, manager or secretary who supervises how the service is managed",
            short_label="You are the nominated individual",
        ),
        Question(
            "ni_name",
            "Full name of the nominated individual",
            Kind.TEXT,
            "Enter the full name of the nominated individual",
            max_length=150,
        ),
        Question(
            "ni_email",
            "Email address of the nominated individual",
            Kind.EMAIL,
            "Enter the email address of the nominated individual",
            condition=show_if("ni_is_applicant", "no"),
        ),
        Question(
            "ni_job_title",
            "Job title of the nominated individual",
            Kind.TEXT,
            "Enter the job title of the nominated individual",
            max_length=100,
        ),
    ),
    condition=show_if("entity_type", "organisation"),
)

_location_count = Page(
    "locations",
    "Locations",
    (
        Question(
            "location_count",
            "How many locations do you want to register?",
            Kind.CHOICE,
            f"Select how many locations you want to register: up to {MAX_LOCATIONS} in one "
            "application (add more once you are registered)",
            choices=counts(MAX_LOCATIONS),
            hint=(
                "A location is where care is given, or where it is managed from (for care in "
                f"people's homes). To register more than {MAX_LOCATIONS}, add them once you "
                "are registered"
            ),
            short_label="Number of locations",
        ),
    ),
)


def _location_pages(n: int) -> tuple[Page, Page]:
    shown = from_slot("location_count", n, MAX_LOCATIONS)
    return (
        Page(
            f"location-{n}",
            f"Location {n}: address and places",
            location_questions(f"loc_{n}", what=f"location {n}"),
            condition=shown,
        ),
        Page(
            f"location-{n}-services",
            f"Location {n}: activities and services",
            services_questions(f"loc_{n}"),
            condition=shown,
        ),
    )


_manager_count = Page(
    "managers",
    "Registered managers",
    (
        Question(
            "manager_count",
            "How many registered managers will you have?",
            Kind.CHOICE,
            f"Select how many registered managers you will have: up to {MAX_MANAGERS} in one "
            "application (add more once you are registered)",
            choices=counts(MAX_MANAGERS, start=0),
            hint=(
                "Organisations and partnerships need a registered manager for every regulated "
                "activity at every location. Each manager completes and signs their own part"
            ),
            short_label="Number of registered managers",
        ),
    ),
)

LOCATION_SLOTS = tuple(Choice(str(n), f"Location {n}") for n in range(1, MAX_LOCATIONS + 1))


def _manager_page(n: int) -> Page:
    return _person_page(
        "manager",
        "Registered manager",
        n,
        MAX_MANAGERS,
        Question(
            f"manager_{n}_locations",
            "Which locations will they manage?",
            Kind.MULTI_CHOICE,
            "Select at least one location they will manage",
            choices=LOCATION_SLOTS,
            hint="The locations as you numbered them in this application",
            short_label="Locations managed",
        ),
    )


_finance = Page(
    "financial-viability",
    "Financial viability",
    (
        Question(
            "finance_exempt",
            "Is the provider exempt from giving a financial viability statement?",
            Kind.CHOICE,
            "Select whether the provider is exempt",
            choices=(
                Choice("no", "No"),
                Choice("nhs_or_la", "Yes: an NHS body or an English local authority"),
                Choice("nhs_contract", "Yes: it holds an NHS contract for these services"),
            ),
            short_label="Exempt from a financial viability statement",
        ),
        Question(
            "finance_signed_by",
            "Who signed the statement?",
            Kind.CHOICE,
            "Select who signed the financial viability statement",
            choices=(
                Choice("accountant", "An accountant registered with a supervisory body"),
                Choice("bank", "A bank or financial firm regulated by the FCA"),
            ),
            hint="Not a friend or relative",
            condition=show_if("finance_exempt", "no"),
            short_label="Statement signed by",
        ),
        Question(
            "finance_firm",
            "Name of the accountant's or bank's firm",
            Kind.TEXT,
            "Enter the name of the firm",
            condition=show_if("finance_exempt", "no"),
            short_label="Firm",
        ),
        Question(
            "finance_membership_number",
            "Their accreditation or FCA number",
            Kind.TEXT,
            "Enter their accreditation or FCA number",
            max_length=30,
            condition=show_if("finance_exempt", "no"),
            short_label="Accreditation number",
        ),
        Question(
            "finance_opinion",
            "What is their opinion?",
            Kind.CHOICE,
            "Select their opinion",
            choices=(
                Choice("sufficient", "The provider has the financial resources it needs"),
                Choice("not_enough_information", "There is not enough information to say"),
            ),
            condition=show_if("finance_exempt", "no"),
            short_label="Opinion",
        ),
    ),
)

_business_plan = Page(
    "business-plan",
    "Business plan",
    (
        Question(
            "business_plan_summary",
            "Summarise your business plan",
            Kind.LONG_TEXT,
            "Enter a summary of your business plan",
            hint="The services, the people they are for, how you will staff them, and a "
            "two-year financial forecast",
            short_label="Business plan",
        ),
    ),
)

KEY_QUESTIONS = (
    ("safe", "safe", "protected from abuse and avoidable harm"),
    ("effective", "effective", "getting care that achieves good outcomes"),
    ("caring", "caring", "treated with compassion, kindness, dignity and respect"),
    ("responsive", "responsive", "getting care organised to meet their needs"),
    ("well_led", "well-led", "in a service whose leadership assures high-quality care"),
)

_how = Page(
    "how-you-will-run-it",
    "How you will run the service",
    tuple(
        Question(
            f"kq_{key}",
            f"How will the service be {word}?",
            Kind.LONG_TEXT,
            f"Tell us how the service will be {word}",
            hint=f"How people will be {meaning}",
            max_length=4000,
            short_label=f"How it will be {word}",
        )
        for key, word, meaning in KEY_QUESTIONS
    ),
)

POLICIES = (
    DocumentRequirement("statement_of_purpose", "Statement of purpose"),
    DocumentRequirement("complaints", "Complaints policy"),
    DocumentRequirement("consent", "Consent policy (Mental Capacity Act and DoLS)"),
    DocumentRequirement("governance", "Governance and quality assurance policy"),
    DocumentRequirement("equality", "Equality, diversity and Accessible Information policy"),
    DocumentRequirement("safeguarding", "Safeguarding policy"),
    DocumentRequirement("recruitment", "Recruitment policy"),
    DocumentRequirement(
        "medicines",
        "Medicines policy",
        for_service_types=CARE_HOMES | COMMUNITY_SOCIAL_CARE | frozenset({"hospice"}),
    ),
    DocumentRequirement(
        "insurance", "Public and employer's liability insurance (quote or certificate)"
    ),
    DocumentRequirement(
        "falls_and_moving", "Moving and handling and falls policy", for_service_types=CARE_HOMES
    ),
    DocumentRequirement(
        "lone_working", "Lone working policy", for_service_types=COMMUNITY_SOCIAL_CARE
    ),
)


def _policy_key(document: DocumentRequirement) -> str:
    return f"policy_{document.key}"


SERVICES_IN_WORDS = (
    (CARE_HOMES, "a care home"),
    (COMMUNITY_SOCIAL_CARE, "care in people's homes or other community social care"),
    (frozenset({"hospice"}), "a hospice"),
)


def _needed_when(document: DocumentRequirement) -> str:
    if not document.for_service_types:
        return "Every new provider needs this"
    offered = [words for types, words in SERVICES_IN_WORDS if types <= document.for_service_types]
    return f"Needed if a location offers {' or '.join(offered)}"


_documents_page = Page(
    "documents",
    "Policies and documents",
    tuple(
        Question(
            _policy_key(document),
            document.name,
            Kind.FILE,
            f"Upload your {document.name[0].lower()}{document.name[1:]}",
            # The completeness check decides which are needed (by the locations' services)
            # and names each one missing: the engine does not require them.
            required=False,
            hint=_needed_when(document),
            max_files=3,
        )
        for document in POLICIES
        if document.key != "statement_of_purpose"
    ),
    intro=(
        "Each policy must show the provider's name, who is accountable for it, and when it "
        "was written and will be reviewed. We check which ones your services need before "
        "you send the application."
    ),
)


def _sections(*, with_files: bool) -> tuple[Section, ...]:
    """Every section; `with_files`: the statement of purpose and policies are uploaded."""
    return (
        Section("provider", "The provider", (_entity, _organisation, _individual, _partnership)),
        Section(
            "partners",
            "Partners",
            tuple(
                _person_page("partner", "Partner", n, MAX_PARTNERS)
                for n in range(1, MAX_PARTNERS + 1)
            ),
        ),
        Section("contact", "Address and contact details", (_address,)),
        Section("nominated-individual", "Nominated individual", (_nominated,)),
        *(
            Section(
                f"location-{n}" if n else "locations",
                f"Location {n}" if n else "Locations",
                _location_pages(n) if n else (_location_count,),
            )
            for n in range(0, MAX_LOCATIONS + 1)
        ),
        Section(
            "managers",
            "Registered managers",
            (_manager_count, *(_manager_page(n) for n in range(1, MAX_MANAGERS + 1))),
        ),
        Section(
            "statement-of-purpose",
            "Statement of purpose",
            (statement_of_purpose_page(with_file=with_files),),
        ),
        Section("finance", "Financial viability and business plan", (_finance, _business_plan)),
        Section("how", "How you will run the service", (_how,)),
        *(
            (Section("documents", "Policies and documents", (_documents_page,)),)
            if with_files
            else ()
        ),
    )


NEW_PROVIDER = ApplicationType(
    slug="new-provider",
    version=1,
    name="Register a new provider",
    summary=(
        "Apply to register an organisation, an individual or a partnership to carry on "
        "regulated activities, with its locations and registered managers."
    ),
    applicant=Applicant.PROSPECTIVE_PROVIDER,
    subject=Subject.NEW_PROVIDER,
    effect=Effect.REGISTER_PROVIDER,
    sections=_sections(with_files=False),
    parts=(
        person_slot(PartKind.REGISTERED_MANAGER, "manager", maximum=MAX_MANAGERS),
        person_slot(
            PartKind.PARTNER,
            "partner",
            maximum=MAX_PARTNERS,
            only_if=("entity_type", frozenset({"partnership"})),
        ),
    ),
    documents=POLICIES,
    declaration=(
        "I declare that the information in this application is true and complete, that the "
        "provider will not carry on any regulated activity before it is registered for it, "
        "and that I am authorised to make this application. I understand that giving false "
        "or misleading information is an offence."
    ),
)

# Version 2: the statement of purpose and the policies are uploaded with the application, and
# the completeness check blocks sending until every one its service types need is there.
POLICIES_WITH_FILES = tuple(
    replace(
        document,
        question_key=(
            STATEMENT_OF_PURPOSE_FILE.key
            if document.key == "statement_of_purpose"
            else _policy_key(document)
        ),
    )
    for document in POLICIES
)

NEW_PROVIDER_V2 = replace(
    NEW_PROVIDER, version=2, sections=_sections(with_files=True), documents=POLICIES_WITH_FILES
)
