"""Demo data plants a published password and a second-factor key derived in the source, so it
is refused anywhere but the development settings: production first of all."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.models import User
from portal.demo import data
from tests.support.processes import run_python
from tests.support.production_server import production_node_environment
from tests.support.worker import current_test_database_url

STAFF_EMAIL = "inspector@regulator.example"


@pytest.mark.django_db(transaction=True)
def test_load_demo_data_refuses_under_production_settings_and_plants_nothing(tmp_path):
    env = production_node_environment(tmp_path, current_test_database_url())
    result = run_python("manage.py", "load_demo_data", env=env)
    assert result.returncode != 0, result.stdout
    assert "only with the development settings" in result.stderr
    assert "portal.settings.production" in result.stderr
    assert not User.objects.filter(email=STAFF_EMAIL).exists()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["load_demo_data", "serve_dev"])
def test_demo_commands_refuse_outside_development_before_doing_anything(command, settings):
    # The test settings are not the development settings either.
    assert not settings.DEMO_DATA_ALLOWED
    with pytest.raises(CommandError, match="only with the development settings"):
        call_command(command)
    with pytest.raises(CommandError, match="only with the development settings"):
        data.load()
    assert not User.objects.exists()


def test_only_the_development_settings_allow_demo_data(monkeypatch):
    import importlib

    allowed = {}
    for name in ("development", "test", "bench", "base"):
        module = importlib.import_module(f"portal.settings.{name}")
        allowed[name] = getattr(module, "DEMO_DATA_ALLOWED", False)
    assert allowed == {"development": True, "test": False, "bench": False, "base": False}
    # Not something the environment can switch on.
    monkeypatch.setenv("DEMO_DATA_ALLOWED", "true")
    module = importlib.reload(importlib.import_module("portal.settings.base"))
    assert module.DEMO_DATA_ALLOWED is False
