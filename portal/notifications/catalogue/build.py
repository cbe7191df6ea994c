"""Short constructors for questions, the groups of questions several types ask, and the
sections every type shares.

Definitions read like the regulator's forms: `date("died_on", "Date of death", ...)`.
The common sections (about you, the person) and question groups are versioned with the
types that use them: changing one means a new version of each type that uses it, so old
submissions keep their wording. Answer keys are always written out by the caller.
"""

from typing import Any, Protocol

from portal.forms.vocabulary import Choice, DateRule, Kind, Page, Question, Section, ShowIf, show_if
from portal.notifications.catalogue.schema import (
    Deadline,
    DeadlineKind,
    NotForOwnership,
    NotificationType,
    Rule,
)

Options = list[tuple[str, str]] | list[tuple[str, str, str]] | list[tuple[str, ...]]


def choices(options: Options) -> tuple[Choice, ...]:
    return tuple(Choice(*option) for option in options)


class Asks(Protocol):
    """A constructor for one kind of question: key, label, error for a missing answer, and
    any other `Question` field by name."""

    def __call__(self, key: str, label: str, error: str, **extra: Any) -> Question: ...


class AsksToChoose(Protocol):
    def __call__(
        self, key: str, label: str, error: str, options: Options, **extra: Any
    ) -> Question: ...


def asks(kind: Kind, **defaults: Any) -> Asks:
    """The constructor for questions of `kind`; `defaults` (a hint) apply unless given."""

    def question(key: str, label: str, error: str, **extra: Any) -> Question:
        return Question(key=key, label=label, kind=kind, error=error, **(defaults | extra))

    return question


def asks_to_choose(kind: Kind, **defaults: Any) -> AsksToChoose:
    """As `asks`, for a kind whose answer is one (or some) of the `options` given."""

    ask = asks(kind, **defaults)

    def question(key: str, label: str, error: str, options: Options, **extra: Any) -> Question:
        return ask(key, label, error, choices=choices(options), **extra)

    return question


text = asks(Kind.TEXT)
long_text = asks(Kind.LONG_TEXT)
# Documents to upload: the answer is the ids of the files, each checked for viruses.
file_upload = asks(Kind.FILE)
identifier = asks(
    Kind.IDENTIFIER,
    hint="Use your own reference for the person, such as a record number. Do not use their name.",
)
time = asks(Kind.TIME, hint="For example, 14:30 or 2:30pm")
number = asks(Kind.NUMBER)
email = asks(Kind.EMAIL)
phone = asks(Kind.PHONE)
postcode = asks(Kind.POSTCODE)
registered_person = asks(Kind.REGISTERED_PERSON)
choice = asks_to_choose(Kind.CHOICE)
multi = asks_to_choose(Kind.MULTI_CHOICE, hint="Select all that apply.")
_yes_or_no = asks_to_choose(Kind.YES_NO)


def date(key: str, label: str, error: str, *, past: bool = False, **extra: Any) -> Question:
    extra.setdefault("hint", "For example, 27 3 2026")
    rule = DateRule.PAST if past else extra.pop("date_rule", DateRule.ANY)
    return Question(key=key, label=label, kind=Kind.DATE, error=error, date_rule=rule, **extra)


YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]


def yes_no(key: str, label: str, error: str, **extra: Any) -> Question:
    return _yes_or_no(key, label, error, YES_NO, **extra)


def yes_no_unknown(key: str, label: str, error: str, **extra: Any) -> Question:
    return choice(key, label, error, YES_NO_NOT_KNOWN, **extra)


def when(question: str, *values: str) -> ShowIf:
    return show_if(question, *values)


def page(key: str, title: str, *questions: Question, **extra: Any) -> Page:
    return Page(key=key, title=title, questions=questions, **extra)


def section(key: str, title: str, *pages: Page) -> Section:
    return Section(key=key, title=title, pages=pages)


def regulation(number: str) -> str:
    """How a type cites the regulation behind it: `regulation("18(2)(e)")`."""
    return f"Regulation {number}, Care Quality Commission (Registration) Regulations 2009"


NHS = frozenset({"NHS Body"})
NOT_FOR_NHS = NotForOwnership(NHS, "NHS bodies do not send this notification.")


# Context facts the engine writes into a draft's answers when it starts, so definitions can
# ask things only of some services (the GP death rule) with an ordinary condition.
CONTEXT_PRIMARY_MEDICAL = "context.primary_medical_services"

_CONTACT_DETAILS = {
    "name": ("Full name", Kind.TEXT),
    "job_title": ("Job title", Kind.TEXT),
    "firm": ("Firm", Kind.TEXT),
    "phone": ("Phone number", Kind.PHONE),
    "email": ("Email address", Kind.EMAIL),
}


def contact_details(
    whose: str,
    *,
    short_label: str = "",
    labelled: str = "",
    condition: ShowIf | None = None,
    **keys: str,
) -> list[Question]:
    """Name and contact details of someone the register does not hold yet (a new manager, an
    insolvency practitioner, the contact for a notification), asked in the order the keys are
    given: name=, job_title=, firm=, phone=, email= (each the answer key). `whose` finishes
    each error, as in "Enter {whose} phone number"; `labelled` starts each label ("Contact's
    phone number"); `short_label` names the person on check-your-answers."""
    questions = []
    for detail, key in keys.items():
        label, kind = _CONTACT_DETAILS[detail]
        questions.append(
            Question(
                key=key,
                label=f"{labelled} {label.lower()}" if labelled else label,
                kind=kind,
                error=f"Enter {whose} {label.lower()}",
                short_label=short_label if detail == "name" else "",
                condition=condition,
            )
        )
    return questions


# ---------------------------------------------------------------------------------------
# About you: who is sending the notification and who the regulator should contact.
# ---------------------------------------------------------------------------------------

ABOUT_YOU = Section(
    key="about-you",
    title="About you",
    pages=(
        page(
            "about-you",
            "About you",
            text(
                "submitter_name",
                "Your full name",
                "Enter your full name",
                short_label="Your name",
                hint="",
            ),
            text("submitter_job_title", "Your job title", "Enter your job title"),
            phone(
                "submitter_phone",
                "Your phone number",
                "Enter your phone number",
                hint="For international numbers include the country code",
            ),
            email(
                "submitter_email",
                "Your email address",
                "Enter your email address",
                hint="We will send the receipt here",
            ),
            text(
                "provider_reference",
                "Your own reference for this notification (optional)",
                "",
                required=False,
                short_label="Your reference",
                max_length=50,
                hint="If you keep your own log of incidents, you can give its reference",
            ),
        ),
        page(
            "contact",
            "Contact for this notification",
            yes_no(
                "contact_is_submitter",
                "Should we contact you about this notification?",
                "Select yes if we should contact you about this notification",
                short_label="Contact is you",
            ),
            *contact_details(
                "the contact’s",
                labelled="Contact’s",
                short_label="Contact’s name",
                condition=when("contact_is_submitter", "no"),
                name="contact_name",
                job_title="contact_job_title",
                phone="contact_phone",
                email="contact_email",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# The person the notification is about: an identifier, never a name, plus equality data.
# ---------------------------------------------------------------------------------------

AGE_BANDS = [
    ("under_1", "Under 1"),
    ("1_4", "1 to 4"),
    ("5_11", "5 to 11"),
    ("12_15", "12 to 15"),
    ("16_17", "16 to 17"),
    ("18_24", "18 to 24"),
    ("25_34", "25 to 34"),
    ("35_44", "35 to 44"),
    ("45_54", "45 to 54"),
    ("55_64", "55 to 64"),
    ("65_74", "65 to 74"),
    ("75_84", "75 to 84"),
    ("85_plus", "85 or over"),
    ("not_known", "Not known"),
]

PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")
NOT_KNOWN = ("not_known", "Not known")


def equality_question(
    key: str, label: str, options: list[tuple[str, str]], **extra: Any
) -> Question:
    """An equality question: optional, and always offering "Not known" and "Prefer not to
    say" after the `options`."""
    return choice(key, label, "", [*options, NOT_KNOWN, PREFER_NOT], required=False, **extra)


def person_section(who: str = "the person who uses the service") -> Section:
    return Section(
        key="person",
        title="The person",
        pages=(
            page(
                "person",
                f"About {who}",
                identifier(
                    "person_identifier",
                    "Your identifier for the person",
                    "Enter your identifier for the person",
                    short_label="Person’s identifier",
                ),
                choice(
                    "person_age_band",
                    "Age",
                    "Select the person’s age",
                    AGE_BANDS,
                    short_label="Person’s age",
                ),
                date(
                    "person_started_on",
                    "When did the person start using the service? (optional)",
                    "",
                    required=False,
                    past=True,
                    short_label="Started using the service",
                ),
            ),
            page(
                "equality",
                "Equality information (optional)",
                equality_question("person_sex", "Sex", [("female", "Female"), ("male", "Male")]),
                equality_question(
                    "person_ethnicity",
                    "Ethnic group",
                    [
                        ("asian", "Asian or Asian British"),
                        ("black", "Black, Black British, Caribbean or African"),
                        ("mixed", "Mixed or multiple ethnic groups"),
                        ("white", "White"),
                        ("other", "Another ethnic group"),
                    ],
                ),
                equality_question(
                    "person_disability",
                    "Did the person have a disability?",
                    [("yes", "Yes"), ("no", "No")],
                    short_label="Disability",
                ),
                equality_question(
                    "person_religion",
                    "Religion or belief",
                    [
                        ("none", "No religion"),
                        ("buddhist", "Buddhist"),
                        ("christian", "Christian"),
                        ("hindu", "Hindu"),
                        ("jewish", "Jewish"),
                        ("muslim", "Muslim"),
                        ("sikh", "Sikh"),
                        ("other", "Another religion or belief"),
                    ],
                ),
                equality_question(
                    "person_sexual_orientation",
                    "Sexual orientation",
                    [
                        ("heterosexual", "Heterosexual or straight"),
                        ("gay_lesbian", "Gay or lesbian"),
                        ("bisexual", "Bisexual"),
                        ("other", "Another sexual orientation"),
                    ],
                ),
                intro=(
                    "We use this to check that people are treated fairly. "
                    "Every question on this page is optional."
                ),
            ),
        ),
    )


PERSON = person_section()

WHO_ELSE_TOLD = multi(
    "others_told",
    "Who else have you told?",
    "Select who else you have told, or select ‘No one else’",
    [
        ("local_authority", "The local authority (safeguarding)"),
        ("police", "The police"),
        ("coroner", "The coroner"),
        ("family", "The person’s family or representative"),
        ("commissioner", "The commissioner of the service"),
        ("nhs", "NHS England (patient safety reporting)"),
        ("none", "No one else"),
    ],
    short_label="Others told",
)

OTHERS_TOLD = page("others-told", "Who else you have told", WHO_ELSE_TOLD)

DECLARATION_ACCURATE = (
    "I confirm that the information in this notification is correct and complete to the best "
    "of my knowledge, and that I am authorised to send it for the provider."
)

REGULATED_ACTIVITIES = [
    ("personal_care", "Personal care"),
    (
        "accommodation_nursing_personal",
        "Accommodation for persons who require nursing or personal care",
    ),
    (
        "accommodation_substance_misuse",
        "Accommodation for persons who require treatment for substance misuse",
    ),
    ("treatment_disease", "Treatment of disease, disorder or injury"),
    (
        "mha_detained",
        "Assessment or medical treatment for persons detained under the Mental Health Act 1983",
    ),
    ("surgical", "Surgical procedures"),
    ("diagnostic", "Diagnostic and screening procedures"),
    ("blood", "Management of supply of blood and blood derived products"),
    ("transport", "Transport services, triage and medical advice provided remotely"),
    ("maternity", "Maternity and midwifery services"),
    ("termination", "Termination of pregnancies"),
    ("slimming", "Services in slimming clinics"),
    ("nursing_care", "Nursing care"),
    ("family_planning", "Family planning"),
]


# ---------------------------------------------------------------------------------------
# Groups of questions several types ask, in the same words.
# ---------------------------------------------------------------------------------------

DO_NOT_NAME_STAFF = "Do not name anyone. Refer to staff by job title."


def date_and_time(date_key: str, time_key: str, of_what: str, **time_extra: Any) -> list[Question]:
    """When something happened: the date (required, not in the future) and the time if known.
    `of_what` finishes "Date …", "Enter the date …" and "Time … (if known)"."""
    return [
        date(date_key, f"Date {of_what}", f"Enter the date {of_what}", past=True),
        time(time_key, f"Time {of_what} (if known)", "", required=False, **time_extra),
    ]


def what_happened(label: str, *more: Question, hint: str = DO_NOT_NAME_STAFF) -> Page:
    """The page where the provider describes the event in its own words (answer key
    "description"), with any further questions after it."""
    return page(
        "description",
        "What happened",
        long_text("description", label, label, hint=hint, short_label="What happened"),
        *more,
    )


def optional_reference(key: str, label: str, **extra: Any) -> Question:
    """Someone else's reference number for the matter (police, court, local authority), if
    the provider has one."""
    return text(key, label, "", required=False, max_length=50, **extra)


def returned_on(who: str, **extra: Any) -> Question:
    """The date someone who was away came back (answer key returned_on), `who` as in "Date
    {who} returned": asked when telling us of the return, or with the absence if it is over."""
    return date(
        "returned_on", f"Date {who} returned", f"Enter the date {who} returned", past=True, **extra
    )


def return_notes(**extra: Any) -> Question:
    """The last question when someone who was away has come back (a registered manager, a
    detained patient): anything else, optional."""
    return long_text(
        "return_notes", "Anything else we should know (optional)", "", required=False, **extra
    )


def new_address(condition: ShowIf | None = None) -> list[Question]:
    """A new postal address (answer keys new_address_line_1, _2, new_town, new_postcode)."""
    return [
        text(
            "new_address_line_1",
            "Address line 1",
            "Enter address line 1, typically the building and street",
            condition=condition,
        ),
        text(
            "new_address_line_2",
            "Address line 2 (optional)",
            "",
            required=False,
            condition=condition,
        ),
        text("new_town", "Town or city", "Enter town or city", condition=condition, max_length=100),
        postcode("new_postcode", "Postcode", "Enter postcode", condition=condition),
    ]


WITHOUT_DELAY = Deadline(DeadlineKind.WITHOUT_DELAY)

NHS_REPORT_ELSEWHERE = NotForOwnership(
    NHS,
    "NHS trusts report this through the national patient safety reporting system (LFPSE), "
    "which passes it to us. You do not need to notify us separately.",
)


def police_told(reference_key: str, reference_label: str) -> list[Question]:
    """Whether the police have been told, and their reference when they have."""
    return [
        yes_no(
            "police_told", "Have you told the police?", "Select yes if you have told the police"
        ),
        optional_reference(reference_key, reference_label, condition=when("police_told", "yes")),
    ]


def circumstances_of_death(*more: Question, **extra: Any) -> Page:
    return page(
        "circumstances",
        "What happened",
        long_text(
            "circumstances",
            "Describe the circumstances of the death",
            "Describe the circumstances of the death",
            **extra,
        ),
        *more,
    )


# ---------------------------------------------------------------------------------------
# Whole types
# ---------------------------------------------------------------------------------------


def event_type(*, sections: tuple[Section, ...], **fields: Any) -> NotificationType:
    """An event or incident: about you, then `sections`. It involves a person who uses the
    service exactly when one of its sections is about the person (PERSON, person_section)."""
    return NotificationType(
        group="events",
        sections=(ABOUT_YOU, *sections),
        involves_person=any(s.key == "person" for s in sections),
        **fields,
    )


def urgent_event(
    *,
    sections: tuple[Section, ...],
    rules: tuple[Rule, ...] = (NHS_REPORT_ELSEWHERE,),
    **fields: Any,
) -> NotificationType:
    """An event where someone was harmed or is at risk: told without delay, and first in the
    regulator's inbox. Unless `rules` say otherwise, NHS trusts report it through LFPSE."""
    return event_type(sections=sections, deadline=WITHOUT_DELAY, urgency=3, rules=rules, **fields)
