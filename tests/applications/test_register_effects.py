"""A registration decision taking effect changes the register: new providers, locations,
activities, conditions, partners and managers, and cancellations, each audited and emitting
the register-change events accounts and delegation follow."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.audit.models import AuditEvent
from portal.register import change_steps
from portal.register.errors import RegisterError, RegisterErrorCode
from portal.register.models import (
    Condition,
    Location,
    Person,
    Provider,
    RegisterChange,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)
from portal.register.registration_changes import (
    NamedPerson,
    NewCondition,
    NewManager,
    RegisterDecision,
    add_activity,
    add_location,
    add_partner,
    cancel_manager,
    cancel_provider_registration,
    impose_condition,
    register_manager,
    remove_activity,
    remove_condition,
    remove_location,
    remove_partner,
    vary_condition,
)
from tests.applications.register_effects_helpers import (
    location,
    named_location,
    person,
    registered,
    registered_partnership,
)
from tests.factories import register as f

pytestmark = pytest.mark.django_db

NEW_ID = re.compile(r"^1-\d{9,10}$")


def live_roles(provider: Provider) -> set[tuple[str, str, str | None]]:
    return {
        (role.person.email, role.role, role.location.name if role.location else None)
        for role in RoleAssignment.objects.live()
        .filter(provider=provider)
        .select_related("person", "location")
    }


def test_a_new_organisation_is_registered_with_everything_its_application_named():
    outcome = registered()
    provider = outcome.provider
    assert NEW_ID.match(provider.id)
    assert provider.name == "O'Brien & Sons <Care>"
    assert provider.is_registered
    assert provider.registration_date == dt.date.today()
    assert {item.name for item in outcome.locations_added} == {"Mill House", "Brook Lodge"}
    for item in outcome.locations_added:
        assert NEW_ID.match(item.id)
        assert item.id != provider.id
        assert item.is_registered
    mill = named_location(provider, "Mill House")
    assert mill.postal_code == "OL2 2BB"
    assert set(mill.activities.values_list("code", flat=True)) == {"RA1", "RA2"}
    assert list(mill.service_types.values_list("name", flat=True)) == ["Care home service"]
    assert set(provider.activities.values_list("code", flat=True)) == {"RA1", "RA2"}
    assert live_roles(provider) == {
        ("nora@example.com", RoleType.NOMINATED_INDIVIDUAL, None),
        ("mo@example.com", RoleType.REGISTERED_MANAGER, "Mill House"),
        ("bea@example.com", RoleType.REGISTERED_MANAGER, "Mill House"),
        ("bea@example.com", RoleType.REGISTERED_MANAGER, "Brook Lodge"),
    }
    texts = {(c.text, c.location_id, c.manager_id) for c in provider.conditions.all()}
    assert texts == {
        ("Accommodate no more than 12 people", mill.id, None),
        ("Complete medicines training by March", None, person("mo@example.com").id),
    }
    # One register-change event per person whose roles changed, in the same transaction.
    changed = set(RegisterChange.objects.values_list("person__email", flat=True))
    assert changed == {"nora@example.com", "mo@example.com", "bea@example.com"}
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("register.provider_registered") == 1
    assert verbs.count("register.location_added") == 2
    assert verbs.count("register.role_started") == 4
    assert verbs.count("register.condition_imposed") == 2


def test_people_already_on_the_register_under_that_name_and_email_are_not_duplicated():
    existing = f.make_person(given="Nora", family="Nominee", email="nora@example.com")
    homonym = f.make_person(given="Other", family="Person", email="mo@example.com")
    outcome = registered()
    assert person("nora@example.com") == existing
    # Same mailbox, another name: a different person (sign-up will ask them to sort it out).
    mo = Person.objects.filter(email="mo@example.com").exclude(id=homonym.id).get()
    assert mo.person_ref.startswith("P9")
    assert mo.given_name == "Mo"
    assert {p.id for p in outcome.people} >= {existing.id, mo.id}


def test_each_kind_of_provider_must_name_its_registered_people():
    bad: dict[str, dict[str, object]] = {
        "Organisation": {"nominated_individual": None},
        "Partnership": {"main_partner": NamedPerson("Pat", "Partner", "pat@example.com")},
        "Individual": {},
    }
    for kind, overrides in bad.items():
        with pytest.raises(RegisterError) as refused:
            registered(ownership_type=kind, **overrides)
        assert refused.value.code == RegisterErrorCode.INVALID_CHANGE
    partnership = registered_partnership()
    assert ("pat@example.com", RoleType.MAIN_PARTNER, None) in live_roles(partnership)
    assert ("sam@example.com", RoleType.PARTNER, None) in live_roles(partnership)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"name": "   "}, RegisterErrorCode.INVALID_CHANGE),
        ({"ownership_type": "Company; DROP TABLE"}, RegisterErrorCode.INVALID_CHANGE),
        ({"locations": ()}, RegisterErrorCode.INVALID_CHANGE),
        ({"locations": (location("a", "A"), location("a", "B"))}, RegisterErrorCode.INVALID_CHANGE),
        ({"locations": (location("a", "A", "RA99"),)}, RegisterErrorCode.UNKNOWN_ACTIVITY),
        ({"locations": (location("a", "A", number_of_beds=-1),)}, RegisterErrorCode.INVALID_CHANGE),
        (
            {"nominated_individual": NamedPerson("Nora", "Nominee", "not an email")},
            RegisterErrorCode.INVALID_CHANGE,
        ),
        (
            {"managers": (NewManager(NamedPerson("M", "M", "m@example.com"), ("nowhere",)),)},
            RegisterErrorCode.UNKNOWN_LOCATION,
        ),
        (
            {
                "managers": (
                    NewManager(NamedPerson("M", "M", "m@example.com"), ("second",), ("RA2",)),
                )
            },
            RegisterErrorCode.UNKNOWN_ACTIVITY,
        ),
        ({"conditions": (NewCondition(" "),)}, RegisterErrorCode.INVALID_CHANGE),
        ({"conditions": (NewCondition("x" * 2001),)}, RegisterErrorCode.INVALID_CHANGE),
        (
            {"conditions": (NewCondition("Train", manager_email="nobody@example.com"),)},
            RegisterErrorCode.NOT_A_MANAGER,
        ),
    ],
)
def test_a_change_the_register_cannot_take_is_refused_and_leaves_nothing_behind(overrides, code):
    with pytest.raises(RegisterError) as refused:
        registered(**overrides)
    assert refused.value.code == code
    assert refused.value.message
    assert not Provider.objects.exists()
    assert not Location.objects.exists()
    assert not RegisterChange.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="register.").exists()


def test_a_new_id_never_takes_one_the_register_already_holds(monkeypatch):
    taken = f.make_provider()
    Provider.objects.create(id="1-9000000001", name="Imported", ownership_type="Organisation")
    Location.objects.create(id="1-9000000002", provider=taken, name="Imported location")
    draws = iter([1, 2, 3, 4, 5, 6, 7, 8])
    monkeypatch.setattr(change_steps.secrets, "randbelow", lambda _limit: next(draws))
    outcome = registered(locations=(location("a", "Only"),), managers=(), conditions=())
    assert outcome.provider.id == "1-9000000003"
    assert outcome.locations_added[0].id == "1-9000000004"


def test_removing_a_location_cancels_the_manager_who_managed_only_there():
    provider = registered().provider
    mill = named_location(provider, "Mill House")
    outcome = remove_location(
        provider=provider,
        location_id=mill.id,
        decision=RegisterDecision(actor=None, reference="APP-2"),
    )
    mill.refresh_from_db()
    assert mill.registration_status == RegistrationStatus.DEREGISTERED
    assert mill.deregistration_date == dt.date.today()
    assert [m.person.email for m in outcome.cancelled_managers] == ["mo@example.com"]
    assert outcome.cancelled_managers[0].location_ids == (mill.id,)
    assert live_roles(provider) == {
        ("nora@example.com", RoleType.NOMINATED_INDIVIDUAL, None),
        ("bea@example.com", RoleType.REGISTERED_MANAGER, "Brook Lodge"),
    }
    # The location's condition and the cancelled manager's own condition end with them.
    assert not Condition.objects.in_force().exists()
    assert {p.email for p in outcome.people} == {"mo@example.com", "bea@example.com"}


def test_removing_the_last_location_is_refused_as_a_cancellation():
    provider = registered(locations=(location("a", "Only"),), managers=(), conditions=()).provider
    only = provider.locations.get()
    with pytest.raises(RegisterError) as refused:
        remove_location(
            provider=provider,
            location_id=only.id,
            decision=RegisterDecision(actor=None, reference="APP-2"),
        )
    assert refused.value.code == RegisterErrorCode.LAST_LOCATION
    assert "cancel" in refused.value.message
    only.refresh_from_db()
    assert only.is_registered


def test_a_location_of_another_provider_cannot_be_removed():
    provider = registered().provider
    other = f.make_location(f.make_provider())
    other_two = f.make_location(other.provider)
    for location_id in (other.id, other_two.id, "../../etc/passwd", ""):
        with pytest.raises(RegisterError) as refused:
            remove_location(
                provider=provider,
                location_id=location_id,
                decision=RegisterDecision(actor=None, reference="X"),
            )
        assert refused.value.code == RegisterErrorCode.UNKNOWN_LOCATION


def test_adding_a_location_with_its_manager_and_a_condition():
    provider = registered().provider
    existing_manager = NewManager(NamedPerson("Mo", "Manager", "mo@example.com"), ("new",))
    outcome = add_location(
        provider=provider,
        location=location("new", "Canal Court", "RA1", number_of_beds=20, care_home=True),
        managers=(existing_manager,),
        conditions=(NewCondition("No more than 20 people", location="new"),),
        decision=RegisterDecision(actor=None, reference="APP-3"),
    )
    (canal,) = outcome.locations_added
    assert canal.number_of_beds == 20
    assert canal.care_home
    assert ("mo@example.com", RoleType.REGISTERED_MANAGER, "Canal Court") in live_roles(provider)
    assert canal.conditions.get().text == "No more than 20 people"


def test_adding_and_removing_an_activity_ends_the_managers_registered_only_for_it():
    provider = registered().provider
    brook = named_location(provider, "Brook Lodge")
    add_activity(
        provider=provider,
        activity_code="RA14",
        location_ids=(brook.id,),
        managers=(
            NewManager(NamedPerson("Nia", "Nurse", "nia@example.com"), (brook.id,), ("RA14",)),
        ),
        decision=RegisterDecision(actor=None, reference="APP-4"),
    )
    assert "RA14" in set(brook.activities.values_list("code", flat=True))
    assert "RA14" in set(provider.activities.values_list("code", flat=True))
    outcome = remove_activity(
        provider=provider,
        activity_code="RA14",
        decision=RegisterDecision(actor=None, reference="APP-5"),
    )
    assert [m.person.email for m in outcome.cancelled_managers] == ["nia@example.com"]
    assert "RA14" not in set(provider.activities.values_list("code", flat=True))
    assert "RA14" not in set(brook.activities.values_list("code", flat=True))


def test_removing_the_only_activity_at_a_location_is_refused():
    provider = registered().provider
    brook = named_location(provider, "Brook Lodge")
    with pytest.raises(RegisterError) as refused:
        remove_activity(
            provider=provider,
            activity_code="RA1",
            location_ids=(brook.id,),
            decision=RegisterDecision(actor=None, reference="X"),
        )
    assert refused.value.code == RegisterErrorCode.LAST_ACTIVITY
    with pytest.raises(RegisterError) as refused:
        remove_activity(
            provider=provider,
            activity_code="RA7",
            decision=RegisterDecision(actor=None, reference="X"),
        )
    assert refused.value.code == RegisterErrorCode.UNKNOWN_ACTIVITY


def test_conditions_are_imposed_varied_and_removed_keeping_their_history():
    provider = registered(conditions=()).provider
    (imposed,) = impose_condition(
        provider=provider,
        condition=NewCondition("Only adults over 65"),
        decision=RegisterDecision(actor=None, reference="N-1"),
    ).conditions
    (varied,) = vary_condition(
        condition=imposed,
        text="Only adults over 55",
        decision=RegisterDecision(actor=None, reference="APP-6"),
    ).conditions
    imposed.refresh_from_db()
    assert imposed.end_date == dt.date.today()
    assert imposed.changed_by == "APP-6"
    assert list(Condition.objects.in_force().values_list("text", flat=True)) == [
        "Only adults over 55"
    ]
    with pytest.raises(RegisterError) as refused:
        vary_condition(
            condition=imposed,
            text="again",
            decision=RegisterDecision(actor=None, reference="APP-7"),
        )
    assert refused.value.code == RegisterErrorCode.CONDITION_ENDED
    remove_condition(condition=varied, decision=RegisterDecision(actor=None, reference="APP-8"))
    assert not Condition.objects.in_force().exists()
    with pytest.raises(RegisterError):
        remove_condition(condition=varied, decision=RegisterDecision(actor=None, reference="APP-8"))
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert {"register.condition_varied", "register.condition_removed"} <= set(verbs)


def test_partners_join_and_leave_a_partnership_that_keeps_two():
    provider = registered_partnership()
    sam = person("sam@example.com")
    with pytest.raises(RegisterError) as refused:
        remove_partner(
            provider=provider, person=sam, decision=RegisterDecision(actor=None, reference="X")
        )
    assert "at least two partners" in refused.value.message
    add_partner(
        provider=provider,
        partner=NamedPerson("Tia", "Third", "tia@example.com"),
        decision=RegisterDecision(actor=None, reference="APP-9"),
    )
    with pytest.raises(RegisterError):
        add_partner(
            provider=provider,
            partner=NamedPerson("Tia", "Third", "tia@example.com"),
            decision=RegisterDecision(actor=None, reference="X"),
        )
    remove_partner(
        provider=provider, person=sam, decision=RegisterDecision(actor=None, reference="APP-10")
    )
    assert ("sam@example.com", RoleType.PARTNER, None) not in live_roles(provider)
    with pytest.raises(RegisterError) as refused:
        remove_partner(
            provider=provider, person=sam, decision=RegisterDecision(actor=None, reference="X")
        )
    assert refused.value.code == RegisterErrorCode.NOT_A_PARTNER
    organisation_provider = registered().provider
    with pytest.raises(RegisterError):
        add_partner(
            provider=organisation_provider,
            partner=NamedPerson("A", "B", "ab@example.com"),
            decision=RegisterDecision(actor=None, reference="X"),
        )


def test_a_manager_is_registered_and_cancels_their_own_registration():
    provider = registered(managers=(), conditions=()).provider
    brook = named_location(provider, "Brook Lodge")
    brook.registered_manager_absent_date = dt.date(2026, 1, 1)
    brook.save()
    register_manager(
        provider=provider,
        manager=NewManager(NamedPerson("Rae", "Ready", "rae@example.com"), (brook.id,)),
        conditions=(NewCondition("Complete training", manager_email="rae@example.com"),),
        decision=RegisterDecision(actor=None, reference="APP-11"),
    )
    brook.refresh_from_db()
    assert brook.registered_manager_absent_date is None
    rae = person("rae@example.com")
    outcome = cancel_manager(
        provider=provider, person=rae, decision=RegisterDecision(actor=None, reference="APP-12")
    )
    assert outcome.cancelled_managers == ()  # their own application: no knock-on notice
    assert ("rae@example.com", RoleType.REGISTERED_MANAGER, "Brook Lodge") not in live_roles(
        provider
    )
    assert not Condition.objects.in_force().filter(manager=rae).exists()
    brook.refresh_from_db()
    assert brook.registered_manager_absent_date == dt.date.today()
    with pytest.raises(RegisterError) as refused:
        cancel_manager(
            provider=provider, person=rae, decision=RegisterDecision(actor=None, reference="X")
        )
    assert refused.value.code == RegisterErrorCode.NOT_A_MANAGER


def test_cancelling_a_registration_ends_every_role_and_deregisters_everything():
    outcome = registered()
    provider = outcome.provider
    cancelled = cancel_provider_registration(
        provider=provider, decision=RegisterDecision(actor=None, reference="APP-13")
    )
    provider.refresh_from_db()
    assert provider.registration_status == RegistrationStatus.DEREGISTERED
    assert provider.deregistration_date == dt.date.today()
    assert not provider.locations.filter(registration_status=RegistrationStatus.REGISTERED).exists()
    assert not RoleAssignment.objects.filter(provider=provider, end_date__isnull=True).exists()
    assert {m.person.email for m in cancelled.cancelled_managers} == {
        "mo@example.com",
        "bea@example.com",
    }
    assert not Condition.objects.in_force().exists()
    with pytest.raises(RegisterError) as refused:
        cancel_provider_registration(
            provider=provider, decision=RegisterDecision(actor=None, reference="APP-13")
        )
    assert refused.value.code == RegisterErrorCode.NOT_REGISTERED


def test_a_change_takes_effect_in_a_bounded_number_of_queries():
    registered()  # warm the activity table
    with CaptureQueriesContext(connection) as small:
        registered(name="Small", locations=(location("a", "A"),), managers=(), conditions=())
    with CaptureQueriesContext(connection) as larger:
        registered(name="Larger")
    assert len(small) < 60
    assert len(larger) < 150
