"""Events where others act to protect people: abuse or its allegation (regulation 18(2)(e)),
the police (18(2)(f)) and deprivation of liberty (18(4A) and (4B)).
"""

from portal.forms.vocabulary import DateRule
from portal.notifications.catalogue.build import (
    NHS,
    PERSON,
    WITHOUT_DELAY,
    choice,
    date,
    date_and_time,
    event_type,
    identifier,
    long_text,
    multi,
    optional_reference,
    page,
    police_told,
    regulation,
    section,
    text,
    urgent_event,
    what_happened,
    when,
    yes_no,
)
from portal.notifications.catalogue.schema import (
    Deadline,
    DeadlineKind,
    FollowUpKind,
    NotForOwnership,
)

# ---------------------------------------------------------------------------------------
# 2. Abuse or allegation of abuse (regulation 18(2)(e))
# ---------------------------------------------------------------------------------------

ABUSE = urgent_event(
    slug="abuse",
    version=1,
    name="Abuse or an allegation of abuse",
    regulation=regulation("18(2)(e)"),
    summary=(
        "Tell us when a person using the service is affected by abuse or alleged abuse, or is "
        "the abuser or alleged abuser."
    ),
    helper_text="Abuse, or an allegation of abuse, involving someone using the service",
    sections=(
        PERSON,
        section(
            "abuse",
            "The abuse or allegation",
            page(
                "role",
                "The person’s part in it",
                choice(
                    "person_role",
                    "Is the person who uses the service affected by the abuse, or the alleged abuser?",
                    "Select whether the person is affected by the abuse or is the alleged abuser",
                    [
                        ("affected", "Affected by abuse or alleged abuse"),
                        ("abuser", "The abuser or alleged abuser"),
                    ],
                    short_label="Person’s part",
                ),
                choice(
                    "other_party",
                    "Who is the other person involved?",
                    "Select who the other person involved is",
                    [
                        ("staff", "A member of staff"),
                        ("service_user", "Another person using the service"),
                        ("visitor", "A visitor"),
                        ("family", "Family member or friend"),
                        ("other", "Someone else"),
                        ("not_known", "Not known"),
                    ],
                    short_label="Other person",
                ),
                identifier(
                    "other_party_identifier",
                    "Your identifier for the other person (if they use the service)",
                    "Enter your identifier for the other person",
                    condition=when("other_party", "service_user"),
                    short_label="Other person’s identifier",
                ),
            ),
            page(
                "kind",
                "Type of abuse",
                multi(
                    "abuse_types",
                    "What type of abuse is it?",
                    "Select the type of abuse",
                    [
                        ("physical", "Physical"),
                        ("sexual", "Sexual"),
                        ("psychological", "Psychological or emotional"),
                        ("financial", "Financial or material"),
                        ("neglect", "Neglect or acts of omission"),
                        ("discriminatory", "Discriminatory"),
                        ("organisational", "Organisational"),
                        ("domestic", "Domestic abuse"),
                        ("slavery", "Modern slavery"),
                        ("other", "Other"),
                    ],
                    short_label="Type of abuse",
                ),
            ),
            page(
                "dates",
                "When it happened",
                date(
                    "happened_on",
                    "Date the abuse happened or is alleged to have happened (if known)",
                    "",
                    required=False,
                    past=True,
                    short_label="Date it happened",
                ),
                date(
                    "aware_on",
                    "Date you became aware",
                    "Enter the date you became aware",
                    past=True,
                ),
            ),
            what_happened(
                "Describe the abuse or allegation",
                long_text(
                    "protective_action",
                    "What have you done to keep people safe?",
                    "Describe what you have done to keep people safe",
                    short_label="Action taken",
                ),
                hint="Do not name anyone. Refer to people by your identifiers and job titles.",
            ),
            page(
                "referrals",
                "Safeguarding and police",
                yes_no(
                    "safeguarding_referral",
                    "Have you made a safeguarding referral to the local authority?",
                    "Select yes if you have made a safeguarding referral",
                    short_label="Safeguarding referral",
                ),
                optional_reference(
                    "safeguarding_reference",
                    "Local authority reference (if you have one)",
                    condition=when("safeguarding_referral", "yes"),
                ),
                long_text(
                    "no_referral_reason",
                    "Why have you not made a referral?",
                    "Explain why you have not made a safeguarding referral",
                    condition=when("safeguarding_referral", "no"),
                ),
                *police_told("crime_reference", "Crime reference number (if you have one)"),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 10. Police involvement in an incident (regulation 18(2)(f))
# ---------------------------------------------------------------------------------------

POLICE = event_type(
    slug="police",
    version=1,
    name="Police involvement in an incident",
    regulation=regulation("18(2)(f)"),
    summary=(
        "Tell us about an incident reported to or investigated by the police that may affect "
        "the health, safety or welfare of people using, visiting or working at the service. "
        "Use the death, serious injury or abuse forms instead if one of those applies."
    ),
    helper_text="The police are involved in an incident at the service (not a death, injury or abuse)",
    deadline=WITHOUT_DELAY,
    rules=(
        NotForOwnership(
            NHS,
            "NHS trusts do not need to tell us about police attendance.",
        ),
    ),
    urgency=2,
    sections=(
        section(
            "incident",
            "The incident",
            page(
                "when",
                "When it happened",
                *date_and_time("incident_on", "incident_at", "of the incident"),
                date(
                    "police_told_on",
                    "Date the police were told",
                    "Enter the date the police were told",
                    past=True,
                    not_before=("incident_on", "the date of the incident"),
                ),
            ),
            page(
                "police",
                "The police’s involvement",
                choice(
                    "reported_by",
                    "Who told the police?",
                    "Select who told the police",
                    [
                        ("service", "The service"),
                        ("person", "A person using the service"),
                        ("other", "Someone else"),
                        ("not_known", "Not known"),
                    ],
                ),
                optional_reference("police_reference", "Police reference (if you have one)"),
                multi(
                    "police_action",
                    "What have the police done so far?",
                    "Select what the police have done so far",
                    [
                        ("attended", "Attended"),
                        ("investigating", "Investigating"),
                        ("arrest", "Made an arrest"),
                        ("no_further_action", "Taken no further action"),
                        ("not_known", "Not known"),
                    ],
                ),
            ),
            what_happened(
                "Describe the incident",
                long_text(
                    "effect_on_people",
                    "How has it affected people using or working at the service?",
                    "Describe how it has affected people at the service",
                    short_label="Effect on people",
                ),
                long_text(
                    "actions_taken",
                    "What have you done in response?",
                    "Describe what you have done in response",
                    short_label="Action taken",
                ),
                hint=(
                    "Say who was involved by role (for example, a visitor, a member of "
                    "staff, a person using the service and your identifier for them). "
                    "Do not name anyone."
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 9. Outcome of an application to deprive a person of their liberty (regulation 18(4A)-(4B))
# ---------------------------------------------------------------------------------------

DOLS_CHANGE = FollowUpKind(
    key="dols-change",
    name="A later outcome (a review or a Court of Protection decision)",
    pages=(
        page(
            "dols-change",
            "A later outcome",
            choice(
                "later_outcome",
                "What has happened?",
                "Select what has happened",
                [
                    ("court_decision", "The Court of Protection has decided"),
                    ("review", "The authorisation was reviewed"),
                    ("ended", "The authorisation has ended"),
                ],
            ),
            date("later_outcome_on", "Date it happened", "Enter the date it happened", past=True),
            long_text("later_outcome_details", "Details", "Enter the details"),
        ),
    ),
)

DOLS = event_type(
    slug="dols",
    version=1,
    name="Outcome of an application to deprive a person of their liberty",
    regulation=regulation("18(4A) and (4B)"),
    summary=(
        "Tell us the outcome of a request for a standard authorisation, or of an application "
        "to the Court of Protection, or that the application was withdrawn. Do not tell us "
        "just that you are making an application."
    ),
    helper_text="You have the outcome of a Deprivation of Liberty Safeguards (DoLS) application",
    deadline=Deadline(DeadlineKind.WITHOUT_DELAY, wording="As soon as you know the outcome"),
    urgency=1,
    follow_ups=(DOLS_CHANGE,),
    sections=(
        PERSON,
        section(
            "application",
            "The application and its outcome",
            page(
                "application",
                "The application",
                choice(
                    "application_kind",
                    "What kind of application was it?",
                    "Select what kind of application it was",
                    [
                        (
                            "standard",
                            "A request to the supervisory body for a standard authorisation",
                        ),
                        ("court", "An application to the Court of Protection"),
                    ],
                    short_label="Application",
                ),
                date(
                    "applied_on",
                    "Date the application was made",
                    "Enter the date the application was made",
                    past=True,
                ),
                text(
                    "supervisory_body",
                    "Supervisory body (usually the local authority)",
                    "Enter the supervisory body",
                    condition=when("application_kind", "standard"),
                ),
                yes_no(
                    "urgent_authorisation",
                    "Was an urgent authorisation in place?",
                    "Select yes if an urgent authorisation was in place",
                ),
            ),
            page(
                "outcome",
                "The outcome",
                choice(
                    "outcome",
                    "What was the outcome?",
                    "Select the outcome",
                    [
                        ("granted", "Granted"),
                        ("refused", "Not granted"),
                        ("withdrawn", "Withdrawn"),
                    ],
                    stops=(),
                ),
                date(
                    "outcome_on",
                    "Date of the outcome",
                    "Enter the date of the outcome",
                    past=True,
                    not_before=("applied_on", "the date the application was made"),
                ),
                date(
                    "expires_on",
                    "When does the authorisation end?",
                    "Enter when the authorisation ends",
                    condition=when("outcome", "granted"),
                    date_rule=DateRule.ANY,
                    short_label="Authorisation ends",
                ),
                yes_no(
                    "has_conditions",
                    "Are there conditions?",
                    "Select yes if there are conditions",
                    condition=when("outcome", "granted"),
                ),
                long_text(
                    "conditions",
                    "What are the conditions?",
                    "Enter the conditions",
                    condition=when("has_conditions", "yes"),
                ),
                long_text(
                    "outcome_reason",
                    "Why was it not granted or withdrawn?",
                    "Explain why it was not granted or withdrawn",
                    condition=when("outcome", "refused", "withdrawn"),
                    short_label="Reason",
                ),
            ),
        ),
    ),
)
