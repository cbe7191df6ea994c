"""Events about registered people and the provider itself (regulations 14, 21 and 22)."""

from typing import Any

from portal.forms.vocabulary import Question, show_if
from portal.notifications.catalogue.build import (
    DECLARATION_ACCURATE,
    NOT_FOR_NHS,
    WITHOUT_DELAY,
    choice,
    date,
    email,
    event_type,
    long_text,
    number,
    page,
    phone,
    registered_person,
    regulation,
    return_notes,
    returned_on,
    section,
    text,
    when,
    yes_no,
)
from portal.notifications.catalogue.schema import (
    PROVIDER_ONLY,
    Deadline,
    DeadlineKind,
    DueAfterSubmission,
    FollowUpKind,
    NotificationType,
    OnlyForOwnership,
)

ABSENT_PERSON_ROLE = choice(
    "absent_role",
    "What is the absent person’s role?",
    "Select the absent person’s role",
    [
        ("registered_manager", "Registered manager"),
        ("individual_provider", "Individual provider in day-to-day charge"),
    ],
    short_label="Role",
)

ABSENCE_RETURN = FollowUpKind(
    key="return",
    name="The person has returned",
    pages=(
        page(
            "return",
            "The person has returned",
            returned_on("they"),
            return_notes(),
        ),
    ),
)

# 1. Absence of a registered individual for 28 days or more (regulation 14)
ABSENCE = event_type(
    slug="absence",
    version=1,
    name="Absence of a registered individual for 28 days or more",
    regulation=regulation("14"),
    summary=(
        "Tell us when a registered manager, or an individual provider in day-to-day charge, "
        "will be or has been away for 28 days or more, and how the service will run meanwhile."
    ),
    helper_text="A registered manager or individual provider will be away for 28 days or more",
    deadline=Deadline(
        DeadlineKind.DAYS_BEFORE,
        days=28,
        from_question="absence_starts_on",
        wording=(
            "Planned absence: at least 28 days before it starts. Emergency absence: within "
            "5 working days of it starting"
        ),
        alternatives=(
            (
                show_if("absence_kind", "emergency"),
                Deadline(
                    DeadlineKind.WORKING_DAYS_AFTER, days=5, from_question="absence_starts_on"
                ),
            ),
        ),
    ),
    urgency=2,
    follow_ups=(ABSENCE_RETURN,),
    due_after=DueAfterSubmission(
        label="Tell us the person has returned",
        from_question="expected_return_on",
        days=7,
        satisfied_by="return",
    ),
    sections=(
        section(
            "absence",
            "The absence",
            page(
                "who",
                "Who will be absent",
                registered_person(
                    "absent_person",
                    "Who will be absent?",
                    "Select who will be absent",
                    short_label="Absent person",
                ),
                ABSENT_PERSON_ROLE,
            ),
            page(
                "when",
                "When",
                choice(
                    "absence_kind",
                    "Is the absence planned or an emergency?",
                    "Select whether the absence is planned or an emergency",
                    [("planned", "Planned"), ("emergency", "Emergency")],
                    short_label="Planned or emergency",
                ),
                date(
                    "absence_starts_on",
                    "Date the absence starts or started",
                    "Enter the date the absence starts",
                ),
                date(
                    "expected_return_on",
                    "Date you expect them back (if known)",
                    "",
                    required=False,
                    not_before=("absence_starts_on", "the date the absence starts"),
                    short_label="Expected return",
                ),
                number(
                    "new_manager_within_days",
                    "If you do not know when they will be back, within how many days will you propose a new manager?",
                    "Enter within how many days you will propose a new manager",
                    required=False,
                    min_value=1,
                    max_value=365,
                    short_label="New manager proposed within (days)",
                ),
            ),
            page(
                "reason",
                "Reason",
                choice(
                    "absence_reason",
                    "Why will they be absent?",
                    "Select why they will be absent",
                    [
                        ("leave", "Holiday or other leave"),
                        ("health", "Illness or injury"),
                        ("family", "Maternity, paternity, adoption or family leave"),
                        ("training", "Training or secondment"),
                        ("other", "Another reason"),
                    ],
                    short_label="Reason",
                ),
            ),
            page(
                "arrangements",
                "Arrangements while they are away",
                long_text(
                    "arrangements",
                    "How will the service be managed while they are away?",
                    "Describe how the service will be managed",
                    short_label="Arrangements",
                ),
                text(
                    "deputy_name",
                    "Full name of the person who will be in charge",
                    "Enter the full name of the person who will be in charge",
                    short_label="Person in charge",
                ),
                long_text(
                    "deputy_address",
                    "Their address",
                    "Enter the address of the person who will be in charge",
                    max_length=500,
                    short_label="Their address",
                ),
                long_text(
                    "deputy_qualifications",
                    "Their qualifications and experience",
                    "Enter their qualifications and experience",
                    short_label="Their qualifications",
                ),
            ),
        ),
    ),
)

# 11. Return of a registered individual after an absence of 28 days or more (regulation 14)
RETURN_FROM_ABSENCE = event_type(
    slug="return-from-absence",
    version=1,
    name="Return of a registered individual after an absence of 28 days or more",
    regulation=regulation("14"),
    summary=(
        "Tell us when a registered manager or individual provider returns from an absence of "
        "28 days or more. If you told us about the absence here, add an update to that "
        "notification instead."
    ),
    helper_text="A registered manager or individual provider is back after 28 days or more away",
    deadline=Deadline(
        DeadlineKind.DAYS_AFTER,
        days=7,
        from_question="returned_on",
        wording="Within 7 days of their return",
    ),
    urgency=1,
    sections=(
        section(
            "return",
            "The return",
            page(
                "who",
                "Who has returned",
                registered_person(
                    "returned_person",
                    "Who has returned?",
                    "Select who has returned",
                    short_label="Returned person",
                ),
                ABSENT_PERSON_ROLE,
            ),
            page(
                "dates",
                "Dates",
                date(
                    "absence_started_on",
                    "Date the absence started",
                    "Enter the date the absence started",
                    past=True,
                ),
                returned_on(
                    "they", not_before=("absence_started_on", "the date the absence started")
                ),
                text(
                    "absence_reference",
                    "Reference of the absence notification (if you have it)",
                    "",
                    required=False,
                    max_length=30,
                ),
            ),
        ),
    ),
)

INTENTIONS_CHOICES = [
    ("continue", "Continue to run the service"),
    ("transfer", "Transfer the service to a new provider"),
    ("close", "Close the service"),
    ("undecided", "Not decided yet"),
]


def plans_for_the_service(decide_within: str) -> list[Question]:
    """What the person now responsible intends for the service; if undecided, they owe their
    plans within 28 days of `decide_within` ("the death", "your appointment")."""
    return [
        choice(
            "intentions",
            "What do you intend to do with the service?",
            "Select what you intend to do with the service",
            INTENTIONS_CHOICES,
            hint=f"If you have not decided, tell us within 28 days of {decide_within}",
            short_label="Plans",
        ),
        long_text(
            "intentions_details",
            "Details of your plans",
            "Enter the details of your plans",
            condition=when("intentions", "continue", "transfer", "close"),
        ),
    ]


PLANS = FollowUpKind(
    key="intentions",
    name="Our plans for the service",
    pages=(
        page(
            "intentions",
            "Plans for the service",
            choice(
                "intentions",
                "What do you intend to do with the service?",
                "Select what you intend to do with the service",
                INTENTIONS_CHOICES[:3],
            ),
            long_text("intentions_details", "Details", "Enter the details of your plans"),
        ),
    ),
)


def plans_notice(*, plans_owed_from: str, **fields: Any) -> NotificationType:
    """A notice from whoever now answers for the provider (regulations 21 and 22): a formal
    notice for the whole provider whose plans for the service, if undecided, are owed as the
    PLANS follow-up within 28 days of the answer `plans_owed_from`."""
    return event_type(
        scope=PROVIDER_ONLY,
        urgency=2,
        declaration=DECLARATION_ACCURATE,
        due_after=DueAfterSubmission(
            label="Tell us your plans for the service",
            from_question=plans_owed_from,
            days=28,
            satisfied_by=PLANS.key,
            condition=when("intentions", "undecided"),
        ),
        follow_ups=(PLANS,),
        **fields,
    )


# 6. Death of a registered provider (regulation 21)
DEATH_OF_PROVIDER = plans_notice(
    slug="death-of-provider",
    version=1,
    name="Death of a registered provider",
    regulation=regulation("21"),
    summary=(
        "A surviving partner, or the personal representative of an individual provider, tells "
        "us of the provider’s death without delay, and of their plans for the service within "
        "28 days."
    ),
    helper_text="An individual provider, or a partner in a partnership, has died",
    deadline=WITHOUT_DELAY,
    rules=(
        OnlyForOwnership(
            frozenset({"Individual", "Partnership"}),
            "Only individual providers and partnerships send this notification.",
        ),
    ),
    plans_owed_from="died_on",
    sections=(
        section(
            "death",
            "The death",
            page(
                "notifier",
                "Who is telling us",
                choice(
                    "notifier_role",
                    "Who are you?",
                    "Select who you are",
                    [
                        ("surviving_partner", "A surviving partner"),
                        ("personal_representative", "The personal representative"),
                    ],
                    short_label="Notifier",
                ),
                text(
                    "deceased_name",
                    "Full name of the provider who has died",
                    "Enter the full name of the provider who has died",
                    short_label="Provider who has died",
                ),
                date("died_on", "Date of death", "Enter the date of death", past=True),
            ),
            page(
                "representative",
                "The personal representative",
                text(
                    "representative_name",
                    "Full name",
                    "Enter the personal representative’s full name",
                ),
                long_text(
                    "representative_address",
                    "Address",
                    "Enter the personal representative’s address",
                    max_length=500,
                ),
                phone(
                    "representative_phone",
                    "Phone number",
                    "Enter the personal representative’s phone number",
                ),
                email("representative_email", "Email address (optional)", "", required=False),
                condition=when("notifier_role", "personal_representative"),
            ),
            page(
                "plans",
                "Plans for the service",
                *plans_for_the_service("the death"),
                text(
                    "day_to_day_manager",
                    "Full name of the person managing the service day to day",
                    "Enter the full name of the person managing the service day to day",
                    short_label="Day-to-day manager",
                ),
                yes_no(
                    "extension_wanted",
                    "Will you need to run the service for more than 28 days before a new registration?",
                    "Select yes if you will need more than 28 days",
                    hint="We can extend the period up to one year",
                    short_label="Extension needed",
                ),
                long_text(
                    "extension_reason",
                    "Why do you need longer?",
                    "Explain why you need longer",
                    condition=when("extension_wanted", "yes"),
                ),
            ),
        ),
    ),
)

# 8. Liquidator or trustee's plans for a service (regulation 22)
LIQUIDATOR = plans_notice(
    slug="liquidator",
    version=1,
    name="Appointment of a liquidator, receiver or trustee, and their plans for the service",
    regulation=regulation("22"),
    summary=(
        "A liquidator, receiver, administrator or trustee in bankruptcy tells us of their "
        "appointment and why, and of their plans for the service within 28 days."
    ),
    helper_text="A liquidator, receiver, administrator or trustee has been appointed",
    deadline=Deadline(
        DeadlineKind.WITHOUT_DELAY,
        wording="Appointment: without delay. Plans: within 28 days of the appointment",
    ),
    rules=(NOT_FOR_NHS,),
    plans_owed_from="appointed_on",
    sections=(
        section(
            "appointment",
            "The appointment",
            page(
                "appointee",
                "The appointment",
                choice(
                    "appointee_role",
                    "What have you been appointed as?",
                    "Select what you have been appointed as",
                    [
                        ("liquidator", "Liquidator"),
                        ("receiver", "Receiver"),
                        ("administrator", "Administrator"),
                        ("trustee", "Trustee in bankruptcy"),
                        ("other", "Another office"),
                    ],
                    short_label="Appointed as",
                ),
                text(
                    "appointee_name",
                    "Your full name",
                    "Enter your full name",
                    short_label="Appointee",
                ),
                text("appointee_firm", "Your firm", "Enter your firm"),
                long_text(
                    "appointee_address",
                    "Your business address",
                    "Enter your business address",
                    max_length=500,
                ),
                date(
                    "appointed_on",
                    "Date of appointment",
                    "Enter the date of appointment",
                    past=True,
                ),
                long_text(
                    "appointment_reason",
                    "Why were you appointed?",
                    "Explain why you were appointed",
                    short_label="Reason",
                ),
            ),
            page(
                "management",
                "Management and plans",
                yes_no(
                    "manager_in_post",
                    "Is there a registered manager in post?",
                    "Select yes if there is a registered manager in post",
                ),
                text(
                    "appointed_manager",
                    "Full name of the manager you have appointed",
                    "Enter the full name of the manager you have appointed",
                    condition=when("manager_in_post", "no"),
                    hint="The law requires you to appoint one",
                ),
                *plans_for_the_service("your appointment"),
            ),
        ),
    ),
)

REGISTERED_PEOPLE_TYPES = (ABSENCE, RETURN_FROM_ABSENCE, DEATH_OF_PROVIDER, LIQUIDATOR)
