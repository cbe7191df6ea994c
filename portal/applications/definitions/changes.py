"""Applications by a registered provider (or a registered manager) to change or cancel its
registration: a new registered manager, add or remove a location, add or remove a regulated
activity, vary or remove a condition, add or remove a partner, cancel the provider's
registration, cancel a registered manager's registration (domain.md §3.2)."""

from portal.applications.definitions.common import (
    ACTIVITIES,
    YES_NO,
    location_questions,
    person_questions,
    reason_question,
    services_questions,
    statement_of_purpose_page,
)
from portal.applications.definitions.schema import (
    Applicant,
    ApplicationType,
    Effect,
    PartKind,
    PartSlot,
    Subject,
)
from portal.forms.vocabulary import Choice, DateRule, Kind, Page, Question, Section, show_if


def _stop_date(key: str, label: str) -> Question:
    return Question(
        key,
        label,
        Kind.DATE,
        "Enter the date",
        date_rule=DateRule.FUTURE,
        short_label="Date",
    )


def _sop() -> Section:
    return Section("statement-of-purpose", "Statement of purpose", (statement_of_purpose_page(),))


def _one_person(kind: PartKind, prefix: str, *, counted: bool) -> PartSlot:
    """One named person who signs their own part: always (`counted` False), or when the
    "<prefix>_count" answer says there is one."""
    return PartSlot(
        kind,
        count_key=f"{prefix}_count" if counted else "",
        name_key=f"{prefix}_{{n}}_name",
        email_key=f"{prefix}_{{n}}_email",
        maximum=1,
    )


def _one_manager() -> PartSlot:
    return _one_person(PartKind.REGISTERED_MANAGER, "manager", counted=True)


_manager_person = Page(
    "manager",
    "The registered manager",
    (
        Question(
            "manager_count",
            "Is there a new registered manager to register with this application?",
            Kind.CHOICE,
            "Select whether there is a new registered manager",
            choices=(Choice("1", "Yes"), Choice("0", "No, a registered manager already covers it")),
            short_label="New registered manager",
        ),
        *(
            Question(
                q.key,
                q.label,
                q.kind,
                q.error,
                hint=q.hint,
                condition=show_if("manager_count", "1"),
            )
            for q in person_questions("manager_1", "the registered manager")
        ),
    ),
)

REGISTERED_MANAGER = ApplicationType(
    slug="registered-manager",
    version=1,
    name="Register a manager",
    summary=(
        "Register a manager for one of your locations. The manager completes and signs their "
        "own part: identity, qualifications, employment history, DBS certificate and referee."
    ),
    applicant=Applicant.PROVIDER,
    subject=Subject.LOCATION,
    effect=Effect.REGISTER_MANAGER,
    sections=(
        Section(
            "manager",
            "The manager",
            (
                Page(
                    "manager",
                    "The manager",
                    (
                        *person_questions("manager_1", "the manager"),
                        Question(
                            "manager_activities",
                            "Which regulated activities will they manage here?",
                            Kind.MULTI_CHOICE,
                            "Select at least one regulated activity",
                            choices=ACTIVITIES,
                            short_label="Activities managed",
                        ),
                        Question(
                            "manager_start_date",
                            "When will they start as registered manager?",
                            Kind.DATE,
                            "Enter the date they will start",
                            date_rule=DateRule.FUTURE,
                            short_label="Start date",
                        ),
                    ),
                ),
            ),
        ),
        _sop(),
    ),
    parts=(_one_person(PartKind.REGISTERED_MANAGER, "manager", counted=False),),
)

ADD_LOCATION = ApplicationType(
    slug="add-location",
    version=1,
    name="Add a location",
    summary="Apply to carry on regulated activities at or from a new location.",
    applicant=Applicant.PROVIDER,
    subject=Subject.PROVIDER,
    effect=Effect.ADD_LOCATION,
    sections=(
        Section(
            "location",
            "The new location",
            (
                Page("location", "The new location", location_questions("loc_1")),
                Page("location-services", "Activities and services", services_questions("loc_1")),
                Page(
                    "transfer",
                    "Buying or taking over a service",
                    (
                        Question(
                            "transfer",
                            "Are you buying or taking over this service from another provider?",
                            Kind.YES_NO,
                            "Select whether you are taking over the service",
                            choices=YES_NO,
                            short_label="Taking over from another provider",
                        ),
                        Question(
                            "transfer_from",
                            "Name of the provider you are taking it over from",
                            Kind.TEXT,
                            "Enter the name of the provider",
                            condition=show_if("transfer", "yes"),
                            short_label="Taking over from",
                        ),
                    ),
                ),
                _manager_person,
            ),
        ),
        _sop(),
    ),
    parts=(_one_manager(),),
)

_closing_questions = (
    Question(
        "reason",
        "Why are you making this change?",
        Kind.LONG_TEXT,
        "Tell us why you are making this change",
        max_length=5000,
        short_label="Reason",
    ),
    Question(
        "arrangements",
        "How will people using the service keep getting the care they need?",
        Kind.LONG_TEXT,
        "Tell us how people will keep getting the care they need",
        max_length=5000,
        short_label="Arrangements for people using the service",
    ),
    Question(
        "people_told",
        "Have people using the service, their families and the local authority been told?",
        Kind.YES_NO,
        "Select whether people have been told",
        choices=YES_NO,
        short_label="People told",
    ),
    Question(
        "people_not_told_why",
        "Why not?",
        Kind.LONG_TEXT,
        "Tell us why people have not been told",
        max_length=2000,
        condition=show_if("people_told", "no"),
        short_label="Why people have not been told",
    ),
)

REMOVE_LOCATION = ApplicationType(
    slug="remove-location",
    version=1,
    name="Remove a location",
    summary=(
        "Stop carrying on regulated activities at one location. A manager registered only "
        "there has their registration cancelled too."
    ),
    applicant=Applicant.PROVIDER,
    subject=Subject.LOCATION,
    effect=Effect.REMOVE_LOCATION,
    is_cancellation=True,
    sections=(
        Section(
            "removal",
            "Removing the location",
            (
                Page(
                    "removal",
                    "Removing the location",
                    (_stop_date("stop_date", "When will you stop?"), *_closing_questions),
                ),
            ),
        ),
        _sop(),
    ),
)

ADD_ACTIVITY = ApplicationType(
    slug="add-activity",
    version=1,
    name="Add a regulated activity",
    summary=(
        "Carry on another regulated activity at a location you already have. To add a new "
        "place, apply to add a location instead."
    ),
    applicant=Applicant.PROVIDER,
    subject=Subject.LOCATION,
    effect=Effect.ADD_ACTIVITY,
    sections=(
        Section(
            "activity",
            "The activity",
            (
                Page(
                    "activity",
                    "The regulated activity",
                    (
                        Question(
                            "activities",
                            "Which regulated activities do you want to add?",
                            Kind.MULTI_CHOICE,
                            "Select at least one regulated activity",
                            choices=ACTIVITIES,
                            short_label="Activities to add",
                        ),
                        Question(
                            "start_date",
                            "When do you want to start?",
                            Kind.DATE,
                            "Enter the date you want to start",
                            date_rule=DateRule.FUTURE,
                            short_label="Start date",
                        ),
                    ),
                ),
                _manager_person,
            ),
        ),
        _sop(),
    ),
    parts=(_one_manager(),),
)

REMOVE_ACTIVITY = ApplicationType(
    slug="remove-activity",
    version=1,
    name="Remove a regulated activity",
    summary=(
        "Stop carrying on a regulated activity at a location. A manager registered only for "
        "it has their registration cancelled too."
    ),
    applicant=Applicant.PROVIDER,
    subject=Subject.LOCATION,
    effect=Effect.REMOVE_ACTIVITY,
    is_cancellation=True,
    sections=(
        Section(
            "activity",
            "The activity",
            (
                Page(
                    "activity",
                    "The regulated activity",
                    (
                        Question(
                            "activities",
                            "Which regulated activities will you stop?",
                            Kind.MULTI_CHOICE,
                            "Select at least one regulated activity",
                            choices=ACTIVITIES,
                            short_label="Activities to remove",
                        ),
                        _stop_date("stop_date", "When will you stop?"),
                        *_closing_questions,
                    ),
                ),
            ),
        ),
        _sop(),
    ),
)

VARY_CONDITION = ApplicationType(
    slug="vary-condition",
    version=1,
    name="Vary or remove a condition",
    summary="Ask us to change or remove a condition of your registration.",
    applicant=Applicant.PROVIDER,
    subject=Subject.PROVIDER,
    effect=Effect.VARY_CONDITION,
    sections=(
        Section(
            "condition",
            "The condition",
            (
                Page(
                    "condition",
                    "The condition",
                    (
                        Question(
                            "condition_change",
                            "What do you want to do?",
                            Kind.CHOICE,
                            "Select whether you want to vary or remove the condition",
                            choices=(
                                Choice("vary", "Vary the condition"),
                                Choice("remove", "Remove the condition"),
                            ),
                            short_label="Change",
                        ),
                        Question(
                            "condition_wording",
                            "The condition as it is worded now",
                            Kind.LONG_TEXT,
                            "Enter the condition as it is worded now",
                            max_length=2000,
                            hint="As on your certificate of registration",
                            short_label="Condition now",
                        ),
                        Question(
                            "condition_new_wording",
                            "How should it be worded?",
                            Kind.LONG_TEXT,
                            "Enter how the condition should be worded",
                            max_length=2000,
                            condition=show_if("condition_change", "vary"),
                            short_label="Proposed wording",
                        ),
                        reason_question(
                            "condition_reason",
                            "Why should it change, and what shows it can?",
                            "Tell us why the condition should change",
                        ),
                    ),
                ),
            ),
        ),
        _sop(),
    ),
)

ADD_PARTNER = ApplicationType(
    slug="add-partner",
    version=1,
    name="Add a partner",
    summary=(
        "Add a partner to your partnership's registration. The new partner completes and "
        "signs their own part."
    ),
    applicant=Applicant.PROVIDER,
    subject=Subject.PROVIDER,
    effect=Effect.ADD_PARTNER,
    sections=(
        Section(
            "partner",
            "The new partner",
            (
                Page(
                    "partner",
                    "The new partner",
                    (
                        *person_questions("partner_1", "the new partner"),
                        Question(
                            "partner_start_date",
                            "When will they join the partnership?",
                            Kind.DATE,
                            "Enter the date they will join",
                            date_rule=DateRule.FUTURE,
                            short_label="Joining date",
                        ),
                    ),
                ),
            ),
        ),
        _sop(),
    ),
    parts=(_one_person(PartKind.PARTNER, "partner", counted=False),),
)

REMOVE_PARTNER = ApplicationType(
    slug="remove-partner",
    version=1,
    name="Remove a partner",
    summary="Remove a partner who is leaving your partnership.",
    applicant=Applicant.PROVIDER,
    subject=Subject.PROVIDER,
    effect=Effect.REMOVE_PARTNER,
    sections=(
        Section(
            "partner",
            "The partner leaving",
            (
                Page(
                    "partner",
                    "The partner leaving",
                    (
                        Question(
                            "partner_person",
                            "Which partner is leaving?",
                            Kind.REGISTERED_PERSON,
                            "Select the partner who is leaving",
                            short_label="Partner leaving",
                        ),
                        _stop_date("partner_end_date", "When do they leave?"),
                    ),
                ),
            ),
        ),
        _sop(),
    ),
)

CANCEL_PROVIDER = ApplicationType(
    slug="cancel-provider",
    version=1,
    name="Cancel your registration as a provider",
    summary=(
        "Stop carrying on all regulated activities at every location. Managers registered "
        "with you have their registrations cancelled too."
    ),
    applicant=Applicant.PROVIDER,
    subject=Subject.PROVIDER,
    effect=Effect.CANCEL_PROVIDER,
    is_cancellation=True,
    statement_of_purpose=False,
    sections=(
        Section(
            "cancellation",
            "Cancelling your registration",
            (
                Page(
                    "cancellation",
                    "Cancelling your registration",
                    (
                        _stop_date("stop_date", "When will you stop all regulated activities?"),
                        *_closing_questions,
                        Question(
                            "records_kept_by",
                            "Who will keep the records of people who used the service?",
                            Kind.TEXT,
                            "Tell us who will keep the records",
                            short_label="Records kept by",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CANCEL_MANAGER = ApplicationType(
    slug="cancel-manager",
    version=1,
    name="Cancel your registration as a manager",
    summary="Tell us you are stopping as registered manager at a location.",
    applicant=Applicant.REGISTERED_MANAGER,
    subject=Subject.OWN_MANAGER_ROLE,
    effect=Effect.CANCEL_MANAGER,
    is_cancellation=True,
    statement_of_purpose=False,
    sections=(
        Section(
            "cancellation",
            "Cancelling your registration",
            (
                Page(
                    "cancellation",
                    "Cancelling your registration as a manager",
                    (
                        _stop_date("stop_date", "When will you stop managing the location?"),
                        Question(
                            "leaving_reason",
                            "Why are you stopping?",
                            Kind.CHOICE,
                            "Select why you are stopping",
                            choices=(
                                Choice("leaving", "I am leaving the provider"),
                                Choice("new_role", "I am taking another role with the provider"),
                                Choice("other", "Another reason"),
                            ),
                            short_label="Reason",
                        ),
                        Question(
                            "leaving_reason_other",
                            "Tell us the reason",
                            Kind.TEXT,
                            "Tell us why you are stopping",
                            condition=show_if("leaving_reason", "other"),
                            short_label="Other reason",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CHANGE_TYPES = (
    REGISTERED_MANAGER,
    ADD_LOCATION,
    REMOVE_LOCATION,
    ADD_ACTIVITY,
    REMOVE_ACTIVITY,
    VARY_CONDITION,
    ADD_PARTNER,
    REMOVE_PARTNER,
    CANCEL_PROVIDER,
    CANCEL_MANAGER,
)
