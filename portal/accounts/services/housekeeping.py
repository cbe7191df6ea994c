"""Forget what can no longer matter: old codes, rate counters, lockouts, passkey challenges.

Run by the worker's sweeper (settings.SWEEP_HOOKS) every sweep, but does its work at most
once an hour per worker: the rows only need to go eventually, not promptly.
"""

import datetime as dt
import time

from django.db.models import Q

from portal.accounts import clock
from portal.accounts.models import SignInLockout
from portal.accounts.services.codes import forget_old_codes
from portal.accounts.services.passkeys import forget_expired_challenges
from portal.accounts.services.signed_in import forget_finished_sessions
from portal.accounts.services.throttles import forget_old_counters

EVERY_SECONDS = 60 * 60
_last_run: float | None = None


def forget_stale_lockouts() -> int:
    day_ago = clock.now() - dt.timedelta(days=1)
    deleted, _ = SignInLockout.objects.filter(
        Q(blocked_until__lt=day_ago) | Q(blocked_until__isnull=True, first_failure_at__lt=day_ago)
    ).delete()
    return deleted


def sweep(*, force: bool = False) -> int:
    global _last_run
    now = time.monotonic()
    if not force and _last_run is not None and now - _last_run < EVERY_SECONDS:
        return 0
    _last_run = now
    return (
        forget_old_codes()
        + forget_old_counters()
        + forget_stale_lockouts()
        + forget_expired_challenges()
        + forget_finished_sessions()
    )
