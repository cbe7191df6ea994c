"""Events about patients of mental health services: a detained patient's death or absence
without leave (regulation 17), and a young person on an adult psychiatric unit (regulation
18(2)(h)).
"""

from portal.forms.vocabulary import Page, Question
from portal.notifications.catalogue.build import (
    DO_NOT_NAME_STAFF,
    OTHERS_TOLD,
    choice,
    circumstances_of_death,
    date,
    date_and_time,
    long_text,
    number,
    page,
    person_section,
    police_told,
    regulation,
    return_notes,
    returned_on,
    section,
    text,
    time,
    urgent_event,
    when,
    yes_no,
)
from portal.notifications.catalogue.schema import (
    DueAfterSubmission,
    FollowUpKind,
    NeedsLocationWith,
)

MHA_ACTIVITY = ("Mental Health Act",)
MENTAL_HEALTH_HOSPITAL = (
    "Mental Health Act",
    "Hospital services for people with mental health needs",
    "mental health",
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


def legal_status(tense: str, *more: Question) -> Page:
    """The section of the Mental Health Act a patient `tense` ("is" or "was") detained under,
    and any `more` questions on that page."""
    return page(
        "legal-status",
        "The patient’s legal status",
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
        *more,
    )


# ---------------------------------------------------------------------------------------
# 4. Death of a detained mental health patient (regulation 17)
# ---------------------------------------------------------------------------------------

DEATH_DETAINED = urgent_event(
    slug="death-detained",
    version=1,
    name="Death of a detained mental health patient",
    regulation=regulation("17(1) and (2)"),
    summary=(
        "Tell us about the death of anyone detained, or liable to be detained, under the Mental "
        "Health Act 1983, wherever they died: including section 17 leave, section 5, 135 and 136."
    ),
    helper_text="A patient detained under the Mental Health Act has died",
    rules=(
        NeedsLocationWith(
            MHA_ACTIVITY,
            "Only services registered to assess or treat people detained under the Mental "
            "Health Act send this notification.",
        ),
    ),
    sections=(
        person_section("the patient"),
        section(
            "death",
            "The death",
            legal_status(
                "was",
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
            returned_on("the patient"),
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
            return_notes(hint="For example, harm to the patient or others while absent"),
        ),
    ),
)

UNAUTHORISED_ABSENCE = urgent_event(
    slug="unauthorised-absence",
    version=1,
    name="Unauthorised absence",
    regulation=regulation("17(1) and (2A)"),
    summary=(
        "Low, medium and high secure services: tell us when a detained patient is absent "
        "without leave past midnight, and then when they return."
    ),
    helper_text="A detained patient in a secure service is absent without leave",
    rules=(
        NeedsLocationWith(
            MHA_ACTIVITY,
            "Only secure mental health services send this notification.",
        ),
    ),
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
            legal_status("is"),
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
                returned_on(
                    "the patient",
                    condition=when("has_returned", "yes"),
                    not_before=("absent_from", "the date the absence began"),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------------------
# 3. Children and young people in adult psychiatric units (regulation 18(2)(h))
# ---------------------------------------------------------------------------------------

CHILD_IN_ADULT_UNIT = urgent_event(
    slug="child-in-adult-unit",
    version=1,
    name="Children and young people in adult psychiatric units",
    regulation=regulation("18(2)(h)"),
    summary=(
        "Tell us when a person under 18 has been in a psychiatric unit for adults for more "
        "than 48 continuous hours."
    ),
    helper_text="A person under 18 has been on an adult psychiatric ward for more than 48 hours",
    rules=(
        NeedsLocationWith(
            MENTAL_HEALTH_HOSPITAL,
            "Only services with psychiatric units for adults send this notification.",
        ),
    ),
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
