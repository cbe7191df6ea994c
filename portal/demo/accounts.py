"""Demo accounts for `make run`: a registered manager with an account, and second factors
with fixed, published secrets so a developer can sign in (never in production data)."""

import datetime as dt
import hashlib
from base64 import b32encode
from dataclasses import replace

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.demo.generator import PLANTED_EMAILS
from portal.demo.logins import DEMO_PASSWORD, DemoLogin
from portal.register.models import Location, Person, Provider, RoleAssignment, RoleType

DEMO_MANAGER_EMAIL = "manager@sunrise-demo.example"
# A fixed authenticator secret, published here on purpose: demo data only.
DEMO_TOTP_KEY = hashlib.sha1(b"provider-portal-demo-authenticator").hexdigest()  # noqa: S324


def demo_totp_code(key: str = DEMO_TOTP_KEY) -> str:
    return f"{TOTP(bytes.fromhex(key), step=30, t0=0, digits=6).token():06d}"


def manual_key(key: str = DEMO_TOTP_KEY) -> str:
    return b32encode(bytes.fromhex(key)).decode().rstrip("=")


def second_factor_note() -> str:
    """How to get the second factor of every demo account (printed with the sign-ins)."""
    return (
        f"second factor: an authenticator app with key {manual_key()} "
        "(or run `manage.py demo_code` for the current code)"
    )


def _with_fixed_authenticator(user: User) -> None:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", confirmed=True, key=DEMO_TOTP_KEY, tolerance=1
        )


def demo_account(email: str, *, full_name: str, person: Person | None = None) -> User:
    """A demo account with the demo password and the published authenticator (made once);
    its access comes from the register, read live."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, person=person, full_name=full_name)
    _with_fixed_authenticator(user)
    return user


def demo_role(
    person: Person,
    role: str,
    provider: Provider,
    location: Location | None = None,
    *,
    since: dt.date,
) -> RoleAssignment:
    """A live register role for a demo person (made once)."""
    assignment, _ = RoleAssignment.objects.get_or_create(
        person=person,
        role=role,
        provider=provider,
        location=location,
        activity=None,
        defaults={"start_date": since},
    )
    return assignment


def _demo_register_person() -> Person:
    provider, _ = Provider.objects.get_or_create(
        id="1-999000001",
        defaults={
            "name": "Sunrise Demo Care Ltd",
            "ownership_type": "Organisation",
            "town_city": "Leeds",
            "region": "Yorkshire and The Humber",
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
            "region": "Yorkshire and The Humber",
            "postal_code": "LS1 1AB",
        },
    )
    person, _ = Person.objects.get_or_create(
        person_ref="DEMO-ACCOUNTS-1",
        defaults={"given_name": "Sam", "family_name": "Okafor", "email": DEMO_MANAGER_EMAIL},
    )
    demo_role(person, RoleType.REGISTERED_MANAGER, provider, location, since=dt.date(2020, 1, 1))
    return person


def load_demo_accounts(logins: list[DemoLogin]) -> list[DemoLogin]:
    how_to_get_a_code = second_factor_note()
    for staff in User.objects.filter(email="inspector@regulator.example"):
        _with_fixed_authenticator(staff)
    logins = [replace(login, note=login.note or how_to_get_a_code) for login in logins]

    demo_account(DEMO_MANAGER_EMAIL, full_name="Sam Okafor", person=_demo_register_person())
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
                signs_up=True,
            )
        )
    return logins
