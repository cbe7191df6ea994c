"""`make run`: a developer's machine. SQLite by default, mail goes to the local catcher."""

from portal.settings.base import *  # noqa: F403
from portal.settings.environment import env_bool, env_int, env_str

DEBUG = env_bool("DEBUG", True)
SHOW_SENT_EMAILS = env_bool("SHOW_SENT_EMAILS", True)
# `make run` loads demo accounts with a published password and authenticator key.
DEMO_DATA_ALLOWED = True
# `make run` starts a local SMTP catcher on this port; /dev/emails lists what the portal sent.
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
STORAGES = {
    **STORAGES,  # noqa: F405 (documents and quarantine, as base.py configures them)
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the finders (runserver / live_server), not a collected STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# The embedded SQLite database cannot enforce RoleAssignment's NULLS NOT DISTINCT unique
# constraint; PostgreSQL (tests, production) does, and the register importer never writes
# duplicates. Silenced here only, so `make run` starts without a misleading warning.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# No internet here: passwords are not checked against breaches unless this is set.
BREACHED_PASSWORDS_URL = env_str("BREACHED_PASSWORDS_URL", "")

# Receivers on this machine (http://127.0.0.1:<port>) may be registered as webhook endpoints.
WEBHOOKS_ALLOW_HTTP_LOOPBACK = env_bool("WEBHOOKS_ALLOW_HTTP_LOOPBACK", True)
# The demo endpoint posts to /dev/webhook-receiver/ on `make run` itself.
WEBHOOKS_DEV_RECEIVER = True
