"""Demo data plants known secrets (a published password, an authenticator key derived in the
source), so everything that loads it refuses unless the development settings are active."""

from django.conf import settings
from django.core.management.base import CommandError


class DemoDataRefused(CommandError):
    """Raised before anything is written or started."""


def refuse_outside_development() -> None:
    if getattr(settings, "DEMO_DATA_ALLOWED", False):
        return
    raise DemoDataRefused(
        "Demo data has a published password and authenticator key, so it loads only with "
        "the development settings (DJANGO_SETTINGS_MODULE=portal.settings.development, as "
        f"`make run` uses); these are {settings.SETTINGS_MODULE}. Nothing was changed."
    )
