"""Events and incidents involving people who use the service (regulations 16, 17 and 18).

Field lists follow the regulator's published forms where they exist (death, serious injury)
and the trigger conditions of each regulation where they do not (domain.md §2.2 and §2.5).
"""

from typing import Any

from portal.forms.vocabulary import DateRule, Page, Question
from portal.notifications.catalogue.build import (
    CONTEXT_PRIMARY_MEDICAL,
    DO_NOT_NAME_STAFF,
    NHS,
    OTHERS_TOLD,
    PERSON,
    choice,
    date,
    date_and_time,
    event_type,
    identifier,
    long_text,
    multi,
    number,
    optional_reference,
    page,
    person_section,
    regulation,
    section,
    text,
    time,
    what_happened,
    when,
    yes_no,
    yes_no_unknown,
)
from portal.notifications.catalogue.schema import (
    Deadline,
    DeadlineKind,
    DueAfterSubmission,
    FollowUpKind,
    NeedsLocationWith,
    NotForOwnership,
)

WITHOUT_DELAY = Deadline(DeadlineKind.WITHOUT_DELAY)
MHA_ACTIVITY = ("Mental Health Act",)
MENTAL_HEALTH_HOSPITAL = (
    "Mental Health Act",
    "Hospital services for people with mental health needs",
    "mental health",
)

NHS_REPORT_ELSEWHERE = NotForOwnership(
    NHS,
    "NHS trusts report this through the national patient safety reporting system (LFPSE), "
    "which passes it to us. You do not need to notify us separately.",
)

MHA_SECTIONS = [
    ("s2", "Section 2"),
    ("s3", "Section 3"),
    ("s37", "Section 37, with or without section 41"),
    ("s47_48", "Section 47 or 48, with or without section 49"),
    ("s5", "Section 5(2) or 5(4)"),
    ("s135_136", "Section 135 or 136"),
    ("cto", "Community treatment order (recalled)"),
    ("other", "Another section"),
]


def detained_under(tense: str) -> list[Question]:
    """The section of the Mental Health Act a patient `tense` ("is" or "was") detained under."""
    return [
        choice(
            "mha_section",
            f"Which section of the Mental Health Act {tense} the patient detained under?",
            f"Select the section the patient {tense} detained under",
            MHA_SECTIONS,
            short_label="Section",
        ),
        text(
            "mha_section_other",
            "Which section?",
            "Enter the section of the Mental Health Act",
            condition=when("mha_section", "other"),
            max_length=50,
        ),
    ]


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
# 5. Death of a person using the service (regulation 16)
# ---------------------------------------------------------------------------------------

DEATH = event_type(
    slug="death",
    version=1,
    name="Death of a person using the service",
    regulation=regulation("16"),
    summary=(
        "Tell us about the death of a person while a regulated activity was being provided, "
        "or a death that resulted, or may have resulted, from the care. Use the detained "
        "patient form instead if the person was detained under the Mental Health Act."
    ),
    helper_text="Someone using the service has died (not detained under the Mental Health Act)",
    deadline=WITHOUT_DELAY,
    rules=(NHS_REPORT_ELSEWHERE,),
    urgency=3,
    sections=(
        PERSON,
        section(
            "death",
            "The death",
            page(
                "gp-rule",
                "When the death happened",
                choice(
                    "gp_circumstance",
                    "When did the death happen?",
                    "Select when the death happened",
                    [
                        (
                            "during_care",
                            "During care",
                            "For example, during a consultation, at the surgery or on a home visit",
                        ),
                        (
                            "within_2_weeks",
                            "Within 2 weeks of care, and the death may have resulted from it",
                        ),
                        ("neither", "Neither of these"),
                    ],
                    stops=(
                        (
                            "neither",
                            "GP practices only need to tell us about deaths during care, or "
                            "within 2 weeks of a clinical interaction where the death may have "
                            "resulted from the care.",
                        ),
                    ),
                ),
                condition=when(CONTEXT_PRIMARY_MEDICAL, "yes"),
            ),
            page(
                "death-details",
                "Date and cause of death",
                *date_and_time("died_on", "died_at", "of death", short_label="Time of death"),
                text(
                    "cause_of_death",
                    "Cause of death as on the death certificate (if known)",
                    "",
                    required=False,
                    max_length=500,
                    short_label="Cause of death",
                ),
            ),
            page(
                "place",
                "Where the person died",
                choice(
                    "place_of_death",
                    "Where did the person die?",
                    "Select where the person died",
                    [
                        ("location", "At the location this notification is for"),
                        ("own_home", "In their own home"),
                        ("hospital", "In hospital"),
                        ("hospice", "In a hospice"),
                        ("ambulance", "In an ambulance"),
                        ("other", "Somewhere else"),
                    ],
                ),
                text(
                    "place_of_death_other",
                    "Where did the person die?",
                    "Enter where the person died",
                    condition=when("place_of_death", "other"),
                    short_label="Place of death",
                ),
            ),
            page(
                "care",
                "The person’s care",
                yes_no_unknown(
                    "end_of_life_care",
                    "Was the person receiving end of life or palliative care?",
                    "Select whether the person was receiving end of life or palliative care",
                    short_label="End of life care",
                ),
                yes_no_unknown(
                    "death_expected",
                    "Was the death the expected outcome of an illness or condition?",
                    "Select whether the death was expected",
                    short_label="Death expected",
                ),
                text(
                    "last_carer_role",
                    "Job title of the last member of staff who gave the person care",
                    "Enter the job title of the last member of staff who gave care",
                    condition=when("death_expected", "no", "not_known"),
                    short_label="Last carer’s job title",
                ),
                yes_no(
                    "device_or_drug_concern",
                    "Are there concerns about medical devices, controlled drugs or other medicines?",
                    "Select yes if there are concerns about devices or medicines",
                    short_label="Device or medicine concerns",
                ),
                long_text(
                    "device_or_drug_details",
                    "Describe the concerns",
                    "Describe the concerns about devices or medicines",
                    condition=when("device_or_drug_concern", "yes"),
                    short_label="Concerns",
                ),
            ),
            page(
                "surgery-restraint",
                "Surgery and restraint",
                yes_no_unknown(
                    "recent_surgery",
                    "Did the person have surgery in the 7 days before they died?",
                    "Select whether the person had surgery in the 7 days before they died",
                    short_label="Surgery in last 7 days",
                ),
                text(
                    "surgery_details",
                    "What was the procedure?",
                    "Enter the surgical procedure",
                    condition=when("recent_surgery", "yes"),
                    short_label="Procedure",
                ),
                yes_no_unknown(
                    "recent_restraint",
                    "Was the person restrained in the 7 days before they died?",
                    "Select whether the person was restrained in the 7 days before they died",
                    short_label="Restraint in last 7 days",
                ),
                long_text(
                    "restraint_details",
                    "Describe the restraint",
                    "Describe the restraint",
                    condition=when("recent_restraint", "yes"),
                    short_label="Restraint",
                ),
            ),
            circumstances_of_death(
                hint=(
                    "Include when and where the person was found, by whom (job title), "
                    "and what was done. Do not name anyone."
                ),
                short_label="Circumstances",
            ),
            OTHERS_TOLD,
            page(
                "candour",
                "Duty of candour",
                choice(
                    "duty_of_candour",
                    "Have you told the person’s family or representative what happened?",
                    "Select whether you have told the family or representative",
                    [
                        ("yes", "Yes"),
                        ("not_yet", "Not yet"),
                        ("not_applicable", "Not applicable"),
                    ],
                    hint=(
                        "Regulation 20 (duty of candour) may require you to tell them, "
                        "apologise and give them a written account of what happened"
                    ),
                    short_label="Duty of candour",
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 4. Death of a detained mental health patient (regulation 17)
# ---------------------------------------------------------------------------------------

DEATH_DETAINED = event_type(
    slug="death-detained",
    version=1,
    name="Death of a detained mental health patient",
    regulation=regulation("17(1) and (2)"),
    summary=(
        "Tell us about the death of anyone detained, or liable to be detained, under the Mental "
        "Health Act 1983, wherever they died: including section 17 leave, section 5, 135 and 136."
    ),
    helper_text="A patient detained under the Mental Health Act has died",
    deadline=WITHOUT_DELAY,
    rules=(
        NeedsLocationWith(
            MHA_ACTIVITY,
            "Only services registered to assess or treat people detained under the Mental "
            "Health Act send this notification.",
        ),
    ),
    urgency=3,
    sections=(
        person_section("the patient"),
        section(
            "death",
            "The death",
            page(
                "legal-status",
                "The patient’s legal status",
                *detained_under("was"),
                yes_no(
                    "on_leave",
                    "Was the patient on section 17 leave when they died?",
                    "Select yes if the patient was on section 17 leave",
                    short_label="On section 17 leave",
                ),
            ),
            page(
                "death-details",
                "Date, time and place of death",
                *date_and_time("died_on", "died_at", "of death"),
                choice(
                    "place_of_death",
                    "Where did the patient die?",
                    "Select where the patient died",
                    [
                        ("ward", "On the ward or unit"),
                        ("hospital_elsewhere", "Elsewhere in the hospital"),
                        ("general_hospital", "In a general hospital"),
                        ("community", "In the community, on leave or absent"),
                        ("other", "Somewhere else"),
                    ],
                ),
                text(
                    "cause_of_death",
                    "Cause of death (if known)",
                    "",
                    required=False,
                    max_length=500,
                ),
            ),
            circumstances_of_death(
                yes_no(
                    "patient_safety_incident",
                    "Was this a patient safety incident?",
                    "Select yes if this was a patient safety incident",
                ),
                text(
                    "lrms_reference",
                    "Local risk management system report number",
                    "Enter the local risk management system report number",
                    condition=when("patient_safety_incident", "yes"),
                    max_length=50,
                    short_label="LRMS report number",
                ),
                hint=DO_NOT_NAME_STAFF,
            ),
            OTHERS_TOLD,
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 13. Unauthorised absence (regulation 17): part 1 absence, part 2 the return
# ---------------------------------------------------------------------------------------

AWOL_RETURN = FollowUpKind(
    key="return",
    name="The patient has returned",
    pages=(
        page(
            "return",
            "The patient has returned",
            date(
                "returned_on",
                "Date the patient returned",
                "Enter the date the patient returned",
                past=True,
            ),
            time("returned_at", "Time the patient returned", "Enter the time the patient returned"),
            choice(
                "return_how",
                "How did the patient return?",
                "Select how the patient returned",
                [
                    ("voluntarily", "Returned by themselves"),
                    ("police", "Returned by the police"),
                    ("staff", "Returned by staff"),
                    ("family", "Returned by family or carers"),
                    ("other", "Another way"),
                ],
            ),
            long_text(
                "return_notes",
                "Anything else we should know (optional)",
                "",
                required=False,
                hint="For example, harm to the patient or others while absent",
            ),
        ),
    ),
)

UNAUTHORISED_ABSENCE = event_type(
    slug="unauthorised-absence",
    version=1,
    name="Unauthorised absence",
    regulation=regulation("17(1) and (2A)"),
    summary=(
        "Low, medium and high secure services: tell us when a detained patient is absent "
        "without leave past midnight, and then when they return."
    ),
    helper_text="A detained patient in a secure service is absent without leave",
    deadline=WITHOUT_DELAY,
    rules=(
        NeedsLocationWith(
            MHA_ACTIVITY,
            "Only secure mental health services send this notification.",
        ),
    ),
    urgency=3,
    follow_ups=(AWOL_RETURN,),
    due_after=DueAfterSubmission(
        label="Tell us when the patient returns",
        from_question="",
        days=0,
        satisfied_by="return",
        condition=when("has_returned", "no"),
    ),
    sections=(
        section(
            "service",
            "The service",
            page(
                "security",
                "Security level",
                choice(
                    "security_level",
                    "What security level is the service designated?",
                    "Select the security level of the service",
                    [
                        ("low", "Low secure"),
                        ("medium", "Medium secure"),
                        ("high", "High secure"),
                        ("none", "Not a secure service"),
                    ],
                    stops=(
                        (
                            "none",
                            "Only low, medium and high secure services need to tell us "
                            "about unauthorised absences.",
                        ),
                    ),
                ),
            ),
        ),
        person_section("the patient"),
        section(
            "absence",
            "The absence",
            page("legal-status", "The patient’s legal status", *detained_under("is")),
            page(
                "absence",
                "The absence",
                date(
                    "absent_from",
                    "Date the absence began",
                    "Enter the date the absence began",
                    past=True,
                ),
                time("absent_at", "Time the absence began", "Enter the time the absence began"),
                choice(
                    "absence_kind",
                    "How did the absence happen?",
                    "Select how the absence happened",
                    [
                        ("failed_to_return", "Did not return from leave"),
                        ("absconded_escort", "Left while escorted"),
                        ("escaped", "Left the secure perimeter"),
                        ("other", "Another way"),
                    ],
                ),
                yes_no(
                    "past_midnight",
                    "Did the absence continue past midnight?",
                    "Select yes if the absence continued past midnight",
                    stops=(
                        (
                            "no",
                            "You only need to tell us about an absence that continues past "
                            "midnight. If it does, start a new notification then.",
                        ),
                    ),
                ),
            ),
            page(
                "risk",
                "Risk and action taken",
                yes_no(
                    "risk_to_others",
                    "Is the patient thought to be a risk to themselves or others?",
                    "Select yes if the patient is thought to be a risk",
                    short_label="Risk",
                ),
                long_text(
                    "risk_details",
                    "Describe the risk",
                    "Describe the risk",
                    condition=when("risk_to_others", "yes"),
                ),
                *police_told("police_reference", "Police reference (if you have one)"),
                yes_no(
                    "has_returned",
                    "Has the patient returned?",
                    "Select yes if the patient has returned",
                    hint="If not, tell us as soon as they return by adding an update to this notification",
                ),
                date(
                    "returned_on",
                    "Date the patient returned",
                    "Enter the date the patient returned",
                    past=True,
                    condition=when("has_returned", "yes"),
                    not_before=("absent_from", "the date the absence began"),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 12. Serious injury (regulation 18(2)(a) and (b))
# ---------------------------------------------------------------------------------------

SERIOUS_INJURY = event_type(
    slug="serious-injury",
    version=1,
    name="Serious injury to a person using the service",
    regulation=regulation("18(2)(a) and (b)"),
    summary=(
        "Tell us about an injury that, in a health care professional’s reasonable opinion, "
        "caused lasting harm, prolonged pain or psychological harm, shortened life expectancy, "
        "or needed treatment to prevent death or such harm."
    ),
    helper_text="Someone using the service has been seriously injured",
    deadline=WITHOUT_DELAY,
    rules=(NHS_REPORT_ELSEWHERE,),
    urgency=3,
    sections=(
        PERSON,
        section(
            "injury",
            "The injury",
            page(
                "when",
                "When and where the injury happened",
                *date_and_time("injured_on", "injured_at", "of the injury"),
                choice(
                    "injury_place",
                    "Where did it happen?",
                    "Select where the injury happened",
                    [
                        ("location", "At the location this notification is for"),
                        ("own_home", "In the person’s own home"),
                        ("elsewhere", "Somewhere else"),
                    ],
                ),
            ),
            page(
                "harm",
                "The harm caused",
                multi(
                    "injury_types",
                    "What harm did the injury cause, or was it likely to cause?",
                    "Select the harm the injury caused",
                    [
                        ("senses", "Injury to the senses (sight, hearing, touch, smell)"),
                        ("organ", "Damage to a major organ"),
                        ("fracture", "A fracture"),
                        ("soft_tissue", "Damage to muscle, tendon, joint or blood vessel"),
                        ("pressure_ulcer", "A pressure ulcer of category 3 or above"),
                        ("intellectual", "Damage to intellectual function"),
                        ("psychological", "Prolonged psychological harm"),
                        ("pain", "Pain lasting, or likely to last, 28 days or more"),
                        ("shortened_life", "Shortened life expectancy"),
                        ("treatment", "Needed treatment to prevent death or serious injury"),
                    ],
                    short_label="Harm",
                ),
                text(
                    "organ_details",
                    "Which organ?",
                    "Enter which organ was damaged",
                    condition=when("injury_types", "organ"),
                ),
                text(
                    "fracture_details",
                    "Which bones?",
                    "Enter which bones were fractured",
                    condition=when("injury_types", "fracture"),
                ),
            ),
            what_happened(
                "Describe what happened and the injury",
                text(
                    "assessed_by",
                    "Job title of the health care professional who assessed the injury",
                    "Enter the job title of the health care professional",
                    short_label="Assessed by",
                ),
                long_text(
                    "treatment_given",
                    "What treatment has the person had?",
                    "Describe the treatment the person has had",
                    short_label="Treatment",
                ),
                long_text(
                    "prevention",
                    "What have you done to stop this happening again?",
                    "Describe what you have done to stop this happening again",
                    short_label="Prevention",
                ),
            ),
            OTHERS_TOLD,
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 2. Abuse or allegation of abuse (regulation 18(2)(e))
# ---------------------------------------------------------------------------------------

ABUSE = event_type(
    slug="abuse",
    version=1,
    name="Abuse or an allegation of abuse",
    regulation=regulation("18(2)(e)"),
    summary=(
        "Tell us when a person using the service is affected by abuse or alleged abuse, or is "
        "the abuser or alleged abuser."
    ),
    helper_text="Abuse, or an allegation of abuse, involving someone using the service",
    deadline=WITHOUT_DELAY,
    rules=(NHS_REPORT_ELSEWHERE,),
    urgency=3,
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
# 7. Events that stop a service running safely and properly (regulation 18(2)(g))
# ---------------------------------------------------------------------------------------

SERVICE_DISRUPTION = event_type(
    slug="service-disruption",
    version=1,
    name="Events that stop a service running safely and properly",
    regulation=regulation("18(2)(g)"),
    summary=(
        "Tell us about an event that stops, or is likely to stop, the service running safely: "
        "too few suitably qualified staff, loss of a utility or failure of fire alarms, call "
        "systems or other safety equipment for more than 24 hours, or damage to the premises."
    ),
    helper_text="Something stops the service running safely (staffing, utilities, damage, equipment)",
    deadline=WITHOUT_DELAY,
    rules=(NHS_REPORT_ELSEWHERE,),
    urgency=3,
    sections=(
        section(
            "event",
            "The event",
            page(
                "kind",
                "What happened",
                multi(
                    "event_types",
                    "What is stopping the service running safely?",
                    "Select what is stopping the service running safely",
                    [
                        (
                            "staffing",
                            "Not enough suitably qualified, skilled and experienced staff",
                        ),
                        ("utility", "Loss of a utility for more than 24 hours"),
                        ("premises", "Physical damage to the premises"),
                        (
                            "equipment",
                            "Failure of fire alarms, call systems or other safety equipment for more than 24 hours",
                        ),
                        ("other", "Something else"),
                    ],
                    short_label="Event",
                ),
                multi(
                    "utilities",
                    "Which utilities?",
                    "Select which utilities were lost",
                    [
                        ("electricity", "Electricity"),
                        ("gas", "Gas"),
                        ("water", "Water"),
                        ("sewerage", "Sewerage"),
                    ],
                    condition=when("event_types", "utility"),
                ),
                text(
                    "event_other",
                    "What is it?",
                    "Enter what is stopping the service running safely",
                    condition=when("event_types", "other"),
                    short_label="Other event",
                ),
            ),
            page(
                "timing",
                "When it started",
                *date_and_time("started_on", "started_at", "it started"),
                yes_no("ongoing", "Is it still happening?", "Select yes if it is still happening"),
                date(
                    "ended_on",
                    "Date it ended",
                    "Enter the date it ended",
                    past=True,
                    condition=when("ongoing", "no"),
                    not_before=("started_on", "the date it started"),
                ),
                date(
                    "expected_end_on",
                    "When do you expect it to end? (if known)",
                    "",
                    required=False,
                    condition=when("ongoing", "yes"),
                    short_label="Expected end",
                ),
            ),
            page(
                "impact",
                "Effect on people and what you are doing",
                number(
                    "people_affected",
                    "How many people using the service are affected?",
                    "Enter how many people are affected",
                    min_value=0,
                    max_value=100_000,
                    short_label="People affected",
                ),
                long_text(
                    "impact",
                    "How are people affected?",
                    "Describe how people are affected",
                    short_label="Effect on people",
                ),
                long_text(
                    "contingency",
                    "What are you doing to keep people safe?",
                    "Describe what you are doing to keep people safe",
                    short_label="Action taken",
                ),
                yes_no(
                    "people_moved",
                    "Have people had to move elsewhere?",
                    "Select yes if people have had to move elsewhere",
                ),
                number(
                    "people_moved_count",
                    "How many people have moved?",
                    "Enter how many people have moved",
                    min_value=1,
                    max_value=100_000,
                    condition=when("people_moved", "yes"),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 3. Children and young people in adult psychiatric units (regulation 18(2)(h))
# ---------------------------------------------------------------------------------------

CHILD_IN_ADULT_UNIT = event_type(
    slug="child-in-adult-unit",
    version=1,
    name="Children and young people in adult psychiatric units",
    regulation=regulation("18(2)(h)"),
    summary=(
        "Tell us when a person under 18 has been in a psychiatric unit for adults for more "
        "than 48 continuous hours."
    ),
    helper_text="A person under 18 has been on an adult psychiatric ward for more than 48 hours",
    deadline=WITHOUT_DELAY,
    rules=(
        NeedsLocationWith(
            MENTAL_HEALTH_HOSPITAL,
            "Only services with psychiatric units for adults send this notification.",
        ),
    ),
    urgency=3,
    sections=(
        person_section("the young person"),
        section(
            "placement",
            "The placement",
            page(
                "admission",
                "The admission",
                number(
                    "age_years",
                    "How old is the young person?",
                    "Enter how old the young person is",
                    min_value=0,
                    max_value=17,
                    hint="In years. This notification is only for people under 18.",
                    short_label="Age in years",
                ),
                date(
                    "admitted_on",
                    "Date admitted",
                    "Enter the date the young person was admitted",
                    past=True,
                ),
                time(
                    "admitted_at",
                    "Time admitted",
                    "Enter the time the young person was admitted",
                ),
                yes_no(
                    "over_48_hours",
                    "Has the young person been on the unit for more than 48 continuous hours?",
                    "Select yes if the young person has been on the unit for more than 48 hours",
                    short_label="More than 48 hours",
                    stops=(
                        (
                            "no",
                            "You only need to tell us once a young person has been on an adult "
                            "unit for more than 48 continuous hours.",
                        ),
                    ),
                ),
                text(
                    "ward_name",
                    "Name of the ward or unit",
                    "Enter the name of the ward or unit",
                ),
            ),
            page(
                "reason",
                "Why the young person is on an adult unit",
                choice(
                    "legal_status",
                    "What is the young person’s legal status?",
                    "Select the young person’s legal status",
                    [("informal", "Informal patient"), *MHA_SECTIONS],
                    short_label="Legal status",
                ),
                choice(
                    "placement_reason",
                    "Why were they placed on an adult unit?",
                    "Select why they were placed on an adult unit",
                    [
                        ("no_bed", "No child and adolescent mental health bed was available"),
                        ("emergency", "An emergency admission"),
                        ("near_18", "They are about to turn 18 and it suits their care"),
                        ("other", "Another reason"),
                    ],
                    short_label="Reason",
                ),
                long_text(
                    "safeguards",
                    "What safeguards are in place for the young person?",
                    "Describe the safeguards in place",
                    hint="For example, separate sleeping area, staff trained in the care of young people, education",
                    short_label="Safeguards",
                ),
                date(
                    "transfer_expected_on",
                    "When do you expect the young person to move to a suitable unit? (if known)",
                    "",
                    required=False,
                    short_label="Expected transfer",
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

EVENT_TYPES = (
    DEATH,
    DEATH_DETAINED,
    UNAUTHORISED_ABSENCE,
    SERIOUS_INJURY,
    ABUSE,
    POLICE,
    SERVICE_DISRUPTION,
    CHILD_IN_ADULT_UNIT,
    DOLS,
)
