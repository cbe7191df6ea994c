"""The cookies accounts set besides the session. Both are signed, HttpOnly and hold no text
a person typed.

- The address between the steps of sign-up and password reset: a signed token (base64) of
  the canonical address. Kept in a cookie, not the session, so starting costs no session
  row (sign-up is the busiest page at launch).
- "Recognised browser": set once the owner has given the password and the second factor
  in this browser. It exempts that browser from the waits the account gets when strangers
  guess at it (services/guessing.py), so guessing can slow an account but not lock its
  owner out. It names the account and carries a keyed hash of its password hash: a
  password change or reset forgets every recognised browser.
"""

import hmac

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from portal.accounts.codes import keyed_hash
from portal.accounts.models import User, normalise_email

_EMAIL_COOKIE_SECONDS = 60 * 60
_RECOGNISED = "recognised_browser"
# Set in the session by a full sign-in; the middleware turns it into the cookie.
RECOGNISE_THIS_BROWSER = "recognise_this_browser"


def cookie_name(key: str) -> str:
    return ("__Host-" if settings.SESSION_COOKIE_SECURE else "") + key


def _set(response: HttpResponse, key: str, value: str, max_age: int) -> HttpResponse:
    response.set_cookie(
        cookie_name(key),
        value,
        max_age=max_age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _read(request: HttpRequest, key: str, max_age: int) -> object:
    try:
        return signing.loads(
            request.COOKIES.get(cookie_name(key), ""), salt=f"accounts.{key}", max_age=max_age
        )
    except signing.BadSignature:
        return None


def remember_email(response: HttpResponse, key: str, email: str) -> HttpResponse:
    token = signing.dumps(email, salt=f"accounts.{key}", compress=True)
    return _set(response, key, token, _EMAIL_COOKIE_SECONDS)


def remembered_email(request: HttpRequest, key: str) -> str | None:
    value = _read(request, key, _EMAIL_COOKIE_SECONDS)
    return value if isinstance(value, str) and value else None


def forget_email(response: HttpResponse, key: str) -> HttpResponse:
    response.delete_cookie(cookie_name(key), samesite="Lax")
    return response


def _recognised_seconds() -> int:
    return int(settings.ACCOUNT_RECOGNISED_BROWSER_DAYS) * 24 * 60 * 60


def _proof(user: User) -> str:
    return keyed_hash("recognised-browser", str(user.pk), user.password)[:32]


def recognise_browser(response: HttpResponse, user: User) -> HttpResponse:
    token = signing.dumps({"user": user.pk, "proof": _proof(user)}, salt=f"accounts.{_RECOGNISED}")
    return _set(response, _RECOGNISED, token, _recognised_seconds())


def recognised_for(request: HttpRequest, *, email: str) -> bool:
    """Whether this browser is one where the owner of `email` completed a full sign-in.
    Costs a query only when the browser has a validly signed cookie."""
    value = _read(request, _RECOGNISED, _recognised_seconds())
    if not isinstance(value, dict) or not isinstance(value.get("user"), int):
        return False
    user = User.objects.filter(id=value["user"], is_active=True).first()
    if user is None or user.email != normalise_email(email):
        return False
    return hmac.compare_digest(str(value.get("proof", "")), _proof(user))
