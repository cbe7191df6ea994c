"""Settings that production sets through the environment are read from it."""

import os

import pytest

from tests.support.processes import run_python


def setting_in_a_fresh_process(name: str, **environment: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", **environment}
    result = run_python("-c", f"from django.conf import settings; print(settings.{name})", env=env)
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
