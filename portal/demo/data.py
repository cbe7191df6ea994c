"""Demo data for `make run`. Every step is idempotent: running it again changes nothing."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from portal.accounts.models import User
from portal.demo import api_keys, casework_history, showcase
from portal.demo import casework as demo_casework
from portal.demo.accounts import load_demo_accounts
from portal.demo.guard import refuse_outside_development
from portal.demo.logins import DEMO_PASSWORD, DemoLogin, count_of
from portal.demo.register_files import generate_register
from portal.demo.staff import load_demo_staff
from portal.register.importing.run import run_import

# A small generated register (see portal/demo/generator.py PLANTED_EMAILS for the people
# every generated register has). Deterministic: the same files every time.
DEMO_REGISTER_LOCATIONS = 40
DEMO_REGISTER_SEED = 2024

__all__ = ["DEMO_PASSWORD", "DemoLogin", "count_of", "load", "load_register"]


@transaction.atomic
def load() -> list[DemoLogin]:
    refuse_outside_development()
    logins: list[DemoLogin] = load_demo_staff()
    inspector = User.objects.get(email="inspector@regulator.example")
    demo_casework.ensure_teams(inspector)
    load_register()
    logins = load_demo_accounts(logins)
    logins += showcase.load()
    demo_casework.assign_some(inspector)
    casework_history.load()
    return api_keys.load(showcase.DEMO_LOCATION_ID, logins)


def load_register() -> None:
    """Generate the demo register into var/demo-register/ (once) and import it; importing
    again changes nothing."""
    folder = Path(settings.VAR_DIR) / "demo-register"
    if not (folder / "contacts.csv").exists():
        generate_register(locations=DEMO_REGISTER_LOCATIONS, seed=DEMO_REGISTER_SEED, out=folder)
    report = run_import([folder])
    if report.rejections:
        raise RuntimeError(f"The demo register did not import cleanly: {report.rejections[0]}")
