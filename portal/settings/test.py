"""The test suite. PostgreSQL when DATABASE_URL says so (CI), SQLite otherwise."""

import copy
import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING as BASE_LOGGING

DEBUG = False
SHOW_SENT_EMAILS = True
# Tests point EMAIL_PORT at their own loopback SMTP server (see tests/conftest.py).
STORAGES = {
    **STORAGES,  # noqa: F405 (documents and quarantine, as base.py configures them)
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each pytest-xdist worker keeps its documents apart. The workers' databases hold the same IDs,
# so two could store the same provider's certificate at the same moment, and the advisory lock
# that keeps one writer per provider belongs to one database. A subprocess a test starts
# inherits the variable, so it finds the same folder.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and DOCUMENTS_STORAGE == "local" and "DOCUMENTS_DIR" not in os.environ:  # noqa: F405
    DOCUMENTS_DIR = VAR_DIR / "test-documents" / _XDIST_WORKER  # noqa: F405
    STORAGES |= documents_storages("local", directory=DOCUMENTS_DIR)  # noqa: F405

# Argon2id still, with a lighter cost so the suite stays quick; production keeps the defaults.
PASSWORD_HASHERS = ["portal.accounts.hashers.TestArgon2PasswordHasher"]

# Tests open and drop their own database; persistent connections would keep it busy.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Lets the test runner empty the audit table between tests (see the audit migration).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c portal.allow_audit_truncate=on"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so a worker subprocess in the tests can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

# Static files come from the finders (runserver / live_server), not a collected STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# The loopback SMTP server (aiosmtpd) narrates every connection at INFO; only problems matter.
LOGGING = copy.deepcopy(BASE_LOGGING)
LOGGING["loggers"]["mail.log"] = {"level": "WARNING"}

# The breach service is outside the system: tests that need it run one on loopback
# (tests/accounts/test_breached_passwords.py); the rest do not check.
BREACHED_PASSWORDS_URL = ""

# Tests run their webhook receivers on loopback (tests/support/webhook_receiver.py).
WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
