"""Production: every web node and worker runs with these settings."""

import copy

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING as BASE_LOGGING
from portal.settings.environment import env_bool, env_int, env_required, env_str

DEBUG = False
# No defaults for anything secret or site-specific: a node missing them must not start.
SECRET_KEY = env_required("SECRET_KEY")
CODE_HMAC_KEY = env_required("CODE_HMAC_KEY")
WEBHOOKS_SECRET_KEY = env_str("WEBHOOKS_SECRET_KEY", SECRET_KEY)
DATABASE_URL = env_required("DATABASE_URL")  # base.py has already parsed it into DATABASES
ALLOWED_HOSTS = [host.strip() for host in env_required("ALLOWED_HOSTS").split(",") if host.strip()]
SHOW_SENT_EMAILS = False
JINJA2_BYTECODE_CACHE = env_bool("JINJA2_BYTECODE_CACHE", True)

# nginx on the node (deploy/nginx.conf.template) is gunicorn's only client; it passes the
# client's address in X-Real-IP. gunicorn listens on loopback only (deploy/gunicorn.conf.py).
CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
CLIENT_ADDRESS_PROXIES = ["127.0.0.1", "::1"]

SECURE_SSL_REDIRECT = True
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies: Secure, Path=/, no Domain, so no sibling host can set or read them.
SESSION_COOKIE_NAME = "__Host-session"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# JSON lines on stdout, each with the request id (see portal/operations/logging.py).
LOGGING = copy.deepcopy(BASE_LOGGING)
LOGGING["handlers"]["console"]["formatter"] = "json"
