"""Limits on guessing an account's secrets from every source at once.

Per source, `SignInLockout` blocks one IP address after 10 failures for 15 minutes and
`RateCounter` caps each IP address's requests (throttles.py). Alone, those let someone with
many addresses guess without end. So each account (each address, for emailed codes) also has
one `AccountGuesses` row per factor: after `free` failures every further guess waits twice
as long as the one before it, from `first_wait` up to `longest_wait` seconds
(settings.ACCOUNT_GUESS_POLICIES); a day without failures starts afresh.

- The wait is checked before comparing, under a lock on the account and factor that is held
  until the failure is counted, so guesses sent in parallel cannot slip past it.
- The owner's recognised browser (browser_cookies.py) does not wait: strangers can slow an
  account down, never lock its owner out of their own browser.
- The first failure that brings a wait is audited and emailed to the owner, once a burst.
- Unknown addresses are counted the same way, so the waits say nothing about who has an
  account.
"""

import datetime as dt
import enum
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from portal.accounts import clock
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.codes import keyed_hash, looks_like_code, normalise_code
from portal.accounts.models import AccountGuesses, User, normalise_email
from portal.accounts.services import throttles
from portal.accounts.services.codes import CheckOutcome, CodeCheck, check_code
from portal.audit.services import record
from portal.emails.services import queue_email

DAY = 24 * 60 * 60


class Factor(enum.StrEnum):
    PASSWORD = "password"  # noqa: S105 (a factor's name, not a password)
    SECOND_FACTOR = "second_factor"  # authenticator codes and recovery codes together
    EMAILED_CODE = "emailed_code"  # sign-up, password reset and second factor reset codes


# Sign-in steps whose failures are guesses (a passkey answer is a signature: not guessable).
FACTOR_OF_STEP = {
    "password": Factor.PASSWORD,
    "totp": Factor.SECOND_FACTOR,
    "recovery": Factor.SECOND_FACTOR,
}


@dataclass(frozen=True)
class GuessPolicy:
    free: int
    first_wait: int
    longest_wait: int

    def wait_after(self, failures: int) -> int:
        """Seconds the next guess must wait once there have been `failures`."""
        if failures < self.free:
            return 0
        doublings = min(failures - self.free, 40)
        return int(min(self.longest_wait, self.first_wait * 2**doublings))

    def most_guesses_per_day(self) -> int:
        """Guesses a day at one account by strangers who guess the moment each is allowed."""
        moment = failures = 0
        while moment < DAY:
            failures += 1
            moment += self.wait_after(failures)
        return failures


def policy(factor: Factor) -> GuessPolicy:
    return GuessPolicy(**settings.ACCOUNT_GUESS_POLICIES[factor.value])


def _key(factor: Factor, email: str) -> str:
    return keyed_hash("account-guesses", factor.value, normalise_email(email))


def wait_before_guess(*, factor: Factor, email: str, recognised: bool = False) -> int:
    """Seconds before this account may be guessed at again (0: go on and compare).

    Call inside the transaction that compares and then counts a failure: the account and
    factor stay locked until it ends, so the next guess sees this one counted.
    """
    key = _key(factor, email)
    throttles.serialise_on(key)
    if recognised:
        return 0
    row = AccountGuesses.objects.filter(key=key).first()
    if row is None:
        return 0
    return max(0, math.ceil((row.next_guess_at - clock.now()).total_seconds()))


def count_failure(*, factor: Factor, email: str, request: HttpRequest) -> None:
    """Count a wrong guess (inside the transaction of `wait_before_guess`); when it is the
    one that brings the first wait of a burst, audit it and tell the owner."""
    rules = policy(factor)
    moment = clock.now()
    key = _key(factor, email)
    row = AccountGuesses.objects.filter(key=key).first() or AccountGuesses(
        key=key, last_failure_at=moment, next_guess_at=moment
    )
    if row.last_failure_at < moment - dt.timedelta(seconds=settings.ACCOUNT_GUESS_QUIET_SECONDS):
        row.failures = 0
        row.alerted = False
    row.failures += 1
    row.last_failure_at = moment
    wait = rules.wait_after(row.failures)
    row.next_guess_at = moment + dt.timedelta(seconds=wait)
    starts_burst = wait > 0 and not row.alerted
    row.alerted = row.alerted or starts_burst
    row.save()
    if starts_burst:
        _alert(factor=factor, email=email, failures=row.failures, request=request)


def _alert(*, factor: Factor, email: str, failures: int, request: HttpRequest) -> None:
    address = normalise_email(email)
    owner = User.objects.filter(email=address, is_active=True).first()
    record(
        verb=AccountsVerb.GUESSING_SLOWED,
        actor_label=address[:320] or "unknown",
        target=owner,
        data={"factor": factor.value, "failures": failures},
        request=request,
    )
    if owner is not None:
        queue_email(
            to=owner.email,
            template="guessing_slowed",
            context={"factor": factor.value, "failures": failures},
        )


def refused_for_waiting(*, factor: Factor, email: str, request: HttpRequest) -> None:
    record(
        verb=AccountsVerb.GUESS_REFUSED_WAITING,
        actor_label=normalise_email(email)[:320] or "unknown",
        data={"factor": factor.value},
        request=request,
    )


# --- Sign-in failures (per source and per account) -------------------------------------------


def lockout_remaining_for(email: str, request: HttpRequest) -> int:
    return throttles.lockout_remaining(
        account=email, source=throttles.client_ip(request), window=settings.ACCOUNT_LOCKOUT_SECONDS
    )


@transaction.atomic
def record_sign_in_failure(*, email: str, step: str, request: HttpRequest) -> None:
    user = User.objects.filter(email=email).first()
    record(
        verb=AccountsVerb.SIGN_IN_FAILED,
        actor_label=email[:320] or "unknown",
        target=user,
        data={"step": step},
        request=request,
    )
    if step in FACTOR_OF_STEP:
        count_failure(factor=FACTOR_OF_STEP[step], email=email, request=request)
    started_block = throttles.record_failure(
        account=email,
        source=throttles.client_ip(request),
        limit=settings.ACCOUNT_LOCKOUT_FAILURES,
        window=settings.ACCOUNT_LOCKOUT_SECONDS,
    )
    if started_block:
        record(
            verb=AccountsVerb.LOCKED_OUT,
            actor_label=email[:320] or "unknown",
            target=user,
            data={"minutes": settings.ACCOUNT_LOCKOUT_SECONDS // 60},
            request=request,
        )
        if user is not None:
            queue_email(
                to=user.email,
                template="sign_in_blocked",
                context={"minutes": settings.ACCOUNT_LOCKOUT_SECONDS // 60},
            )


# --- Emailed codes --------------------------------------------------------------------------


def check_emailed_code(
    *, purpose: str, email: str, raw_code: str, request: HttpRequest, recognised: bool = False
) -> CodeCheck:
    """Check a code with the per-IP cap and the per-address wait; audit the outcome."""
    well_formed = looks_like_code(normalise_code(raw_code))
    if well_formed:
        decision = throttles.ip_allows(request, "code-check", settings.ACCOUNT_CODE_CHECKS_PER_IP)
        if not decision.allowed:
            record(verb=AccountsVerb.RATE_LIMITED, data={"scope": "code-check"}, request=request)
            return CodeCheck(CheckOutcome.TOO_MANY_TRIES)
    with transaction.atomic():
        if well_formed:
            wait = wait_before_guess(factor=Factor.EMAILED_CODE, email=email, recognised=recognised)
            if wait:
                refused_for_waiting(factor=Factor.EMAILED_CODE, email=email, request=request)
                return CodeCheck(CheckOutcome.WAIT, retry_after=wait)
        result = check_code(purpose=purpose, email=email, raw_code=raw_code)
        if result.wrong_guess:
            count_failure(factor=Factor.EMAILED_CODE, email=email, request=request)
    if result.accepted:
        record(
            verb=AccountsVerb.CODE_ACCEPTED,
            target_type="email",
            target_id=email,
            data={"purpose": purpose},
            request=request,
        )
    elif result.outcome is not CheckOutcome.BAD_FORMAT:
        record(
            verb=AccountsVerb.CODE_FAILED,
            target_type="email",
            target_id=email,
            data={"purpose": purpose, "outcome": result.outcome.value},
            request=request,
        )
    return result
