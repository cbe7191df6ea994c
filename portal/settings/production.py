"""Production: every web node and worker runs with these settings."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING
from portal.settings.environment import env_int, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
CODE_HMAC_KEY = env_required("CODE_HMAC_KEY")
SHOW_SENT_EMAILS = False

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies: Secure, Path=/, no Domain, so no sibling host can set or read them.
SESSION_COOKIE_NAME = "__Host-session"
CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING["handlers"]["console"]["formatter"] = "json"
