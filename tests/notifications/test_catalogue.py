"""The catalogue itself: all 21 types, each well formed; deadlines; references; names."""

import datetime as dt

import pytest

from portal.forms import engine
from portal.forms.vocabulary import Kind
from portal.notifications import references
from portal.notifications.catalogue import CATALOGUE, Catalogue, check_definition
from portal.notifications.catalogue.schema import (
    CatalogueError,
    Deadline,
    DeadlineKind,
    NotifyingFor,
)
from portal.workflow.calendar import add_working_days


def test_all_21_types_13_events_and_8_changes():
    types = CATALOGUE.current_types()
    assert len(types) == 21
    assert sum(1 for d in types if d.group == "events") == 13
    assert sum(1 for d in types if d.group == "changes") == 8
    assert len({d.slug for d in types}) == 21


@pytest.mark.parametrize(
    "definition", CATALOGUE.all_versions(), ids=lambda d: f"{d.slug}-v{d.version}"
)
def test_every_definition_is_well_formed(definition):
    assert check_definition(definition) == []
    assert definition.regulation.startswith("Regulation")
    assert definition.sections[0].key == "about-you"
    page_keys = [p.key for p in definition.pages()]
    assert not {"check", "delete"} & set(page_keys)  # would clash with the draft's own URLs
    for question in definition.questions():
        if question.kind in (Kind.TEXT, Kind.LONG_TEXT):
            # Generous but bounded: no 2,000-character traps in descriptions.
            limit = question.length_limit or 0
            if question.kind == Kind.LONG_TEXT and question.max_length is None:
                assert limit == 10_000
            assert 30 <= limit <= 50_000


def test_person_types_use_an_identifier_and_never_ask_for_the_persons_name():
    for definition in CATALOGUE.current_types():
        identifiers = [q for q in definition.questions() if q.kind == Kind.IDENTIFIER]
        if definition.involves_person:
            assert identifiers, definition.slug
            keys = {q.key for q in definition.questions()}
            assert "person_age_band" in keys
            equality = [
                q
                for q in definition.questions()
                if q.key.startswith("person_")
                and q.key not in ("person_identifier", "person_age_band", "person_role")
            ]
            assert all(not q.required for q in equality), definition.slug
        person_section = next((s for s in definition.sections if s.key == "person"), None)
        for page in person_section.pages if person_section else ():
            for question in page.questions:
                assert "name" not in question.label.lower(), question.key


def test_the_catalogue_refuses_a_broken_definition():
    from dataclasses import replace

    death = CATALOGUE.require("death")
    broken = replace(
        death, version=99, deadline=Deadline(DeadlineKind.DAYS_AFTER, days=3, from_question="nope")
    )
    with pytest.raises(CatalogueError):
        Catalogue([broken])
    with pytest.raises(CatalogueError):
        Catalogue([death, death])


def test_applicability_nhs_secure_services_and_provider_kinds():
    nhs = NotifyingFor(ownership_type="NHS Body", location_chosen=True)
    care_home = NotifyingFor(
        ownership_type="Organisation",
        location_chosen=True,
        service_type_names=frozenset({"Care home service with nursing"}),
    )
    secure = NotifyingFor(
        ownership_type="NHS Body",
        location_chosen=True,
        activity_names=frozenset(
            {
                "Assessment or medical treatment for persons detained under the Mental Health Act 1983"
            }
        ),
    )
    assert "LFPSE" in (CATALOGUE.require("death").refusal(nhs) or "")
    assert CATALOGUE.require("dols").refusal(nhs) is None  # NHS trusts still notify DoLS outcomes
    assert CATALOGUE.require("unauthorised-absence").refusal(care_home)
    assert CATALOGUE.require("unauthorised-absence").refusal(secure) is None
    assert CATALOGUE.require("death-detained").refusal(secure) is None
    individual = NotifyingFor(ownership_type="Individual", location_chosen=False)
    organisation = NotifyingFor(ownership_type="Organisation", location_chosen=False)
    assert CATALOGUE.require("death-of-provider").refusal(individual) is None
    assert CATALOGUE.require("death-of-provider").refusal(organisation)
    assert CATALOGUE.require("officers-directors").refusal(organisation) is None
    assert CATALOGUE.require("officers-directors").refusal(individual)
    # Provider-level changes are not made from a location, and location events need one.
    assert CATALOGUE.require("provider-name-address").refusal(care_home)
    assert CATALOGUE.require("serious-injury").refusal(organisation)


def test_deadlines_planned_and_emergency_absence_and_statement_of_purpose():
    absence = CATALOGUE.require("absence")
    starts = dt.date(2026, 12, 21)  # a Monday; 25, 26 (28 observed) are bank holidays
    planned = {"absence_kind": "planned", "absence_starts_on": starts.isoformat()}
    emergency = {"absence_kind": "emergency", "absence_starts_on": starts.isoformat()}
    assert absence.deadline.due_on(planned) == starts - dt.timedelta(days=28)
    assert absence.deadline.due_on(emergency) == dt.date(2026, 12, 30)
    assert "5 working days" in absence.deadline.describe()
    sop = CATALOGUE.require("statement-of-purpose")
    assert sop.deadline.due_on({"revised_on": "2026-01-01"}) == dt.date(2026, 1, 29)
    assert CATALOGUE.require("death").deadline.due_on({}) is None
    assert CATALOGUE.require("death").deadline.describe() == "Without delay"


def test_working_days_skip_weekends_and_england_bank_holidays():
    assert add_working_days(dt.date(2026, 4, 2), 1) == dt.date(
        2026, 4, 7
    )  # Good Friday, Easter Monday
    assert add_working_days(dt.date(2026, 11, 20), 5) == dt.date(2026, 11, 27)


def test_references_are_stable_readable_and_checked():
    assert references.reference_for(427) == "NOT-0000-4270"
    assert references.sequence_of("not 0000 4270") == 427
    assert references.sequence_of("NOT-0000-4271") is None  # one digit wrong
    assert references.sequence_of("NOT-0000-2470") is None  # neighbours swapped
    assert references.sequence_of("'; DROP TABLE x; --") is None
    assert references.sequence_of("9" * 40) is None
    for number in range(1, 3000):
        assert references.sequence_of(references.reference_for(number)) == number


@pytest.mark.parametrize(
    ("value", "is_name"),
    [
        ("John Smith", True),
        ("Smith, John", True),
        ("Mrs Patel", True),
        ("Mary-Jane O'Neil", True),
        ("Zoë Ångström", True),
        ("PR-0042", False),
        ("Room 12 B", False),
        ("AB123", False),
        ("resident", False),
        ("A B", False),
    ],
)
def test_identifier_that_looks_like_a_name(value, is_name):
    assert engine.looks_like_a_name(value) is is_name


@pytest.mark.parametrize("definition", CATALOGUE.current_types(), ids=lambda d: d.slug)
def test_json_schema_of_every_type_describes_its_stored_answers(definition):
    from portal.notifications.samples import complete_answers

    schema = definition.json_schema()
    assert schema["title"] == definition.name
    assert set(schema["required"]) <= set(schema["properties"])
    answers = complete_answers(
        definition,
        engine.EngineContext(registered_people=(("P1", "Pat Example (registered manager)"),)),
        {},
    )
    for key, value in answers.items():
        if key.endswith("__not_a_name"):
            continue
        prop = schema["properties"][key]
        if "enum" in prop:
            assert value in prop["enum"], key
        if prop.get("type") == "array":
            assert set(value) <= set(prop["items"]["enum"]), key
        if prop.get("maxLength"):
            assert len(value) <= prop["maxLength"], key
    for key in schema["required"]:
        assert key in answers, key
