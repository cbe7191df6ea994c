"""Settings that production sets through the environment are read from it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def setting_in_a_fresh_process(name: str, **environment: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", **environment}
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NOTIFICATIONS_INBOX_EMAIL", "inbox@regulator.example"),
        ("ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS", "30"),
    ],
)
def test_setting_comes_from_the_environment(name, value):
    assert setting_in_a_fresh_process(name, **{name: value}) == value
