"""Demo data for `make run`. Every step is idempotent: running it again changes nothing."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from portal.accounts.models import User
from portal.demo.guard import refuse_outside_development
from portal.register.generator import generate_register
from portal.register.importing.run import run_import

# A small generated register (see portal/register/generator.py PLANTED_EMAILS for the people
# every generated register has). Deterministic: the same files every time.
DEMO_REGISTER_LOCATIONS = 40
DEMO_REGISTER_SEED = 2024

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 (demo only, printed on start)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str = ""
    # A register person to try signing up as (no account yet), rather than a sign-in.
    signs_up: bool = False


def count_of(logins: list[DemoLogin]) -> str:
    """ "2 demo sign-ins and 3 people to try signing up as": what load_demo_data reports."""
    sign_ins = sum(not login.signs_up for login in logins)
    sign_ups = len(logins) - sign_ins
    text = f"{sign_ins} demo sign-in{'' if sign_ins == 1 else 's'}"
    if sign_ups:
        text += f" and {sign_ups} {'person' if sign_ups == 1 else 'people'} to try signing up as"
    return text


@transaction.atomic
def load() -> list[DemoLogin]:
    refuse_outside_development()
    from portal.accounts.demo import load_demo_accounts

    logins: list[DemoLogin] = []
    staff_email = "inspector@regulator.example"
    if not User.objects.filter(email=staff_email).exists():
        User.objects.create_user(
            staff_email, DEMO_PASSWORD, is_staff=True, full_name="Demo Inspector"
        )
    logins.append(DemoLogin("Regulator staff (inspector)", staff_email, DEMO_PASSWORD))
    load_register()
    logins = load_demo_accounts(logins)
    return logins


def load_register() -> None:
    """Generate the demo register into var/demo-register/ (once) and import it; importing
    again changes nothing."""
    folder = Path(settings.VAR_DIR) / "demo-register"
    if not (folder / "contacts.csv").exists():
        generate_register(locations=DEMO_REGISTER_LOCATIONS, seed=DEMO_REGISTER_SEED, out=folder)
    report = run_import([folder])
    if report.rejections:
        raise RuntimeError(f"The demo register did not import cleanly: {report.rejections[0]}")
