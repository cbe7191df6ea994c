"""Bad input never corrupts the register: each bad record is reported with file, place and
reason, the run exits non-zero, and everything accepted is whole and consistent."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portal.register.models import Location, Person, Provider, RoleAssignment
from tests.factories.register_files import contact, write_contacts, write_json
from tests.support.concurrency import run_copies

pytestmark = pytest.mark.django_db


def location(location_id="1-200000001", provider_id="1-100000001", **changes):
    body = {
        "locationId": location_id,
        "providerId": provider_id,
        "organisationType": "Location",
        "type": "Social Care Org",
        "name": "Meadow View",
        "registrationStatus": "Registered",
        "registrationDate": "2019-04-01",
        "dormancy": "N",
        "careHome": "Y",
        "numberOfBeds": 20,
        "postalCode": "OL1 1AA",
        "regulatedActivities": [
            {
                "name": "Personal care",
                "code": "RA1",
                "contacts": [
                    {
                        "personTitle": "Mrs",
                        "personGivenName": "Ann",
                        "personFamilyName": "Smith",
                        "personRoles": ["Registered Manager"],
                    }
                ],
            }
        ],
        "gacServiceTypes": [],
        "specialisms": [],
        "relationships": [],
    }
    body.update(changes)
    return body


def good_location(feed, number=1):
    location_id = f"1-20000000{number}"
    write_json(feed / f"location_{location_id}.json", location(location_id))
    return location_id


def reasons(report):
    return [(r.file.split("/")[-1], r.where, r.reason) for r in report.rejections]


def test_malformed_json_is_rejected_with_its_line_and_the_rest_applies(tmp_path, import_paths):
    feed = tmp_path / "feed"
    good = good_location(feed)
    (feed / "broken.json").write_text('{\n  "locationId": "1-200000002",\n  "name": \n}')

    report = import_paths(feed)

    assert reasons(report) == [("broken.json", "line 4", "malformed JSON (JSONDecodeError)")]
    assert list(Location.objects.values_list("id", flat=True)) == [good]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"locationId": ""}, "locationId is missing"),
        ({"locationId": "12345"}, "locationId '12345' is not in the regulator's ID format"),
        (
            {"locationId": "<script>alert(1)</script>"},
            "locationId '<script>alert(1)</script>' is not in the regulator's ID format",
        ),
        (
            {"providerId": "1-1'; DROP TABLE x"},
            "providerId \"1-1'; DROP TABLE x\" is not in the regulator's ID format",
        ),
        ({"registrationDate": "2025-02-30"}, "registrationDate '2025-02-30' is not a real date"),
        (
            {"registrationDate": "2025.02.01"},
            "registrationDate '2025.02.01' is not a date like 2024-03-31",
        ),
        (
            {"registrationDate": "2020-01-01", "deregistrationDate": "2019-01-01"},
            "the registration ends (2019-01-01) before it starts (2020-01-01)",
        ),
        ({"registrationStatus": "Maybe"}, "registrationStatus must be Registered or Deregistered"),
        ({"name": ""}, "name is missing"),
        ({"name": "x" * 10_000}, "name is longer than 255 characters"),
        ({"name": ["a list"]}, "name must be text"),
        ({"numberOfBeds": -3}, "numberOfBeds must be a whole number from 0 to 100000"),
        ({"careHome": "perhaps"}, "careHome must be Y or N"),
        (
            {"regulatedActivities": [{"name": "Made up", "code": "RA99", "contacts": []}]},
            "unknown regulated activity code 'RA99'",
        ),
        ({"regulatedActivities": "not a list"}, "regulatedActivities must be a list"),
        (
            {
                "regulatedActivities": [
                    {
                        "code": "RA1",
                        "contacts": [
                            {"personFamilyName": "Smith", "personRoles": ["Registered Manager"]}
                        ],
                    }
                ]
            },
            "contact has no name",
        ),
        (
            {
                "regulatedActivities": [
                    {
                        "code": "RA1",
                        "contacts": [
                            {
                                "personGivenName": "A",
                                "personFamilyName": "B",
                                "personRoles": ["Chief Wizard"],
                            }
                        ],
                    }
                ]
            },
            "unknown person role 'Chief Wizard'",
        ),
    ],
)
def test_each_bad_location_record_is_rejected_whole(tmp_path, import_paths, changes, reason):
    feed = tmp_path / "feed"
    good = good_location(feed)
    write_json(feed / "bad.json", location("1-200000009", **changes))

    report = import_paths(feed)

    assert reasons(report) == [("bad.json", "", reason)]
    # Nothing of the bad record is left behind: no location, provider, person or role.
    assert list(Location.objects.values_list("id", flat=True)) == [good]
    assert list(Provider.objects.values_list("id", flat=True)) == ["1-100000001"]
    assert Person.objects.count() == 1
    assert RoleAssignment.objects.count() == 1


def test_hostile_text_is_stored_as_text(tmp_path, import_paths):
    feed = tmp_path / "feed"
    name = "Robert'); DROP TABLE register_location;-- <b>bold</b>"
    write_json(feed / "one.json", location(name=name))
    assert import_paths(feed).rejections == []
    assert Location.objects.get().name == name


def test_duplicate_id_with_different_content_is_rejected(tmp_path, import_paths):
    feed = tmp_path / "feed"
    write_json(feed / "a.json", location())
    write_json(feed / "b.json", location(name="Another name"))
    write_json(feed / "c.json", location())  # the same again: fine

    report = import_paths(feed)

    assert reasons(report) == [
        (
            "b.json",
            "",
            "duplicate location ID 1-200000001 with different content (also in feed/a.json)",
        )
    ]
    assert Location.objects.get().name == "Meadow View"


def test_json_that_is_not_a_register_record_is_rejected(tmp_path, import_paths):
    feed = tmp_path / "feed"
    write_json(feed / "list.json", [1, 2, 3])
    write_json(feed / "other.json", {"hello": "world"})
    (feed / "binary.json").write_bytes(b'{"name": "\xc3\x28"}')
    report = import_paths(feed)
    assert sorted(reasons(report)) == [
        ("binary.json", "", "malformed JSON (UnicodeDecodeError)"),
        ("list.json", "", "JSON is not a register record (not an object)"),
        ("other.json", "", "JSON is not a register record or list page"),
    ]


def test_contact_feed_rows_are_checked_one_by_one(tmp_path, import_paths):
    feed = tmp_path / "feed"
    good_location(feed)
    ok = {
        "title": "Mrs",
        "given_name": "Ann",
        "family_name": "Smith",
        "provider_id": "1-100000001",
        "email": "ann@care.example",
    }
    rows = [
        contact(person_ref="P0000001", role="nominated_individual", activity_code="RA1", **ok),
        contact(person_ref="P0000001", role="registered_manager", location_id="1-200000001", **ok),
        contact(person_ref="X1", role="registered_manager", location_id="1-200000001", **ok),
        contact(person_ref="P0000002", role="wizard", **ok),
        contact(person_ref="P0000003", role="nominated_individual", activity_code="RA99", **ok),
        contact(
            **{**ok, "provider_id": "1-999999999"},
            person_ref="P0000004",
            role="nominated_individual",
        ),
        contact(person_ref="P0000005", role="registered_manager", location_id="1-299999999", **ok),
        contact(person_ref="P0000006", role="nominated_individual", start_date="2025-02-30", **ok),
        contact(
            person_ref="P0000007",
            role="nominated_individual",
            start_date="2025-03-01",
            end_date="2025-01-01",
            **ok,
        ),
        contact(
            person_ref="P0000008", role="nominated_individual", **{**ok, "email": "not-an-email"}
        ),
        contact(person_ref="P0000001", role="nominated_individual", activity_code="RA1", **ok),
        contact(person_ref="P0000001", role="partner", **{**ok, "email": "other@care.example"}),
        contact(person_ref="P0000009", role="registered_manager", **ok),
        contact(person_ref="PUB-ABCDEF", role="nominated_individual", **ok),
    ]
    write_contacts(feed / "contacts.csv", rows)

    report = import_paths(feed)

    assert sorted(reasons(report)) == sorted(
        [
            ("contacts.csv", "line 4", "person_ref 'X1' is not P followed by 6 to 10 digits"),
            (
                "contacts.csv",
                "line 5",
                "role 'wizard' is not one of nominated_individual, registered_manager, "
                "responsible_individual, main_partner, partner",
            ),
            ("contacts.csv", "line 6", "unknown regulated activity code 'RA99'"),
            ("contacts.csv", "line 7", "role for an unknown provider 1-999999999"),
            ("contacts.csv", "line 8", "role for an unknown location 1-299999999"),
            ("contacts.csv", "line 9", "start_date '2025-02-30' is not a real date"),
            ("contacts.csv", "line 10", "the role ends (2025-01-01) before it starts (2025-03-01)"),
            ("contacts.csv", "line 11", "email 'not-an-email' is not an email address"),
            ("contacts.csv", "line 12", "duplicate role row (also line 2)"),
            (
                "contacts.csv",
                "line 13",
                "person P0000001 has different names or email here than in line 2",
            ),
            ("contacts.csv", "line 14", "a registered manager role needs a location_id"),
            (
                "contacts.csv",
                "line 15",
                "person_ref 'PUB-ABCDEF' is not P followed by 6 to 10 digits",
            ),
        ]
    )
    person = Person.objects.get(person_ref="P0000001")
    assert {r.role for r in person.roles.all()} == {"nominated_individual", "registered_manager"}


def test_malformed_csv_rows_are_reported_by_line(tmp_path, import_paths):
    feed = tmp_path / "feed"
    header = "person_ref,title,given_name,family_name,role,provider_id,location_id,activity_code,email,start_date,end_date\n"
    (feed).mkdir()
    (feed / "contacts.csv").write_text(header + "P0000001,Mrs,Ann\n" + 'P0000002,"unterminated\n')
    (feed / "unknown.csv").write_text("a,b,c\n1,2,3\n")
    (feed / "empty.csv").write_text("")
    report = import_paths(feed)
    assert sorted(reasons(report)) == [
        ("contacts.csv", "line 2", "has 3 fields, the header has 11"),
        ("contacts.csv", "line 3", "has 2 fields, the header has 11"),
        ("empty.csv", "", "the file is empty"),
        ("unknown.csv", "line 1", "unrecognised CSV header (not a contact feed or care directory)"),
    ]


def test_the_command_prints_each_rejection_and_a_summary_and_exits_non_zero(tmp_path, capsys):
    feed = tmp_path / "feed"
    good_location(feed)
    write_json(feed / "bad.json", location("1-200000002", registrationDate="2025-13-01"))
    with pytest.raises(CommandError, match="1 record\\(s\\) rejected; everything else was applied"):
        call_command("register_import", str(feed))
    output = capsys.readouterr().out
    assert "Rejected feed/bad.json: registrationDate '2025-13-01' is not a real date" in output
    assert "Register import" in output
    assert Location.objects.count() == 1


def test_the_command_says_when_nothing_changed(tmp_path, capsys):
    feed = tmp_path / "feed"
    good_location(feed)
    call_command("register_import", str(feed))
    call_command("register_import", str(feed))
    assert "No changes: the register already matches these files." in capsys.readouterr().out


def test_missing_path_is_reported(tmp_path, import_paths):
    report = import_paths(tmp_path / "nowhere")
    assert [r.reason for r in report.rejections] == ["no such file or directory"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_data_leave_one_consistent_register(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the import lock is PostgreSQL's advisory lock")
    from portal.register.importing.run import run_import

    feed = tmp_path / "feed"
    for number in range(1, 6):
        good_location(feed, number)
    outcomes = run_copies(lambda: run_import([feed]), 3)
    assert [outcome for outcome in outcomes if isinstance(outcome, BaseException)] == []
    assert Location.objects.count() == 5
    assert Person.objects.count() == 1
    assert RoleAssignment.objects.count() == 5
    assert json.dumps(sorted(Location.objects.values_list("id", flat=True)))
