"""Demo accounts for `make run`: a registered manager with an account, and second factors
with fixed, published secrets so a developer can sign in (never in production data)."""

import hashlib
from base64 import b32encode
from dataclasses import dataclass, replace

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.demo.generator import PLANTED_EMAILS
from portal.register.models import Location, Person, Provider, RoleAssignment, RoleType

DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105 (demo only, printed on start)
DEMO_MANAGER_EMAIL = "manager@sunrise-demo.example"
# A fixed authenticator secret, published here on purpose: demo data only.
DEMO_TOTP_KEY = hashlib.sha1(b"provider-portal-demo-authenticator").hexdigest()  # noqa: S324


def demo_totp_code(key: str = DEMO_TOTP_KEY) -> str:
    return f"{TOTP(bytes.fromhex(key), step=30, t0=0, digits=6).token():06d}"


def manual_key(key: str = DEMO_TOTP_KEY) -> str:
    return b32encode(bytes.fromhex(key)).decode().rstrip("=")


def _with_fixed_authenticator(user: User) -> None:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", confirmed=True, key=DEMO_TOTP_KEY, tolerance=1
        )


def _demo_register_person() -> Person:
    provider, _ = Provider.objects.get_or_create(
        id="1-999000001",
        defaults={
            "name": "Sunrise Demo Care Ltd",
            "ownership_type": "Organisation",
            "town_city": "Leeds",
            "postal_code": "LS1 1AA",
        },
    )
    location, _ = Location.objects.get_or_create(
        id="1-999000002",
        defaults={
            "provider": provider,
            "name": "Sunrise Demo House",
            "care_home": True,
            "number_of_beds": 40,
            "town_city": "Leeds",
            "postal_code": "LS1 1AB",
        },
    )
    person, _ = Person.objects.get_or_create(
        person_ref="DEMO-ACCOUNTS-1",
        defaults={"given_name": "Sam", "family_name": "Okafor", "email": DEMO_MANAGER_EMAIL},
    )
    RoleAssignment.objects.get_or_create(
        person=person,
        role=RoleType.REGISTERED_MANAGER,
        provider=provider,
        location=location,
        activity=None,
        defaults={"start_date": timezone.localdate().replace(year=2020, month=1, day=1)},
    )
    return person


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str = ""


def load_demo_accounts(logins: list[DemoLogin]) -> list[DemoLogin]:

    how_to_get_a_code = (
        f"second factor: an authenticator app with key {manual_key()} "
        "(or run `manage.py demo_code` for the current code)"
    )
    for staff in User.objects.filter(email="inspector@regulator.example"):
        _with_fixed_authenticator(staff)
    logins = [replace(login, note=login.note or how_to_get_a_code) for login in logins]

    person = _demo_register_person()
    user = User.objects.filter(email=DEMO_MANAGER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_MANAGER_EMAIL, DEMO_PASSWORD, person=person, full_name="Sam Okafor"
        )
    _with_fixed_authenticator(user)
    logins.append(
        DemoLogin(
            "Registered manager (Sunrise Demo House)",
            DEMO_MANAGER_EMAIL,
            DEMO_PASSWORD,
            note=how_to_get_a_code,
        )
    )
    # People planted in the generated demo register, each showing one sign-up case.
    sign_up_cases = [
        ("Sign up: nominated individual who is also a registered manager", "ni_and_manager"),
        ("Sign up: registered manager of two locations", "manager_of_two"),
        ("Sign up refused: a mailbox two registered people share", "shared_mailbox"),
    ]
    for role, key in sign_up_cases:
        logins.append(
            DemoLogin(
                role,
                PLANTED_EMAILS[key],
                "(you choose)",
                note="start at /sign-up/ and read the code at /dev/emails/",
            )
        )
    return logins
