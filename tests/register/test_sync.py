"""Generated registers import whole; re-imports are no-ops; change feeds apply and tell
accounts, once per person, what changed and why."""

import shutil

import pytest

from portal.audit.models import AuditEvent
from portal.demo.generator import PLANTED_EMAILS
from portal.demo.register_files import generate_change_feed
from portal.register.events import register_changed
from portal.register.models import (
    Location,
    Person,
    Provider,
    RegisterChange,
    RoleAssignment,
    RoleType,
)
from portal.register.selectors import people_holding_email
from tests.factories.register_files import (
    LOCATIONS,
    SEED,
    contact_rows,
    generated_register,
    read_json,
    write_contacts,
    write_json,
)
from tests.support.register_changes import process_register_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(tmp_path, import_paths):
    root = generated_register(tmp_path)
    report = import_paths(root)
    assert report.rejections == []
    return root


def test_generated_register_has_the_planted_people(register):
    (ni,) = people_holding_email(PLANTED_EMAILS["ni_and_manager"])
    assert {role.role for role in ni.live_roles} == {
        RoleType.NOMINATED_INDIVIDUAL,
        RoleType.REGISTERED_MANAGER,
    }
    (two,) = people_holding_email(PLANTED_EMAILS["manager_of_two"])
    assert len({role.location_id for role in two.live_roles}) == 2
    shared = people_holding_email(PLANTED_EMAILS["shared_mailbox"])
    assert len(shared) == 2
    assert shared[0].person.person_ref != shared[1].person.person_ref
    (main,) = people_holding_email(PLANTED_EMAILS["main_partner"])
    assert RoleType.MAIN_PARTNER in {role.role for role in main.live_roles}
    (individual,) = people_holding_email(PLANTED_EMAILS["individual"])
    assert RoleType.RESPONSIBLE_INDIVIDUAL in {role.role for role in individual.live_roles}
    # Everyone named in the public bodies was identified by the contact feed.
    assert not Person.objects.filter(person_ref__startswith="PUB-").exists()


def test_generation_is_deterministic_per_seed(tmp_path):
    first = generated_register(tmp_path / "a")
    second = generated_register(tmp_path / "b")
    other = generated_register(tmp_path / "c", seed=SEED + 1)
    assert (first / "contacts.csv").read_bytes() == (second / "contacts.csv").read_bytes()
    assert (first / "contacts.csv").read_bytes() != (other / "contacts.csv").read_bytes()
    names = sorted(p.name for p in (first / "location_details").iterdir())
    assert names == sorted(p.name for p in (second / "location_details").iterdir())
    assert len(names) == LOCATIONS


def test_generated_register_is_shaped_like_the_real_one(tmp_path, import_paths):
    import_paths(generated_register(tmp_path, locations=400, seed=3))
    locations = Location.objects.count()
    providers = Provider.objects.count()
    assert locations == 400
    assert 0.45 <= providers / locations <= 0.6
    assert Location.objects.filter(registration_status="Deregistered").exists()
    assert Location.objects.filter(dormant=True).exists()
    assert Provider.objects.filter(ownership_type="Partnership").exists()
    assert Provider.objects.filter(ownership_type="Individual").exists()
    managers = RoleAssignment.objects.filter(role=RoleType.REGISTERED_MANAGER)
    by_person: dict[int, set[str]] = {}
    for person_id, location_id in managers.values_list("person_id", "location_id"):
        by_person.setdefault(person_id, set()).add(location_id)
    assert any(len(places) > 1 for places in by_person.values())
    emails = Person.objects.filter(id__in=by_person).values_list("email", flat=True)
    shared = [e for e in set(emails) if list(emails).count(e) > 1]
    assert shared  # mailboxes shared by different managers


def test_reimport_of_a_generated_register_changes_nothing(register, import_paths):
    report = import_paths(register)
    assert not report.changed
    assert report.counts["roles (contact feed)"]["unchanged"] > 0
    assert not RegisterChange.objects.exists()


def changes_for(person):
    return list(RegisterChange.objects.filter(person=person))


def test_change_feed_applies_changes_and_tells_each_person_once(register, tmp_path, import_paths):
    feed = tmp_path / "changes"
    provider_body = read_json(
        next((register / "provider_details").glob("provider_1-100000011.json"))
    )
    location_ids = provider_body["locationIds"]
    # 1. The nominated individual (also a manager) gets a new email.
    rows = contact_rows(register / "contacts.csv")
    ni_rows = [dict(r) for r in rows if r["email"] == PLANTED_EMAILS["ni_and_manager"]]
    for row in ni_rows:
        row["email"] = "new.address@planted-care.example"
    # 2. The manager of two locations leaves one of them: their role there ends.
    two_rows = [dict(r) for r in rows if r["email"] == PLANTED_EMAILS["manager_of_two"]]
    leaving = two_rows[0]["location_id"]
    for row in two_rows:
        if row["location_id"] == leaving:
            row["end_date"] = "2025-03-01"
    write_contacts(feed / "contacts.csv", ni_rows + two_rows)
    # 3. The location the NI manages is deregistered.
    managed = next(r["location_id"] for r in ni_rows if r["role"] == "registered_manager")
    body = read_json(register / "location_details" / f"location_{managed}.json")
    body["registrationStatus"] = "Deregistered"
    body["deregistrationDate"] = "2025-03-10"
    write_json(feed / "location_details" / f"location_{managed}.json", body)
    # 4. The location the manager left no longer lists them.
    body = read_json(register / "location_details" / f"location_{leaving}.json")
    for activity in body["regulatedActivities"]:
        activity["contacts"] = []
    write_json(feed / "location_details" / f"location_{leaving}.json", body)
    write_json(
        feed / "changes.json",
        {
            "from": "2025-03-13",
            "to": "2025-03-14",
            "providers": [],
            "locations": [managed, leaving],
        },
    )
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    register_changed.connect(receiver)
    try:
        report = import_paths(feed)
        process_register_changes()
    finally:
        register_changed.disconnect(receiver)

    assert report.rejections == []
    ni = Person.objects.get(email="new.address@planted-care.example")
    two = Person.objects.get(email=PLANTED_EMAILS["manager_of_two"])
    (ni_change,) = changes_for(ni)  # one event for two changes
    assert ni_change.reason == "roles and email changed"
    kinds = {c["change"] for c in ni_change.data["changes"]}
    assert kinds == {"email changed", "location deregistered"}
    (two_change,) = changes_for(two)
    assert two_change.reason == "roles changed"
    assert {c["change"] for c in two_change.data["changes"]} == {"role ended"}
    assert {c["location_id"] for c in two_change.data["changes"]} == {leaving}
    assert RegisterChange.objects.count() == 2
    assert sorted(event["person_id"] for event in received) == sorted([ni.pk, two.pk])
    audit = AuditEvent.objects.filter(verb="register.person_changed", target_id=str(ni.pk))
    assert audit.get().data["reason"] == "roles and email changed"
    # The ended role is no longer live; the other location still is.
    live = RoleAssignment.objects.live().filter(person=two)
    assert {role.location_id for role in live} == set(location_ids) - {managed, leaving}
    assert not RoleAssignment.objects.live().filter(person=ni, location_id=managed).exists()

    again = import_paths(feed)
    assert not again.changed
    assert RegisterChange.objects.count() == 2


def test_generated_change_feed_applies_cleanly_and_is_idempotent(register, tmp_path, import_paths):
    feed = tmp_path / "generated-changes"
    generate_change_feed(locations=LOCATIONS, seed=SEED, percent=60, out=feed)
    report = import_paths(feed)
    assert report.rejections == []
    assert report.changed
    assert RegisterChange.objects.exists()
    assert not import_paths(feed).changed


def test_change_feed_manifest_must_match_its_records(register, tmp_path, import_paths):
    feed = tmp_path / "changes"
    shutil.copy(register / "contacts.csv", tmp_path / "unused.csv")
    write_json(
        feed / "changes.json",
        {"from": "2025-03-13", "to": "2025-03-14", "providers": ["1-100000011"], "locations": []},
    )
    report = import_paths(feed)
    assert [r.reason for r in report.rejections] == [
        "changed provider 1-100000011 has no detail record in the feed"
    ]


def test_public_names_are_identified_by_the_contact_feed(tmp_path, import_paths):
    """A manager known only by name becomes the regulator's person when the feed names them."""
    register = generated_register(tmp_path)
    public_only = tmp_path / "public"
    shutil.copytree(register, public_only, ignore=shutil.ignore_patterns("contacts.csv"))
    import_paths(public_only)
    public_people = Person.objects.filter(person_ref__startswith="PUB-")
    assert public_people.exists()
    assert not Person.objects.exclude(email="").exists()

    report = import_paths(register / "contacts.csv")

    assert report.rejections == []
    assert not Person.objects.filter(person_ref__startswith="PUB-").exists()
    assert report.counts["roles (public data)"]["identified by the contact feed"] > 0
    # A changed public body naming the same managers does not bring public identities back.
    for path in (public_only / "location_details").iterdir():
        body = read_json(path)
        body["mainPhoneNumber"] = "01610000000"
        write_json(path, body)
    again = import_paths(public_only)
    assert again.counts["locations"]["changed"] == LOCATIONS
    assert not Person.objects.filter(person_ref__startswith="PUB-").exists()
    assert not again.counts.get("roles (public data)", {}).get("ended")


def test_parsing_in_worker_processes_gives_the_same_register(tmp_path):
    from portal.register.importing.run import run_import

    root = generated_register(tmp_path)
    bad = root / "location_details" / "location_1-2999999999.json"
    write_json(bad, {"locationId": "1-2999999999", "providerId": "nope"})
    report = run_import([root], workers=2)
    assert [r.reason for r in report.rejections] == [
        "providerId 'nope' is not in the regulator's ID format"
    ]
    assert Location.objects.count() == LOCATIONS
    state = sorted(RoleAssignment.objects.values_list("person__person_ref", "role", "location_id"))
    again = run_import([root], workers=2)
    assert not again.changed
    assert again.counts["locations"]["unchanged"] == LOCATIONS
    assert (
        sorted(RoleAssignment.objects.values_list("person__person_ref", "role", "location_id"))
        == state
    )
