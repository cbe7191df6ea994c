"""Events and incidents involving people who use the service (regulations 16 and 18), and
the whole group in the order the catalogue lists it: mental health events and safeguarding
events have modules of their own.

Field lists follow the regulator's published forms where they exist (death, serious injury)
and the trigger conditions of each regulation where they do not (domain.md §2.2 and §2.5).
"""

from portal.notifications.catalogue.build import (
    CONTEXT_PRIMARY_MEDICAL,
    OTHERS_TOLD,
    PERSON,
    choice,
    circumstances_of_death,
    date,
    date_and_time,
    long_text,
    multi,
    number,
    page,
    regulation,
    section,
    text,
    urgent_event,
    what_happened,
    when,
    yes_no,
    yes_no_unknown,
)
from portal.notifications.catalogue.mental_health import (
    CHILD_IN_ADULT_UNIT,
    DEATH_DETAINED,
    UNAUTHORISED_ABSENCE,
)
from portal.notifications.catalogue.safeguarding import ABUSE, DOLS, POLICE

# ---------------------------------------------------------------------------------------
# 5. Death of a person using the service (regulation 16)
# ---------------------------------------------------------------------------------------

DEATH = urgent_event(
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
# 12. Serious injury (regulation 18(2)(a) and (b))
# ---------------------------------------------------------------------------------------

SERIOUS_INJURY = urgent_event(
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
# 7. Events that stop a service running safely and properly (regulation 18(2)(g))
# ---------------------------------------------------------------------------------------

SERVICE_DISRUPTION = urgent_event(
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
