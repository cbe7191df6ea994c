"""A demo API key for Sunrise Demo Care's location, made by its registered manager through
the key service, with a fixed secret so `make run` can print it every time."""

from dataclasses import replace

from portal.accounts.models import User
from portal.api import keys
from portal.api.models import ApiKey
from portal.demo.accounts import DEMO_MANAGER_EMAIL
from portal.demo.logins import DemoLogin
from portal.organisations.access import forget_access
from portal.organisations.permissions import Permission
from portal.register.models import Location

DEMO_KEY_NAME = "Demo care-record system"
# Demo only (the demo refuses to load outside development): printed on start.
DEMO_API_KEY = "ppk_00demo00_DemoKeyForSunriseDemoCareNeverUseInProduction00"


def load(location_id: str, logins: list[DemoLogin]) -> list[DemoLogin]:
    """Make the key (once) and say so on the manager's printed sign-in."""
    location = Location.objects.select_related("provider").get(pk=location_id)
    manager = User.objects.get(email=DEMO_MANAGER_EMAIL)
    if not ApiKey.objects.filter(provider=location.provider, name=DEMO_KEY_NAME).exists():
        forget_access(manager)
        created = keys.create_key(
            actor=manager,
            provider=location.provider,
            name=DEMO_KEY_NAME,
            permissions=[
                Permission.VIEW_SUBMISSIONS,
                Permission.DRAFT_NOTIFICATIONS,
                Permission.SUBMIT_NOTIFICATIONS,
            ],
            location_ids=[location.pk],
            expires_in_days=365,
        )
        # The demo's key is known in advance; real keys are random and shown once.
        ApiKey.objects.filter(pk=created.key.pk).update(
            secret_hmac=keys.secret_hmac(DEMO_API_KEY), prefix=DEMO_API_KEY[:12]
        )
    said = f"Demo API key (made by this manager): {DEMO_API_KEY} (README: a demo call)"
    return [
        replace(login, note=f"{login.note}\n      {said}" if login.note else said)
        if login.email == DEMO_MANAGER_EMAIL and not login.signs_up
        else login
        for login in logins
    ]
