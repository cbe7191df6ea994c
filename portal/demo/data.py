"""Demo data for `make run`. Every step is idempotent: running it again changes nothing."""

from dataclasses import dataclass

from django.db import transaction

from portal.accounts.models import User

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 (demo only, printed on start)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str = ""


@transaction.atomic
def load() -> list[DemoLogin]:
    from portal.accounts.demo import load_demo_accounts

    logins: list[DemoLogin] = []
    staff_email = "inspector@regulator.example"
    if not User.objects.filter(email=staff_email).exists():
        User.objects.create_user(
            staff_email, DEMO_PASSWORD, is_staff=True, full_name="Demo Inspector"
        )
    logins.append(DemoLogin("Regulator staff (inspector)", staff_email, DEMO_PASSWORD))
    logins = load_demo_accounts(logins)
    return logins
