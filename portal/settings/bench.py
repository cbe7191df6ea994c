"""Benchmarks: production-like (DEBUG off) but on a local PostgreSQL and local SMTP."""

from portal.settings.base import *  # noqa: F403
from portal.settings.environment import env_bool

DEBUG = False
SHOW_SENT_EMAILS = False
JINJA2_BYTECODE_CACHE = env_bool("JINJA2_BYTECODE_CACHE", True)
STORAGES = {
    **STORAGES,  # noqa: F405 (documents and quarantine, as base.py configures them)
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Benchmarks measure our code, not a third party's API (and this machine has no internet).
BREACHED_PASSWORDS_URL = ""
# The portal's URLs plus a trivial view to compare pages with (no template, no database).
ROOT_URLCONF = "portal.bench_urls"
