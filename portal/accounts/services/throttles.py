"""Rate limits and lockouts kept in the database, so they hold across processes and nodes."""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from portal.accounts import clock
from portal.accounts.codes import keyed_hash
from portal.accounts.models import RateCounter, SignInLockout, normalise_email


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds


def _window_start(moment: dt.datetime, window: int) -> dt.datetime:
    epoch = int(moment.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % window, tz=dt.UTC)


# The table is RateCounter's (accounts_ratecounter); plain SQL for a single-statement upsert.
_UPSERT = (
    "INSERT INTO accounts_ratecounter (key, window_start, count) VALUES (%s, %s, 1)"
    " ON CONFLICT (key, window_start)"
    " DO UPDATE SET count = accounts_ratecounter.count + 1 RETURNING count"
)
_UPSERT_RELAXED = (
    "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))"
    " INSERT INTO accounts_ratecounter (key, window_start, count) SELECT %s, %s, 1 FROM relaxed"
    " ON CONFLICT (key, window_start)"
    " DO UPDATE SET count = accounts_ratecounter.count + 1 RETURNING count"
)


def hit(*, scope: str, subject: str, limit: int, window: int) -> Decision:
    """Count one hit on (scope, subject) and say whether it is within `limit` per `window` s.

    A sliding-window estimate from two fixed windows: the previous window's count weighted by
    how much of it still overlaps, plus the current one's. One atomic upsert per hit.
    """
    key = keyed_hash("rate", scope, subject)
    moment = clock.now()
    current = _window_start(moment, window)
    previous = current - dt.timedelta(seconds=window)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # One statement, its own transaction, committed without waiting for the disk
            # (a counter lost in a database crash costs nothing; an fsync per request does).
            cursor.execute(_UPSERT_RELAXED, [key, current])
        else:
            cursor.execute(_UPSERT, [key, current])
        current_count = int(cursor.fetchone()[0])
    previous_count = (
        RateCounter.objects.filter(key=key, window_start=previous)
        .values_list("count", flat=True)
        .first()
        or 0
    )
    elapsed = (moment - current).total_seconds()
    estimate = previous_count * (1 - elapsed / window) + current_count
    if estimate <= limit:
        return Decision(True)
    return Decision(False, retry_after=max(1, math.ceil(window - elapsed)))


def client_ip(request: HttpRequest) -> str:
    """The connecting address. Behind a load balancer, configure it to set REMOTE_ADDR
    (for example gunicorn's --forwarded-allow-ips); never trust a header from the client."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def ip_allows(request: HttpRequest, scope: str, limit: int) -> Decision:
    """Count one request from this IP address against `limit` per rate window."""
    return hit(
        scope=scope,
        subject=client_ip(request),
        limit=limit,
        window=settings.ACCOUNT_RATE_WINDOW_SECONDS,
    )


def commit_without_waiting_for_disk() -> None:
    """For the current transaction only, when it is our own (not a caller's): commit without
    waiting for PostgreSQL to flush the WAL to disk. If the database crashed within the next
    fraction of a second the transaction would be lost as a whole, never half-applied: use
    only where losing it is harmless (a code request, which the person simply repeats,
    since its code, outbox email and audit rows vanish together)."""
    outermost = not connection.savepoint_ids
    if connection.vendor == "postgresql" and connection.in_atomic_block and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")


def forget_old_counters() -> int:
    """Windows older than a day can never matter again."""
    cutoff = clock.now() - dt.timedelta(days=1)
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted


def serialise_on(key: str) -> None:
    """Inside a transaction, wait for any other transaction working on the same key.

    PostgreSQL: a transaction-scoped advisory lock. SQLite runs one writer at a time anyway.
    """
    if connection.vendor == "postgresql":
        number = int(keyed_hash("lock", key)[:15], 16)  # fits a signed 64-bit integer
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _lockout_key(account: str, source: str) -> str:
    return keyed_hash("sign-in-lockout", normalise_email(account), source)


def lockout_remaining(*, account: str, source: str, window: int) -> int:
    """Seconds this account is still blocked from this source (0 when not blocked)."""
    lockout = SignInLockout.objects.filter(key=_lockout_key(account, source)).first()
    if lockout is None or lockout.blocked_until is None:
        return 0
    remaining = (lockout.blocked_until - clock.now()).total_seconds()
    return max(0, math.ceil(remaining))


@transaction.atomic
def record_failure(*, account: str, source: str, limit: int, window: int) -> bool:
    """Count a failed attempt; True when this failure starts a block."""
    key = _lockout_key(account, source)
    moment = clock.now()
    SignInLockout.objects.bulk_create(
        [SignInLockout(key=key, failures=0, first_failure_at=moment)], ignore_conflicts=True
    )
    lockout = SignInLockout.objects.select_for_update().get(key=key)
    block_over = lockout.blocked_until is not None and lockout.blocked_until <= moment
    window_over = lockout.first_failure_at < moment - dt.timedelta(seconds=window)
    if block_over or (lockout.blocked_until is None and window_over):
        lockout.failures = 0
        lockout.first_failure_at = moment
        lockout.blocked_until = None
    lockout.failures += 1
    starts_block = lockout.blocked_until is None and lockout.failures >= limit
    if starts_block:
        lockout.blocked_until = moment + dt.timedelta(seconds=window)
    lockout.save()
    return starts_block


def clear_failures(*, account: str, source: str) -> None:
    SignInLockout.objects.filter(key=_lockout_key(account, source)).delete()
