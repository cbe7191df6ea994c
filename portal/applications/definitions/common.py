"""Questions several application types ask, and the vocabularies they choose from.

The lists are the regulator's own (domain.md §4.4): the 14 regulated activities of
Schedule 1 to the 2014 Regulations (with the register's codes), the service types and the
service user bands.
"""

from portal.applications.definitions.schema import PartKind, PartSlot
from portal.forms.vocabulary import Choice, DateRule, Kind, Page, Question, ShowIf, show_if

ACTIVITIES: tuple[Choice, ...] = (
    Choice("RA1", "Personal care"),
    Choice("RA2", "Accommodation for persons who require nursing or personal care"),
    Choice("RA3", "Accommodation for persons who require treatment for substance misuse"),
    Choice("RA5", "Treatment of disease, disorder or injury"),
    Choice(
        "RA6",
        "Assessment or medical treatment for persons detained under the Mental Health Act 1983",
    ),
    Choice("RA7", "Surgical procedures"),
    Choice("RA8", "Diagnostic and screening procedures"),
    Choice("RA9", "Management of supply of blood and blood derived products"),
    Choice("RA10", "Transport services, triage and medical advice provided remotely"),
    Choice("RA11", "Maternity and midwifery services"),
    Choice("RA12", "Termination of pregnancies"),
    Choice("RA13", "Services in slimming clinics"),
    Choice("RA14", "Nursing care"),
    Choice("RA15", "Family planning"),
)
ACTIVITY_NAMES = {choice.value: choice.label for choice in ACTIVITIES}

SERVICE_TYPES: tuple[Choice, ...] = (
    Choice("care_home_nursing", "Care home service with nursing"),
    Choice("care_home_no_nursing", "Care home service without nursing"),
    Choice("domiciliary", "Domiciliary care service"),
    Choice("supported_living", "Supported living service"),
    Choice("extra_care_housing", "Extra care housing service"),
    Choice("shared_lives", "Shared Lives"),
    Choice("community_ld", "Community-based services for people with a learning disability"),
    Choice("community_mh", "Community-based services for people with mental health needs"),
    Choice("community_substance", "Community-based services for people who misuse substances"),
    Choice("doctors_consultation", "Doctors consultation service"),
    Choice("doctors_treatment", "Doctors treatment service"),
    Choice("dental", "Dental service"),
    Choice("diagnostic", "Diagnostic and/or screening service"),
    Choice("hospice", "Hospice service"),
    Choice("acute", "Acute services with overnight beds"),
    Choice("ambulance", "Ambulance service"),
    Choice("remote_advice", "Remote clinical advice service"),
    Choice("urgent_care", "Urgent care service"),
)
SERVICE_TYPE_NAMES = {choice.value: choice.label for choice in SERVICE_TYPES}
CARE_HOMES = frozenset({"care_home_nursing", "care_home_no_nursing"})
COMMUNITY_SOCIAL_CARE = frozenset(
    {"domiciliary", "supported_living", "extra_care_housing", "shared_lives"}
)

SERVICE_USER_BANDS: tuple[Choice, ...] = (
    Choice("older_people", "Older people"),
    Choice("younger_adults", "Younger adults"),
    Choice("children", "Children 0 to 18 years"),
    Choice("dementia", "Dementia"),
    Choice("learning_disabilities", "Learning disabilities or autistic spectrum disorder"),
    Choice("mental_health", "Mental health"),
    Choice("physical_disability", "Physical disability"),
    Choice("sensory_impairment", "Sensory impairment"),
    Choice("substance_misuse", "People who misuse drugs and alcohol"),
    Choice("eating_disorder", "Eating disorder"),
    Choice("detained", "People detained under the Mental Health Act"),
    Choice("whole_population", "Whole population"),
)

YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))
PLANNING = (
    Choice("yes", "Yes"),
    Choice("no", "No, not yet"),
    Choice("not_needed", "Not needed for these premises"),
)


def counts(maximum: int, start: int = 1) -> tuple[Choice, ...]:
    return tuple(Choice(str(n), str(n)) for n in range(start, maximum + 1))


def from_slot(count_key: str, n: int, maximum: int) -> ShowIf:
    """Slot `n` is asked when the `count_key` answer is n, n+1 ... maximum."""
    return show_if(count_key, *(str(k) for k in range(n, maximum + 1)))


def location_questions(prefix: str, *, what: str = "the location") -> tuple[Question, ...]:
    """A location's details: name, address, contact, start date, places."""
    return (
        Question(f"{prefix}_name", f"Name of {what}", Kind.TEXT, f"Enter the name of {what}"),
        Question(
            f"{prefix}_address_line_1",
            "Address line 1",
            Kind.TEXT,
            "Enter address line 1, typically the building and street",
            short_label=f"Address line 1 of {what}",
        ),
        Question(
            f"{prefix}_address_line_2",
            "Address line 2 (optional)",
            Kind.TEXT,
            "",
            required=False,
        ),
        Question(
            f"{prefix}_town",
            "Town or city",
            Kind.TEXT,
            "Enter the town or city",
            max_length=100,
            short_label=f"Town or city of {what}",
        ),
        Question(
            f"{prefix}_postcode",
            "Postcode",
            Kind.POSTCODE,
            "Enter the postcode",
            hint="The location must be in England",
            short_label=f"Postcode of {what}",
        ),
        Question(
            f"{prefix}_phone",
            "Phone number",
            Kind.PHONE,
            f"Enter the phone number of {what}",
            short_label=f"Phone number of {what}",
        ),
        Question(
            f"{prefix}_start_date",
            "When do you want to start providing care here?",
            Kind.DATE,
            "Enter the date you want to start",
            date_rule=DateRule.FUTURE,
            hint="You must not provide regulated activities here before we register them",
            short_label="Intended start date",
        ),
        Question(
            f"{prefix}_places",
            "How many people can you care for here at one time?",
            Kind.NUMBER,
            "Enter the number of places",
            hint="For a care home, the number of beds. Enter 0 if care is given in people's homes",
            min_value=0,
            max_value=2000,
            short_label="Places",
        ),
        Question(
            f"{prefix}_planning",
            "Do the premises have the planning consent they need?",
            Kind.CHOICE,
            "Select whether the premises have planning consent",
            choices=PLANNING,
            short_label="Planning consent",
        ),
    )


def services_questions(prefix: str) -> tuple[Question, ...]:
    """Regulated activities, service types and who the service is for, at one location."""
    return (
        Question(
            f"{prefix}_activities",
            "Which regulated activities will you carry on here?",
            Kind.MULTI_CHOICE,
            "Select at least one regulated activity",
            choices=ACTIVITIES,
            short_label="Regulated activities",
        ),
        Question(
            f"{prefix}_service_types",
            "Which types of service will you provide here?",
            Kind.MULTI_CHOICE,
            "Select at least one type of service",
            choices=SERVICE_TYPES,
            short_label="Service types",
        ),
        Question(
            f"{prefix}_bands",
            "Who will the service be for?",
            Kind.MULTI_CHOICE,
            "Select who the service will be for",
            choices=SERVICE_USER_BANDS,
            short_label="Service users",
        ),
    )


# The statement of purpose as a document (new-provider v2 onwards): the completeness check
# asks for it, so the engine does not require it (see DocumentRequirement.question_key).
STATEMENT_OF_PURPOSE_FILE = Question(
    "sop_document",
    "Upload your statement of purpose",
    Kind.FILE,
    "Upload your statement of purpose",
    required=False,
    hint="The whole document, as the regulations set out what it must contain",
    max_files=3,
    short_label="Statement of purpose document",
)


def statement_of_purpose_page(condition_key: str = "", *, with_file: bool = False) -> Page:
    return Page(
        "statement-of-purpose",
        "Statement of purpose",
        (
            *((STATEMENT_OF_PURPOSE_FILE,) if with_file else ()),
            Question(
                "sop_aims",
                "What are the aims and objectives of the service?",
                Kind.LONG_TEXT,
                "Enter the aims and objectives of the service",
                short_label="Aims and objectives",
            ),
            Question(
                "sop_services",
                "What kinds of service will you provide, and for which needs?",
                Kind.LONG_TEXT,
                "Enter the kinds of service and the range of needs you will meet",
                short_label="Kinds of service and needs met",
            ),
        ),
        intro=(
            "Your statement of purpose must go with every application except one to cancel "
            "your whole registration. Tell us what has changed, if anything."
        ),
        condition=show_if(condition_key, "yes") if condition_key else None,
    )


def person_questions(prefix: str, who: str) -> tuple[Question, ...]:
    return (
        Question(
            f"{prefix}_name",
            f"Full name of {who}",
            Kind.TEXT,
            f"Enter the full name of {who}",
            max_length=150,
        ),
        Question(
            f"{prefix}_email",
            f"Email address of {who}",
            Kind.EMAIL,
            f"Enter the email address of {who}",
            hint="We send them an email asking them to complete and sign their own part",
        ),
    )


def person_slot(
    kind: PartKind,
    prefix: str,
    *,
    maximum: int = 1,
    counted: bool = True,
    only_if: tuple[str, frozenset[str]] | None = None,
) -> PartSlot:
    """The people `person_questions` names as "<prefix>_<n>", each of whom signs their own
    part: as many as the "<prefix>_count" answer says or, not `counted`, every slot."""
    return PartSlot(
        kind,
        count_key=f"{prefix}_count" if counted else "",
        name_key=f"{prefix}_{{n}}_name",
        email_key=f"{prefix}_{{n}}_email",
        maximum=maximum,
        only_if=only_if,
    )


def reason_question(key: str, label: str, error: str) -> Question:
    return Question(key, label, Kind.LONG_TEXT, error, max_length=5000)
