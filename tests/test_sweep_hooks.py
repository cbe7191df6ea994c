"""The worker's sweeper runs every domain hook, and one failing hook does not stop the rest."""

import pytest

from portal.operations import sweeper

CALLS: list[str] = []


def failing_hook() -> None:
    CALLS.append("failing")
    raise RuntimeError("boom")


def working_hook() -> None:
    CALLS.append("working")


def test_every_hook_runs_even_after_one_fails(settings, caplog):
    CALLS.clear()
    settings.SWEEP_HOOKS = [f"{__name__}.failing_hook", f"{__name__}.working_hook"]
    sweeper.run_domain_sweeps()
    assert CALLS == ["failing", "working"]
    assert any("Sweep hook" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_configured_hooks_import_and_run(caplog):
    # The real hooks (invitation expiry, deregistered access) run cleanly on an empty register.
    sweeper.run_domain_sweeps()
    assert not [r for r in caplog.records if r.getMessage().startswith("Sweep hook")]
