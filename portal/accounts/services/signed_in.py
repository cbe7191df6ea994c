"""Signed-in sessions: remember each one, let its owner (or staff) end them.

Ending a session deletes it from the session store, so that browser's next request is
signed out; nothing else needs checking on every request.
"""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest

from portal.accounts import clock
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.models import SignedInSession, User
from portal.accounts.services.throttles import client_ip
from portal.audit.services import record


def _printable(text: str) -> str:
    """A header as shown to people: no control or invisible formatting characters (and no
    NUL, which PostgreSQL refuses to store)."""
    return "".join(ch for ch in text if ch.isprintable())


def remember_session(*, user: User, request: HttpRequest) -> None:
    """Called as the user signs in (Django's user_logged_in)."""
    key = request.session.session_key
    if not key:
        return
    address = client_ip(request)
    SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "signed_in_at": clock.now(),
            "ip_address": address if address != "unknown" else None,
            "user_agent": _printable(str(request.META.get("HTTP_USER_AGENT", "")))[:300],
        },
    )


def _acting(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def _end(rows: list[SignedInSession]) -> int:
    keys = [row.session_key for row in rows]
    Session.objects.filter(session_key__in=keys).delete()
    SignedInSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def end_session(*, user: User, session_id: int, request: HttpRequest) -> bool:
    """Sign out one of the user's other browsers. False if there is no such session."""
    row = (
        SignedInSession.objects.filter(user=user, id=session_id)
        .exclude(session_key=request.session.session_key or "")
        .first()
    )
    if row is None:
        return False
    _end([row])
    record(
        verb=AccountsVerb.SESSION_ENDED,
        actor=_acting(request),
        target=user,
        data={"signed_in_at": row.signed_in_at.isoformat()},
        request=request,
    )
    return True


def end_other_sessions(*, user: User, request: HttpRequest, reason: str) -> int:
    """Sign out every browser of this user but the one making the request."""
    rows = list(
        SignedInSession.objects.filter(user=user).exclude(
            session_key=request.session.session_key or ""
        )
    )
    return _end_and_record(
        rows, user=user, request=request, reason=reason, verb=AccountsVerb.OTHER_SESSIONS_ENDED
    )


def end_all_sessions(*, user: User, request: HttpRequest, reason: str) -> int:
    """Sign the user out everywhere (regulator staff, or after a reset)."""
    rows = list(SignedInSession.objects.filter(user=user))
    return _end_and_record(
        rows, user=user, request=request, reason=reason, verb=AccountsVerb.ALL_SESSIONS_ENDED
    )


def _end_and_record(
    rows: list[SignedInSession],
    *,
    user: User,
    request: HttpRequest,
    reason: str,
    verb: AccountsVerb,
) -> int:
    if not rows:
        return 0  # nothing to write (the common case, so no transaction is opened)
    with transaction.atomic():
        ended = _end(rows)
        record(
            verb=verb,
            actor=_acting(request),
            target=user,
            data={"sessions": ended, "reason": reason},
            request=request,
        )
    return ended


def forget_finished_sessions() -> int:
    """Rows whose session expired without a sign-out (a closed browser, say)."""
    live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
    deleted, _ = SignedInSession.objects.exclude(session_key__in=live).delete()
    return deleted
