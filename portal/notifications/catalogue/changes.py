"""Changes to registered details (regulation 15; statement of purpose under regulation 12).

Regulation 15 covers changes that have happened or are proposed, "as soon as reasonably
practicable", so dates here may be in the future. Each ends with a declaration: these are
formal notices that change what the register says.
"""

from dataclasses import replace
from typing import Any

from portal.forms.vocabulary import Page, Question, Section
from portal.notifications.catalogue.build import (
    ABOUT_YOU,
    DECLARATION_ACCURATE,
    NOT_FOR_NHS,
    REGULATED_ACTIVITIES,
    Options,
    choice,
    contact_details,
    date,
    email,
    file_upload,
    long_text,
    multi,
    new_address,
    optional_reference,
    page,
    phone,
    registered_person,
    regulation,
    section,
    text,
    when,
    yes_no,
)
from portal.notifications.catalogue.schema import (
    EITHER,
    LOCATION_ONLY,
    PROVIDER_ONLY,
    Deadline,
    DeadlineKind,
    NotificationType,
    OnlyForOwnership,
)

PRACTICABLE = Deadline(DeadlineKind.AS_SOON_AS_PRACTICABLE)
REGULATION_15 = regulation("15")


def change_type(*, section: Section, **fields: Any) -> NotificationType:
    """A change to registered details: about you, then the change, then the declaration.
    Unless said otherwise, under regulation 15 and due as soon as reasonably practicable."""
    fields.setdefault("regulation", REGULATION_15)
    fields.setdefault("deadline", PRACTICABLE)
    return NotificationType(
        group="changes",
        declaration=DECLARATION_ACCURATE,
        sections=(ABOUT_YOU, section),
        **fields,
    )


def the_change(key: str, options: Options, *more: Question | Page) -> Section:
    """The section of most changes: which of the type's changes this is (several at once),
    with any `more` questions on that page, then the `more` pages that ask about each."""
    asked_with = [item for item in more if isinstance(item, Question)]
    pages = [item for item in more if isinstance(item, Page)]
    first = page(
        "what",
        "What is changing",
        multi(
            key,
            "What is changing?",
            "Select what is changing",
            options,
            short_label="What is changing",
        ),
        *asked_with,
    )
    return section("change", "The change", first, *pages)


def _effective_date() -> Question:
    return date(
        "effective_on",
        "Date the change takes effect",
        "Enter the date the change takes effect",
        hint="This can be in the future if the change is planned. For example, 27 3 2026",
    )


# 14. Change contact details
CHANGE_CONTACT_DETAILS = change_type(
    slug="change-contact-details",
    version=1,
    name="Change of contact details",
    summary=(
        "Tell us about a new email address or phone number for a registered person, the "
        "provider or a location, or a change to a location’s address that does not move it "
        "(for example, a building renamed). When we accept a new email address for a "
        "registered person, they can sign up with it."
    ),
    helper_text="An email address, phone number or administrative address has changed",
    scope=EITHER,
    urgency=1,
    staff_decision=True,
    section=the_change(
        "changes",
        [
            ("person_email", "A registered person’s email address"),
            ("person_phone", "A registered person’s phone number"),
            ("organisation_phone", "The provider’s or location’s phone number"),
            ("organisation_email", "The provider’s or location’s email address"),
            ("admin_address", "An administrative change to an address, not a move"),
        ],
        page(
            "person",
            "The registered person",
            registered_person(
                "changed_person",
                "Whose details are changing?",
                "Select whose details are changing",
                short_label="Registered person",
                # A location's sender may change only that location's people's details.
                only_people_in_scope=True,
                hint=(
                    "For a location, these are the people registered there. To change the "
                    "details of the nominated individual or anyone else registered for the "
                    "whole provider, send this for the provider as a whole"
                ),
            ),
            email(
                "new_email",
                "New email address",
                "Enter the new email address",
                condition=when("changes", "person_email"),
                hint="It must be the person’s own address, not a shared mailbox",
            ),
            phone(
                "new_person_phone",
                "New phone number",
                "Enter the new phone number",
                condition=when("changes", "person_phone"),
            ),
            condition=when("changes", "person_email", "person_phone"),
        ),
        page(
            "organisation",
            "The provider’s or location’s details",
            phone(
                "new_organisation_phone",
                "New phone number",
                "Enter the new phone number",
                condition=when("changes", "organisation_phone"),
            ),
            email(
                "new_organisation_email",
                "New email address",
                "Enter the new email address",
                condition=when("changes", "organisation_email"),
            ),
            *new_address(condition=when("changes", "admin_address")),
            condition=when("changes", "organisation_phone", "organisation_email", "admin_address"),
        ),
        page("when", "When", _effective_date()),
    ),
)

# 15. Change of an individual's name
CHANGE_OF_NAME = change_type(
    slug="change-of-name",
    version=1,
    name="Change of an individual’s name",
    summary="Tell us when a registered individual (a provider, partner or manager) changes their name.",
    helper_text="A registered person has changed their name",
    scope=EITHER,
    urgency=1,
    section=section(
        "name",
        "The new name",
        page(
            "name",
            "The new name",
            registered_person(
                "changed_person",
                "Whose name has changed?",
                "Select whose name has changed",
                short_label="Registered person",
            ),
            text("new_title", "Title (optional)", "", required=False, max_length=30),
            text("new_given_name", "New first name", "Enter the new first name", max_length=150),
            text("new_family_name", "New last name", "Enter the new last name", max_length=150),
            _effective_date(),
        ),
    ),
)

# 16. Changes to your statement of purpose (regulation 12(3))
STATEMENT_OF_PURPOSE = change_type(
    slug="statement-of-purpose",
    version=1,
    name="Changes to your statement of purpose",
    regulation=regulation("12(3)"),
    summary="Send us the details of a revised statement of purpose within 28 days of the revision.",
    helper_text="You have revised your statement of purpose",
    deadline=Deadline(
        DeadlineKind.DAYS_AFTER,
        days=28,
        from_question="revised_on",
        wording="Within 28 days of the revision",
    ),
    scope=EITHER,
    urgency=1,
    section=section(
        "statement",
        "The revised statement",
        page(
            "revision",
            "The revision",
            date("revised_on", "Date of the revision", "Enter the date of the revision", past=True),
            multi(
                "parts_changed",
                "Which parts have changed?",
                "Select which parts have changed",
                [
                    ("aims", "Aims and objectives"),
                    ("services", "Kinds of services and the range of needs met"),
                    ("contacts", "Names and contact details of the provider and managers"),
                    ("legal_status", "Legal status of the provider"),
                    ("locations", "Details of locations"),
                ],
            ),
            long_text("summary_of_changes", "Summarise the changes", "Summarise the changes"),
        ),
        page(
            "statement",
            "The revised statement",
            long_text(
                "revised_statement",
                "The revised statement of purpose, or the parts that changed",
                "Enter the revised statement of purpose",
                max_length=50_000,
                short_label="Revised statement",
            ),
        ),
    ),
)

# Version 2: the revised statement can be uploaded as a document (as most providers keep it)
# or typed; either answers the question. Version 1 stays for notifications sent with it.
_REVISION = STATEMENT_OF_PURPOSE.require_page("revision")
STATEMENT_OF_PURPOSE_V2 = replace(
    STATEMENT_OF_PURPOSE,
    version=2,
    sections=(
        STATEMENT_OF_PURPOSE.sections[0],
        section(
            "statement",
            "The revised statement",
            _REVISION,
            page(
                "statement",
                "The revised statement",
                file_upload(
                    "revised_statement_file",
                    "Upload the revised statement of purpose",
                    "Upload the revised statement of purpose, or type it in the box",
                    hint="Upload the whole statement, or the parts that changed.",
                    required=True,
                    or_instead="revised_statement",
                    max_files=5,
                    short_label="Revised statement (documents)",
                ),
                long_text(
                    "revised_statement",
                    "Or type the revised statement of purpose, or the parts that changed",
                    "Upload the revised statement of purpose, or type it in the box",
                    max_length=50_000,
                    or_instead="revised_statement_file",
                    short_label="Revised statement",
                ),
                intro=(
                    "Send us the revised statement of purpose. You can upload it as one or "
                    "more documents, type it in the box, or both."
                ),
            ),
        ),
    ),
)

# 17. Insolvency
INSOLVENCY = change_type(
    slug="insolvency",
    version=1,
    name="Insolvency",
    summary=(
        "Tell us when a receiver, liquidator or administrator is appointed for the provider, "
        "or an individual provider or partner is made bankrupt or enters an arrangement with "
        "creditors."
    ),
    helper_text="The provider is insolvent, or a provider or partner is bankrupt",
    scope=PROVIDER_ONLY,
    rules=(NOT_FOR_NHS,),
    urgency=2,
    section=section(
        "insolvency",
        "The insolvency",
        page(
            "event",
            "What has happened",
            choice(
                "insolvency_event",
                "What has happened?",
                "Select what has happened",
                [
                    ("receiver", "A receiver has been appointed"),
                    ("liquidator", "A liquidator has been appointed"),
                    ("administrator", "An administrator has been appointed"),
                    ("bankrupt", "An individual provider or partner has been made bankrupt"),
                    ("arrangement", "A voluntary arrangement with creditors"),
                ],
                short_label="Event",
            ),
            date("event_on", "Date it happened", "Enter the date it happened", past=True),
            optional_reference("court_case", "Court case number (if there is one)"),
        ),
        page(
            "appointee",
            "The insolvency practitioner",
            *contact_details(
                "the insolvency practitioner’s",
                name="practitioner_name",
                firm="practitioner_firm",
                phone="practitioner_phone",
                email="practitioner_email",
            ),
            condition=when(
                "insolvency_event", "receiver", "liquidator", "administrator", "arrangement"
            ),
        ),
        page(
            "effect",
            "Effect on the service",
            long_text(
                "effect_on_service",
                "How will this affect the service and the people who use it?",
                "Describe how this will affect the service",
                short_label="Effect on the service",
            ),
        ),
    ),
)

# 18. Nominated individuals, officers and directors
OFFICERS = change_type(
    slug="officers-directors",
    version=1,
    name="Nominated individuals, officers and directors",
    summary=(
        "Organisations: tell us about a new or departing nominated individual, director, "
        "company secretary or other officer."
    ),
    helper_text="Your nominated individual, a director or another officer is changing",
    scope=PROVIDER_ONLY,
    rules=(
        OnlyForOwnership(
            frozenset({"Organisation", "NHS Body"}),
            "Only organisations have nominated individuals, directors and officers.",
        ),
    ),
    urgency=1,
    section=the_change(
        "officer_changes",
        [
            ("ni_leaving", "The nominated individual is leaving the role"),
            ("ni_new", "A new nominated individual"),
            ("officer_joining", "A director, secretary or other officer is joining"),
            ("officer_leaving", "A director, secretary or other officer is leaving"),
        ],
        page(
            "leaving-ni",
            "The nominated individual leaving",
            registered_person(
                "leaving_person",
                "Who is leaving the role?",
                "Select who is leaving the role",
                short_label="Leaving",
            ),
            date("leaving_on", "Date they leave the role", "Enter the date they leave the role"),
            condition=when("officer_changes", "ni_leaving"),
        ),
        page(
            "new-ni",
            "The new nominated individual",
            *contact_details(
                "the new nominated individual’s",
                short_label="New nominated individual",
                name="ni_name",
                job_title="ni_job_title",
                email="ni_email",
                phone="ni_phone",
            ),
            date(
                "ni_starts_on",
                "Date they start in the role",
                "Enter the date they start in the role",
            ),
            yes_no(
                "ni_checks_done",
                "Have you checked they are of good character and fit for the role?",
                "Select yes if you have checked they are of good character and fit for the role",
                hint="Regulation 5 of the 2014 Regulations (fit and proper persons) applies",
                short_label="Fit and proper checks done",
            ),
            condition=when("officer_changes", "ni_new"),
        ),
        page(
            "officers",
            "Directors and officers",
            long_text(
                "officer_details",
                "For each director or officer, give their full name, role and the date they join or leave",
                "Enter each director or officer’s name, role and date",
                short_label="Directors and officers",
            ),
            condition=when("officer_changes", "officer_joining", "officer_leaving"),
        ),
    ),
)

# 19. Provider stopping regulated activities
STOPPING_ACTIVITIES = change_type(
    slug="stopping-activities",
    version=1,
    name="Provider stopping regulated activities",
    summary=(
        "Tell us when the provider will stop carrying on one or more regulated activities, "
        "at one location or everywhere, and what will happen to the people who use the service."
    ),
    helper_text="You are stopping a regulated activity or closing a service",
    scope=EITHER,
    urgency=2,
    section=section(
        "stopping",
        "What is stopping",
        page(
            "activities",
            "What is stopping",
            multi(
                "activities",
                "Which regulated activities are stopping?",
                "Select which regulated activities are stopping",
                REGULATED_ACTIVITIES,
            ),
            date("stops_on", "Date they stop", "Enter the date they stop"),
            long_text(
                "stop_reason",
                "Why are they stopping?",
                "Explain why they are stopping",
                short_label="Reason",
            ),
        ),
        page(
            "people",
            "People who use the service",
            long_text(
                "people_arrangements",
                "What will happen to the people who use the service?",
                "Describe what will happen to the people who use the service",
                short_label="Arrangements for people",
            ),
            long_text(
                "records_arrangements",
                "Where will records be kept?",
                "Describe where records will be kept",
                short_label="Records",
            ),
        ),
    ),
)

# 20. Provider's name and address
PROVIDER_NAME_ADDRESS = change_type(
    slug="provider-name-address",
    version=1,
    name="Provider’s name and address",
    summary="Tell us when the provider’s name or registered business address changes.",
    helper_text="The provider’s name or registered business address is changing",
    scope=PROVIDER_ONLY,
    urgency=1,
    section=the_change(
        "provider_changes",
        [
            ("name", "The provider’s name"),
            ("address", "The registered business address"),
        ],
        _effective_date(),
        page(
            "name",
            "The new name",
            text("new_name", "New name", "Enter the provider’s new name", max_length=255),
            condition=when("provider_changes", "name"),
        ),
        page(
            "address",
            "The new address",
            *new_address(),
            condition=when("provider_changes", "address"),
        ),
    ),
)

# 21. Registered manager changes
MANAGER_CHANGES = change_type(
    slug="registered-manager-changes",
    version=1,
    name="Registered manager changes",
    summary=(
        "Tell us if a registered manager is going to stop managing the location, a new manager "
        "is going to start, or both."
    ),
    helper_text="A registered manager is leaving, or a new manager is starting",
    scope=LOCATION_ONLY,
    urgency=2,
    section=the_change(
        "manager_changes",
        [
            ("leaving", "A registered manager is leaving"),
            ("starting", "A new manager is starting"),
        ],
        page(
            "leaving",
            "The manager leaving",
            registered_person(
                "leaving_manager",
                "Who is leaving?",
                "Select who is leaving",
                short_label="Manager leaving",
            ),
            date(
                "leaving_on",
                "Date they stop managing the location",
                "Enter the date they stop managing the location",
            ),
            long_text(
                "interim_arrangements",
                "How will the location be managed until a new manager is registered?",
                "Describe how the location will be managed",
                short_label="Interim arrangements",
            ),
            condition=when("manager_changes", "leaving"),
        ),
        page(
            "starting",
            "The new manager",
            *contact_details(
                "the new manager’s",
                short_label="New manager",
                name="new_manager_name",
                email="new_manager_email",
                phone="new_manager_phone",
            ),
            date("starting_on", "Date they start", "Enter the date the new manager starts"),
            yes_no(
                "applied_for_registration",
                "Have they applied to be registered?",
                "Select yes if they have applied to be registered",
            ),
            optional_reference(
                "application_reference",
                "Application reference (if you have it)",
                condition=when("applied_for_registration", "yes"),
            ),
            condition=when("manager_changes", "starting"),
        ),
    ),
)

CHANGE_TYPES = (
    CHANGE_CONTACT_DETAILS,
    CHANGE_OF_NAME,
    STATEMENT_OF_PURPOSE,
    STATEMENT_OF_PURPOSE_V2,
    INSOLVENCY,
    OFFICERS,
    STOPPING_ACTIVITIES,
    PROVIDER_NAME_ADDRESS,
    MANAGER_CHANGES,
)
