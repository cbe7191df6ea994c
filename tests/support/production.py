"""Production settings for tests: read from portal/settings/production.py with a test env."""

import importlib
import re
import secrets
import sys
from typing import Any

PRODUCTION_MODULE = "portal.settings.production"
# What a test borrows from production: the security settings. Storage, database and logging
# stay the test suite's own (tests/test_operations.py checks production logging separately).
SECURITY_SETTING = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|CONTENT_SECURITY_POLICY|X_FRAME_OPTIONS$|MIDDLEWARE$)"
)


def production_environment(database_url: str) -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CODE_HMAC_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "portal.regulator.example",
        "DATABASE_URL": database_url,
    }


def production_values(
    monkeypatch: Any, database_url: str, *, unset: str | None = None
) -> dict[str, Any]:
    """Every setting production.py ends up with, under a complete production environment
    (less the variable named by `unset`)."""
    for name, value in production_environment(database_url).items():
        monkeypatch.setenv(name, value)
    if unset:
        monkeypatch.delenv(unset)
    sys.modules.pop(PRODUCTION_MODULE, None)
    try:
        module = importlib.import_module(PRODUCTION_MODULE)
    finally:
        sys.modules.pop(PRODUCTION_MODULE, None)
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


def use_production_security(settings: Any, monkeypatch: Any, database_url: str) -> None:
    for name, value in production_values(monkeypatch, database_url).items():
        if SECURITY_SETTING.match(name):
            setattr(settings, name, value)
    # Production's middleware includes WhiteNoise, which serves collectstatic's output; tests
    # have none, so it serves from the finders instead.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
