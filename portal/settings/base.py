"""Settings shared by every environment. This is the one place that reads the environment."""

from pathlib import Path
from typing import Any

import dj_database_url

from portal.settings.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-never-use-in-production-0123456789")
# Codes and tokens are stored as HMACs under a key of their own, so rotating SECRET_KEY
# (sessions, CSRF) does not void codes in flight.
CODE_HMAC_KEY = env_str("CODE_HMAC_KEY", SECRET_KEY)
# Webhook signing secrets are kept sealed under this key (portal/webhooks/signing.py).
WEBHOOKS_SECRET_KEY = env_str("WEBHOOKS_SECRET_KEY", SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The regulator this portal serves; shown in the header, page titles and emails.
REGULATOR_NAME = env_str("REGULATOR_NAME", "Care Quality Regulator")
SERVICE_NAME = env_str("SERVICE_NAME", "Provider Portal")
SERVICE_PHASE = env_str("SERVICE_PHASE", "beta")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "enquiries@regulator.example")
SUPPORT_PHONE = env_str("SUPPORT_PHONE", "03000 616161")
# Links in emails. `make run` tells people to browse http://localhost:8000 (see serve_dev).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.frontend",
    "portal.pages",
    "portal.operations",
    "portal.audit",
    "portal.workflow",
    "portal.forms",
    "portal.emails",
    "portal.register",
    "portal.accounts",
    "portal.organisations",
    "portal.staff",
    "portal.documents",
    "portal.webhooks",
    "portal.notifications",
    "portal.applications",
    "portal.casework",
    "portal.api",
    "portal.casework.dashboards",
    "portal.home",
    "portal.demo",
]

MIDDLEWARE = [
    "portal.operations.client_address.ClientAddressMiddleware",
    "portal.operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.operations.body_limits.RequestBodyLimitMiddleware",
    "portal.operations.middleware.RejectMalformedInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.staff.auth.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.middleware.SessionTimeoutMiddleware",
    "portal.accounts.middleware.RecognisedBrowserMiddleware",
    "portal.staff.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.operations.middleware.PrivatePageCacheMiddleware",
]

# The first reads a signed-in user's staff standing with the user (one query, not two); the
# second keeps sessions begun before it existed signed in (neither is used to check passwords:
# portal.accounts does that itself).
AUTHENTICATION_BACKENDS = [
    "portal.staff.auth.StaffAwareModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "portal" / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "portal.frontend.jinja.environment",
            "autoescape": True,
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "portal.frontend.context_processors.service",
                "portal.accounts.context_processors.account",
                "portal.home.navigation.navigation",
            ],
        },
    },
    {
        # Only for the few third-party pages that ship Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Compiled templates kept on disk (the system's temporary directory) for the next worker
# to load instead of compiling: on in production and benchmarks (portal/frontend/jinja.py).
JINJA2_BYTECODE_CACHE = env_bool("JINJA2_BYTECODE_CACHE", False)

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_POOL", False) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg's pool in each process instead of one persistent connection per thread (README
    # "Where the time goes" measures both); the pool replaces CONN_MAX_AGE.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 4}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
LOGIN_URL = "accounts:sign_in"

# Django's database sessions, saving an existing session in one statement and keeping
# the "where you are signed in" rows in step (portal/accounts/session_store.py); reading a
# session also reads its signed-in user, for the middleware above (portal/staff/auth.py).
SESSION_ENGINE = "portal.staff.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute limit; the idle limit is enforced separately
SESSION_IDLE_SECONDS = 30 * 60
# The "you will be signed out" warning appears this long before the idle limit.
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 2 * 60)
CSRF_COOKIE_HTTPONLY = True
# Flash messages ride in the session, so the portal sets no cookie beyond the session and CSRF
# ones (which production makes __Host-); the default would add a plain "messages" cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_FAILURE_VIEW = "portal.pages.errors.csrf_failure"

# Accounts (reference/security.md §1; tests assert these defaults).
ACCOUNT_CODE_LIFETIME_SECONDS = 15 * 60
ACCOUNT_CODE_MAX_WRONG_TRIES = 5
ACCOUNT_CODE_RESEND_SECONDS = 60
# A new sign-in address someone else asked for lapses if its owner has not confirmed it by then.
ACCOUNT_EMAIL_CHANGE_VALID_DAYS = env_int("ACCOUNT_EMAIL_CHANGE_VALID_DAYS", 14)
ACCOUNT_CODES_PER_ADDRESS = 5  # per ACCOUNT_RATE_WINDOW_SECONDS
ACCOUNT_RATE_WINDOW_SECONDS = 15 * 60
# Per-IP caps per ACCOUNT_RATE_WINDOW_SECONDS. Raised by the benchmark (one client IP).
ACCOUNT_CODE_REQUESTS_PER_IP = env_int("ACCOUNT_CODE_REQUESTS_PER_IP", 50)
ACCOUNT_CODE_CHECKS_PER_IP = env_int("ACCOUNT_CODE_CHECKS_PER_IP", 100)
ACCOUNT_SIGN_INS_PER_IP = env_int("ACCOUNT_SIGN_INS_PER_IP", 100)
ACCOUNT_LOCKOUT_FAILURES = 10
ACCOUNT_LOCKOUT_SECONDS = 15 * 60
# Guesses at one account (or address) from every source together: after `free` failures
# each further guess waits twice as long as the one before, from `first_wait` up to
# `longest_wait` seconds; a day without failures starts afresh. The owner's recognised
# browsers do not wait. See portal/accounts/services/guessing.py and the README's numbers.
# Free passwords are twice one network's block (10), so one network alone slows no one.
ACCOUNT_GUESS_POLICIES = {
    "password": {"free": 20, "first_wait": 30, "longest_wait": 30 * 60},
    "second_factor": {"free": 5, "first_wait": 60, "longest_wait": 60 * 60},
    "emailed_code": {"free": 10, "first_wait": 60, "longest_wait": 2 * 60 * 60},
}
ACCOUNT_GUESS_QUIET_SECONDS = 24 * 60 * 60
# A browser where the owner completed a full sign-in is recognised for this long.
ACCOUNT_RECOGNISED_BROWSER_DAYS = 90
# Changing a second factor needs a password and second factor given this recently.
ACCOUNT_REAUTH_SECONDS = 10 * 60
ACCOUNT_RECOVERY_CODE_COUNT = 10
# Passkeys (WebAuthn) as a second factor. The relying party ID is the registrable domain the
# passkeys belong to and the origins are where the pages are served; when unset, both come
# from the request's host (which ALLOWED_HOSTS has already checked). Set them in production.
PASSKEY_RP_ID = env_str("PASSKEY_RP_ID", "")
PASSKEY_ORIGINS = env_list("PASSKEY_ORIGINS", [])
# How long the browser's passkey prompt may stay open: WebAuthn's own guidance is 5 to
# 10 minutes, so people who need more time are not hurried.
PASSKEY_TIMEOUT_SECONDS = 5 * 60
PASSKEYS_PER_ACCOUNT = 10
# django-otp: ±1 time step; our own source-bound lockout replaces django-otp's per-device
# throttle, which anyone holding the password could use to block the owner.
OTP_TOTP_ISSUER = f"{REGULATOR_NAME} {SERVICE_NAME}"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "portal.accounts.passwords.LengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "portal.accounts.passwords.ContextWordsValidator"},
    # Last: the only one that may wait on the network.
    {"NAME": "portal.accounts.passwords.BreachedPasswordValidator"},
]
# Pwned Passwords range API (k-anonymity). Empty: not checked (development has no internet).
BREACHED_PASSWORDS_URL = env_str("BREACHED_PASSWORDS_URL", "https://api.pwnedpasswords.com")
BREACHED_PASSWORDS_TIMEOUT_SECONDS = 2

# Request size limits: a form never needs more than this; uploads have their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Uploaded files larger than this go to a temporary file while the request is read, so a
# 50 MB document never sits whole in a web process's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# Whole request bodies, refused by their Content-Length before anything reads them (a styled
# 413; portal/operations/body_limits.py). Form fields may total DATA_UPLOAD_MAX_MEMORY_SIZE and
# the body carries a little more (multipart framing). A URL prefix may have its own limit (the
# longest matching prefix wins), e.g. {"/documents/": 55 * 1024 * 1024} for 50 MB uploads;
# nginx's client_max_body_size (deploy/nginx.conf.template) must allow at least as much there.
REQUEST_BODY_LIMIT_BYTES = env_int(
    "REQUEST_BODY_LIMIT_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024
)
REQUEST_BODY_LIMITS_BY_PREFIX: dict[str, int] = {}
# The API takes JSON answers only (files are uploaded beforehand), so a small body.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 256 * 1024)
REQUEST_BODY_LIMITS_BY_PREFIX["/api/"] = API_MAX_BODY_BYTES
# Prefixes whose refused bodies are answered as problem documents with this code.
REQUEST_BODY_PROBLEM_CODES = {"/api/": "api.body_too_large"}
# API keys: HMAC key for stored secrets, longest life, warning before expiry, rate limit.
API_KEY_HMAC_KEY = env_str("API_KEY_HMAC_KEY", CODE_HMAC_KEY)
API_KEY_MAX_DAYS = 365
API_KEY_EXPIRY_WARNING_DAYS = 14
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)
API_PAGE_SIZE_MAX = 100

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # SimpleWebAuthn's browser library: the WebAuthn calls and their data conversions.
    (
        "simplewebauthn",
        BASE_DIR / "node_modules" / "@simplewebauthn" / "browser" / "dist" / "bundle",
    ),
    # The location picker's search box, enhanced (portal/frontend/static/portal/location-picker.js).
    (
        "accessible-autocomplete",
        BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist",
    ),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Documents people upload (portal/documents; README "Documents"). Local disk under var/ by
# default; S3-compatible object storage when DOCUMENTS_STORAGE=s3. Infected files move to a
# storage of their own ("quarantine") that no download ever reads.
DOCUMENTS_STORAGE = env_str("DOCUMENTS_STORAGE", "local")
DOCUMENTS_DIR = Path(env_str("DOCUMENTS_DIR", str(VAR_DIR)))  # local: documents/, quarantine/
DOCUMENTS_S3_BUCKET = env_str("DOCUMENTS_S3_BUCKET", "")
DOCUMENTS_S3_QUARANTINE_BUCKET = env_str("DOCUMENTS_S3_QUARANTINE_BUCKET", DOCUMENTS_S3_BUCKET)
DOCUMENTS_S3_ENDPOINT_URL = env_str("DOCUMENTS_S3_ENDPOINT_URL", "")  # empty: AWS itself
DOCUMENTS_S3_REGION = env_str("DOCUMENTS_S3_REGION", "eu-west-2")
# Empty: boto3 finds credentials itself (instance role, AWS_ACCESS_KEY_ID...), as it should
# in production; set for an S3-compatible service of your own.
DOCUMENTS_S3_ACCESS_KEY_ID = env_str("DOCUMENTS_S3_ACCESS_KEY_ID", "")
DOCUMENTS_S3_SECRET_ACCESS_KEY = env_str("DOCUMENTS_S3_SECRET_ACCESS_KEY", "")
# Downloads from object storage are redirects to a signed URL valid this long.
DOCUMENTS_DOWNLOAD_URL_SECONDS = env_int("DOCUMENTS_DOWNLOAD_URL_SECONDS", 60)


def documents_storages(
    kind: str,
    *,
    directory: Path,
    bucket: str = "",
    quarantine_bucket: str = "",
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    url_seconds: int = 60,
) -> dict[str, dict[str, Any]]:
    """The "documents" and "quarantine" entries of STORAGES: local disk under `directory`,
    or ("s3") S3-compatible object storage, quarantine under its own prefix (or bucket)."""
    if kind == "s3":
        from boto3.s3.transfer import TransferConfig

        common = {
            # Multipart uploads of 8 MiB parts, two at a time: a web process holds at most
            # about 16 MiB of a file, however large, while sending it on.
            "transfer_config": TransferConfig(
                multipart_threshold=8 * 1024 * 1024,
                multipart_chunksize=8 * 1024 * 1024,
                max_concurrency=2,
            ),
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": url_seconds,
            # Keys are random: never worth a round trip to ask whether one is taken.
            "file_overwrite": True,
            "signature_version": "s3v4",
            "addressing_style": "path",
        }
        return {
            "documents": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {**common, "bucket_name": bucket, "location": "documents"},
            },
            "quarantine": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    **common,
                    "bucket_name": quarantine_bucket or bucket,
                    "location": "quarantine",
                },
            },
        }
    if kind != "local":
        raise ValueError(f"DOCUMENTS_STORAGE must be 'local' or 's3', not {kind!r}")
    return {
        name: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": str(directory / name),
                "base_url": None,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
        for name in ("documents", "quarantine")
    }


STORAGES |= documents_storages(
    DOCUMENTS_STORAGE,
    directory=DOCUMENTS_DIR,
    bucket=DOCUMENTS_S3_BUCKET,
    quarantine_bucket=DOCUMENTS_S3_QUARANTINE_BUCKET,
    endpoint_url=DOCUMENTS_S3_ENDPOINT_URL,
    region=DOCUMENTS_S3_REGION,
    access_key=DOCUMENTS_S3_ACCESS_KEY_ID,
    secret_key=DOCUMENTS_S3_SECRET_ACCESS_KEY,
    url_seconds=DOCUMENTS_DOWNLOAD_URL_SECONDS,
)
# Per file and per question; a question may have its own (DOCUMENTS_QUESTION_LIMITS, by the
# question's key: {"max_bytes": ..., "max_files": ...}).
DOCUMENTS_MAX_FILE_BYTES = env_int("DOCUMENTS_MAX_FILE_BYTES", 50 * 1024 * 1024)
DOCUMENTS_MAX_FILES_PER_QUESTION = env_int("DOCUMENTS_MAX_FILES_PER_QUESTION", 20)
DOCUMENTS_QUESTION_LIMITS: dict[str, dict[str, int]] = {}
# Pages with file questions (portal/forms, Kind.FILE; a question may set lower limits of its
# own) post to UPLOAD_URL_PREFIX, whose body may carry one file of the largest size beside the
# page's other answers (nginx has a matching location).
UPLOAD_URL_PREFIX = "/uploads/"
REQUEST_BODY_LIMITS_BY_PREFIX[UPLOAD_URL_PREFIX] = (
    DOCUMENTS_MAX_FILE_BYTES + REQUEST_BODY_LIMIT_BYTES
)
# ClamAV's daemon: a unix socket path, or tcp://host:port.
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS", str(VAR_DIR / "clamd" / "clamd.sock"))
CLAMD_TIMEOUT_SECONDS = env_int("CLAMD_TIMEOUT_SECONDS", 120)
# Scanner unreachable: the sweeper tries again after this, doubling up to 30 minutes.
DOCUMENTS_SCAN_RETRY_SECONDS = env_int("DOCUMENTS_SCAN_RETRY_SECONDS", 30)
# The scanner answering with an error (not a verdict) this many times: the file is "failed".
DOCUMENTS_SCAN_MAX_ERRORS = env_int("DOCUMENTS_SCAN_MAX_ERRORS", 3)
# A file without a row, or a row without a file, is removed after this long (an upload in
# progress has both within seconds).
DOCUMENTS_ORPHAN_GRACE_SECONDS = env_int("DOCUMENTS_ORPHAN_GRACE_SECONDS", 6 * 60 * 60)
# Files of discarded or expired drafts are deleted this long after (their audit events stay).
DOCUMENTS_RETENTION_DAYS = env_int("DOCUMENTS_RETENTION_DAYS", 30)
# Orphans and retention walk the storage: at most this often in each worker.
DOCUMENTS_HOUSEKEEPING_SECONDS = env_int("DOCUMENTS_HOUSEKEEPING_SECONDS", 3600)

# Background work: django-tasks with the database backend. Verification and sign-in mail has
# its own queue so a backlog of ordinary mail never delays a code.
TASK_QUEUE_DEFAULT = "default"
TASK_QUEUE_PRIORITY_EMAIL = "priority_email"
# Virus scans have their own queue so a burst of uploads never holds up mail, and mail never
# holds up a scan.
TASK_QUEUE_SCANNING = "scanning"
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [TASK_QUEUE_DEFAULT, TASK_QUEUE_PRIORITY_EMAIL, TASK_QUEUE_SCANNING],
    }
}
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 5)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 30)
# Functions the worker's sweeper calls every sweep (idempotent, set-based housekeeping).
SWEEP_HOOKS = [
    "portal.organisations.services.expire_invitations",
    "portal.organisations.sync.end_deregistered_access",
    "portal.accounts.services.housekeeping.sweep",
    "portal.accounts.services.email_change.expire_waiting_changes",
    "portal.register.events.replay_unprocessed",
    "portal.register.certificate_jobs.replay_due_jobs",
    "portal.notifications.sweeps.apply_due_changes",
    "portal.notifications.sweeps.open_overdue_update_cases",
    "portal.casework.sweeps.send_overdue_digests",
    "portal.applications.sweeps.close_lapsed_representations",
    "portal.documents.sweeps.sweep",
    "portal.api.keys.warn_expiring_keys",
    "portal.casework.dashboards.snapshots.refresh",
    "portal.webhooks.delivery.requeue_overdue",
]
# Checks /healthz runs besides the database and worker: name -> function returning a
# HealthCheck (portal.operations.health). Reported, not counted in "healthy": with the
# scanner down uploads wait as "being checked", and web nodes must stay in service.
# Webhooks (portal/webhooks; README "Webhooks"). Plain http is refused except, when this is
# set (development and tests only), http://127.0.0.1:<port> for a receiver on this machine.
WEBHOOKS_ALLOW_HTTP_LOOPBACK = env_bool("WEBHOOKS_ALLOW_HTTP_LOOPBACK", False)
# /dev/webhook-receiver/ answers the demo endpoint (development only).
WEBHOOKS_DEV_RECEIVER = False
WEBHOOKS_MAX_ENDPOINTS_PER_PROVIDER = env_int("WEBHOOKS_MAX_ENDPOINTS_PER_PROVIDER", 10)
# Failed attempts in a row (network errors, 5xx, 429, refused 4xx) that pause an endpoint.
# With the retry delays below (3 min doubling, with jitter), ten attempts span about a day.
WEBHOOKS_PAUSE_AFTER_FAILURES = env_int("WEBHOOKS_PAUSE_AFTER_FAILURES", 10)
WEBHOOKS_RETRY_BASE_SECONDS = env_int("WEBHOOKS_RETRY_BASE_SECONDS", 180)
WEBHOOKS_RETRY_MAX_SECONDS = env_int("WEBHOOKS_RETRY_MAX_SECONDS", 8 * 60 * 60)
WEBHOOKS_CONNECT_TIMEOUT_SECONDS = 5
WEBHOOKS_TOTAL_TIMEOUT_SECONDS = 10
# Only the start of a receiver's answer is read (and a little of it kept for the log).
WEBHOOKS_MAX_RESPONSE_BYTES = 64 * 1024
# After a rotation the old secret keeps signing (beside the new one) this long.
WEBHOOKS_PREVIOUS_SECRET_HOURS = env_int("WEBHOOKS_PREVIOUS_SECRET_HOURS", 24)
# A pending delivery this late with no task waiting is queued again by the sweeper.
WEBHOOKS_SWEEP_AFTER_SECONDS = env_int("WEBHOOKS_SWEEP_AFTER_SECONDS", 120)

HEALTH_CHECKS = {"scanner": "portal.documents.scanning.health"}
# A register change whose processing failed is tried again after this many seconds,
# doubling with each failure (at most 30 minutes).
REGISTER_CHANGE_RETRY_SECONDS = env_int("REGISTER_CHANGE_RETRY_SECONDS", 30)
# A certificate of registration of at most this many locations is rendered in the request when
# its stored PDF is missing (well under a second of CPU); a larger one only in the worker
# (portal/register/certificate_jobs.py).
CERTIFICATE_SYNC_MAX_LOCATIONS = env_int("CERTIFICATE_SYNC_MAX_LOCATIONS", 25)
# How long processing a register change waits for a row lock before failing (and retrying).
REGISTER_CHANGE_LOCK_TIMEOUT_MS = env_int("REGISTER_CHANGE_LOCK_TIMEOUT_MS", 5000)
EMAIL_SWEEP_SECONDS = env_int("EMAIL_SWEEP_SECONDS", 10)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
EMAIL_RETRY_BASE_SECONDS = env_int("EMAIL_RETRY_BASE_SECONDS", 5)  # doubles on each retry

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Provider Portal <no-reply@regulator.example>")
# Shows /dev/emails, a list of sent mail, so a developer can read codes. Never in production.
SHOW_SENT_EMAILS = env_bool("SHOW_SENT_EMAILS", False)
# Demo data (`load_demo_data`, `serve_dev`) plants known secrets: only development.py allows
# it, and deliberately not from the environment.
DEMO_DATA_ALLOWED = False

# Delegation (portal.organisations): an invitation link works for 2 days; a deregistered
# provider or location stays readable (not writable) for this many days, then access ends;
# where the invitation page sends people without an account (a URL name or path).
ORGANISATIONS_INVITATION_VALID_HOURS = env_int("ORGANISATIONS_INVITATION_VALID_HOURS", 48)
ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS = env_int("ORGANISATIONS_DEREGISTERED_READ_ONLY_DAYS", 90)
ORGANISATIONS_RESEND_WAIT_SECONDS = env_int("ORGANISATIONS_RESEND_WAIT_SECONDS", 60)
ORGANISATIONS_SIGN_UP_URL = env_str("ORGANISATIONS_SIGN_UP_URL", "accounts:sign_up")

# Staff administration (portal.staff): staff are invited only at the regulator's own email
# domains (comma-separated); an invitation link works for 3 days.
STAFF_EMAIL_DOMAINS = env_list("STAFF_EMAIL_DOMAINS", ["regulator.example"])
STAFF_INVITATION_VALID_HOURS = env_int("STAFF_INVITATION_VALID_HOURS", 72)

# Where provider updates go when no member of staff is handling the notification.
NOTIFICATIONS_INBOX_EMAIL = env_str("NOTIFICATIONS_INBOX_EMAIL", "notifications@regulator.example")
# Where applications and applicants' replies go while no assessor is handling them.
APPLICATIONS_INBOX_EMAIL = env_str("APPLICATIONS_INBOX_EMAIL", "registration@regulator.example")
# The client's address when a proxy on the node passes requests on (production sets these;
# portal/operations/client_address.py). Empty: REMOTE_ADDR already is the client's address.
CLIENT_ADDRESS_HEADER = ""
CLIENT_ADDRESS_PROXIES: list[str] = []

# Security headers (see reference/security.md). Cookies become __Host- in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from csp.constants import NONCE, NONE, SELF  # noqa: E402

# Powerful browser features the portal never uses are switched off for it and anything it
# might frame; passkeys (publickey-credentials-*) stay at their default, this site only.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "base-uri": [NONE],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "img-src": [SELF, "data:"],
        "manifest-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
    }
}

LOG_FORMAT = env_str("LOG_FORMAT", "text")  # "json" in production
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.operations.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
