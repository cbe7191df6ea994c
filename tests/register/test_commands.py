"""The two management commands, as an operator runs them."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.register.models import Location


def test_register_generate_writes_both_formats(tmp_path, capsys):
    out = tmp_path / "register"
    call_command("register_generate", "--locations", "25", "--seed", "3", "--out", str(out))
    counts = json.loads(capsys.readouterr().out)
    assert counts["locations"] == 25
    assert len(list((out / "location_details").iterdir())) == 25
    assert len(list((out / "provider_details").iterdir())) == counts["providers"]
    assert (out / "contacts.csv").read_text().startswith("person_ref,title,given_name")
    listed = json.loads((out / "locations.json").read_text())
    assert listed["total"] == 25
    assert len(listed["locations"]) == 25


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locations", "5"], "--locations must be from 10 to 1,000,000"),
        (["--locations", "2000000"], "--locations must be from 10 to 1,000,000"),
        (["--locations", "20", "--change-feed", "0"], "--change-feed must be a percentage"),
        (["--locations", "20", "--change-feed", "101"], "--change-feed must be a percentage"),
    ],
)
def test_register_generate_refuses_bad_arguments(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("register_generate", *args, "--out", str(tmp_path / "out"))


def test_register_generate_never_writes_into_a_directory_in_use(tmp_path):
    (tmp_path / "keep.txt").write_text("precious")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("register_generate", "--locations", "20", "--out", str(tmp_path))
    assert (tmp_path / "keep.txt").read_text() == "precious"


@pytest.mark.django_db
def test_register_import_dry_run_changes_nothing(tmp_path, capsys):
    out = tmp_path / "register"
    call_command("register_generate", "--locations", "20", "--out", str(out))
    call_command("register_import", str(out), "--dry-run")
    output = capsys.readouterr().out
    assert "dry run: nothing changed" in output
    assert Location.objects.count() == 0
    call_command("register_import", str(out))
    assert Location.objects.count() == 20
