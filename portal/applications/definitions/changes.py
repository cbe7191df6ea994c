"""Applications by a registered provider (or a registered manager) to change or cancel its
registration: a new registered manager, add or remove a location, add or remove a regulated
activity, vary or remove a condition, add or remove a partner, cancel the provider's
registration, cancel a registered manager's registration (domain.md §3.2)."""

from typing import Any

from portal.applications.definitions.common import (
    ACTIVITIES,
    YES_NO,
    location_questions,
    person_questions,
    person_slot,
    reason_question,
    services_questions,
    statement_of_purpose_page,
)
from portal.applications.definitions.schema import (
    Applicant,
    ApplicationType,
    Effect,
    PartKind,
    Subject,
)
from portal.forms.vocabulary import Choice, DateRule, Kind, Page, Question, Section, show_if


def _future_date(key: str, label: str, error: str, short_label: str) -> Question:
    return Question(
        key, label, Kind.DATE, error, date_rule=DateRule.FUTURE, short_label=short_label
    )


def _stop_date(key: str, label: str) -> Question:
    return _future_date(key, label, "Enter the date", "Date")


def _activities(label: str, short_label: str, key: str = "activities") -> Question:
    return Question(
        key,
        label,
        Kind.MULTI_CHOICE,
        "Select at least one regulated activity",
        choices=ACTIVITIES,
        short_label=short_label,
    )


def _sop() -> Section:
    return Section("statement-of-purpose", "Statement of purpose", (statement_of_purpose_page(),))


def _change(
    *,
    slug: str,
    name: str,
    summary: str,
    subject: Subject,
    effect: Effect,
    sections: tuple[Section, ...],
    applicant: Applicant = Applicant.PROVIDER,
    statement_of_purpose: bool = True,
    **more: Any,
) -> ApplicationType:
    """A change to a registration, version 1. The statement of purpose goes with every one
    except those that end a whole registration (its section is added here)."""
    return ApplicationType(
        slug=slug,
        version=1,
        name=name,
        summary=summary,
        applicant=applicant,
        subject=subject,
        effect=effect,
        sections=(*sections, _sop()) if statement_of_purpose else sections,
        statement_of_purpose=statement_of_purpose,
        **more,
    )


def _joining(
    *,
    kind: PartKind,
    page: tuple[str, str, str],
    questions: tuple[Question, ...],
    **change: Any,
) -> ApplicationType:
    """A person joins the registration and signs their own part. `page` is the key of their
    one page (and of their answers), its title and how its questions name them; `questions`
    follow those about who they are."""
    key, title, who = page
    return _on_one_page(
        page=(key, title),
        questions=(*person_questions(f"{key}_1", who), *questions),
        parts=(person_slot(kind, key, counted=False),),
        **change,
    )


def _with_manager(
    *, section: tuple[str, str], pages: tuple[Page, ...], **change: Any
) -> ApplicationType:
    """A change that may bring a new registered manager, who signs their own part: the
    section (key, title) of `pages`, then whether there is a manager and who."""
    key, title = section
    return _change(
        sections=(Section(key, title, (*pages, _manager_person)),),
        parts=(person_slot(PartKind.REGISTERED_MANAGER, "manager"),),
        **change,
    )


def _on_one_page(
    *, page: tuple[str, str], questions: tuple[Question, ...], page_title: str = "", **change: Any
) -> ApplicationType:
    """A change asked on one page (key, title), in a section keyed and titled alike (the
    page's title may differ)."""
    key, title = page
    return _change(
        sections=(Section(key, title, (Page(key, page_title or title, questions),)),), **change
    )


def _ending(**change: Any) -> ApplicationType:
    """A change that ends part or all of a registration, asked on one page."""
    return _on_one_page(is_cancellation=True, **change)


def _cancellation(**change: Any) -> ApplicationType:
    """Ending a whole registration (a provider's or a manager's): no statement of purpose."""
    return _ending(
        page=("cancellation", "Cancelling your registration"), statement_of_purpose=False, **change
    )


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

REGISTERED_MANAGER = _joining(
    slug="registered-manager",
    name="Register a manager",
    summary=(
        "Register a manager for one of your locations. The manager completes and signs their "
        "own part: identity, qualifications, employment history, DBS certificate and referee."
    ),
    subject=Subject.LOCATION,
    effect=Effect.REGISTER_MANAGER,
    kind=PartKind.REGISTERED_MANAGER,
    page=("manager", "The manager", "the manager"),
    questions=(
        _activities(
            "Which regulated activities will they manage here?",
            "Activities managed",
            key="manager_activities",
        ),
        _future_date(
            "manager_start_date",
            "When will they start as registered manager?",
            "Enter the date they will start",
            "Start date",
        ),
    ),
)

ADD_LOCATION = _with_manager(
    slug="add-location",
    name="Add a location",
    summary="Apply to carry on regulated activities at or from a new location.",
    subject=Subject.PROVIDER,
    effect=Effect.ADD_LOCATION,
    section=("location", "The new location"),
    pages=(
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
    ),
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

REMOVE_LOCATION = _ending(
    slug="remove-location",
    name="Remove a location",
    summary=(
        "Stop carrying on regulated activities at one location. A manager registered only "
        "there has their registration cancelled too."
    ),
    subject=Subject.LOCATION,
    effect=Effect.REMOVE_LOCATION,
    page=("removal", "Removing the location"),
    questions=(_stop_date("stop_date", "When will you stop?"), *_closing_questions),
)

ADD_ACTIVITY = _with_manager(
    slug="add-activity",
    name="Add a regulated activity",
    summary=(
        "Carry on another regulated activity at a location you already have. To add a new "
        "place, apply to add a location instead."
    ),
    subject=Subject.LOCATION,
    effect=Effect.ADD_ACTIVITY,
    section=("activity", "The activity"),
    pages=(
        Page(
            "activity",
            "The regulated activity",
            (
                _activities("Which regulated activities do you want to add?", "Activities to add"),
                _future_date(
                    "start_date",
                    "When do you want to start?",
                    "Enter the date you want to start",
                    "Start date",
                ),
            ),
        ),
    ),
)

REMOVE_ACTIVITY = _ending(
    slug="remove-activity",
    name="Remove a regulated activity",
    summary=(
        "Stop carrying on a regulated activity at a location. A manager registered only for "
        "it has their registration cancelled too."
    ),
    subject=Subject.LOCATION,
    effect=Effect.REMOVE_ACTIVITY,
    page=("activity", "The activity"),
    questions=(
        _activities("Which regulated activities will you stop?", "Activities to remove"),
        _stop_date("stop_date", "When will you stop?"),
        *_closing_questions,
    ),
    page_title="The regulated activity",
)

VARY_CONDITION = _on_one_page(
    slug="vary-condition",
    name="Vary or remove a condition",
    summary="Ask us to change or remove a condition of your registration.",
    subject=Subject.PROVIDER,
    effect=Effect.VARY_CONDITION,
    page=("condition", "The condition"),
    questions=(
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
)

ADD_PARTNER = _joining(
    slug="add-partner",
    name="Add a partner",
    summary=(
        "Add a partner to your partnership's registration. The new partner completes and "
        "signs their own part."
    ),
    subject=Subject.PROVIDER,
    effect=Effect.ADD_PARTNER,
    kind=PartKind.PARTNER,
    page=("partner", "The new partner", "the new partner"),
    questions=(
        _future_date(
            "partner_start_date",
            "When will they join the partnership?",
            "Enter the date they will join",
            "Joining date",
        ),
    ),
)

REMOVE_PARTNER = _on_one_page(
    slug="remove-partner",
    name="Remove a partner",
    summary="Remove a partner who is leaving your partnership.",
    subject=Subject.PROVIDER,
    effect=Effect.REMOVE_PARTNER,
    page=("partner", "The partner leaving"),
    questions=(
        Question(
            "partner_person",
            "Which partner is leaving?",
            Kind.REGISTERED_PERSON,
            "Select the partner who is leaving",
            short_label="Partner leaving",
        ),
        _stop_date("partner_end_date", "When do they leave?"),
    ),
)

CANCEL_PROVIDER = _cancellation(
    slug="cancel-provider",
    name="Cancel your registration as a provider",
    summary=(
        "Stop carrying on all regulated activities at every location. Managers registered "
        "with you have their registrations cancelled too."
    ),
    subject=Subject.PROVIDER,
    effect=Effect.CANCEL_PROVIDER,
    questions=(
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
)

CANCEL_MANAGER = _cancellation(
    slug="cancel-manager",
    name="Cancel your registration as a manager",
    summary="Tell us you are stopping as registered manager at a location.",
    applicant=Applicant.REGISTERED_MANAGER,
    subject=Subject.OWN_MANAGER_ROLE,
    effect=Effect.CANCEL_MANAGER,
    questions=(
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
    page_title="Cancelling your registration as a manager",
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
