"""Emailed codes: issue (with resend and issue limits) and check (single use, 5 wrong tries).

Rules (DESIGN.md "Security parameters"): 6 digits from `secrets`, stored as an HMAC bound
to purpose and address, 15 minutes, single use, a new code voids older ones, 5 wrong tries
void the code, a new code at most every 60 s and at most 5 per 15 minutes per address.
"""

import datetime as dt
import enum
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from portal.accounts import clock
from portal.accounts.codes import code_hmac, looks_like_code, new_code, normalise_code, same
from portal.accounts.models import CodeStatus, EmailCode
from portal.accounts.services.throttles import serialise_on


class IssueOutcome(enum.Enum):
    ISSUED = "issued"
    TOO_SOON = "too_soon"  # within 60 s of the last code
    TOO_MANY = "too_many"  # 5 codes in the last 15 minutes


@dataclass(frozen=True)
class IssuedCode:
    outcome: IssueOutcome
    code: str = ""  # only when issued; goes into the email and nowhere else
    retry_after: int = 0


class CheckOutcome(enum.Enum):
    ACCEPTED = "accepted"
    BAD_FORMAT = "bad_format"
    WRONG = "wrong"
    REPLACED = "replaced"  # an older code that a newer one voided
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY_TRIES = "too_many_tries"
    NONE_SENT = "none_sent"
    WAIT = "wait"  # too many wrong codes for this address lately (services/guessing.py)


@dataclass(frozen=True)
class CodeCheck:
    outcome: CheckOutcome
    tries_left: int = 0
    retry_after: int = 0  # seconds, for WAIT
    wrong_guess: bool = False  # compared with the code and found wrong (a try used up)

    @property
    def accepted(self) -> bool:
        return self.outcome is CheckOutcome.ACCEPTED


def issue_code(*, purpose: str, email: str) -> IssuedCode:
    # No savepoint: callers run this inside their own transaction, and if that fails the
    # code must vanish with it anyway.
    with transaction.atomic(savepoint=False):
        return _issue_code(purpose=purpose, email=email)


def _issue_code(*, purpose: str, email: str) -> IssuedCode:
    serialise_on(f"email-code:{purpose}:{email}")
    moment = clock.now()
    window_start = moment - dt.timedelta(seconds=settings.ACCOUNT_RATE_WINDOW_SECONDS)
    recent = list(
        EmailCode.objects.filter(purpose=purpose, email=email, created_at__gt=window_start)
        .order_by("-created_at")
        .values_list("created_at", "status")
    )
    resend_after = dt.timedelta(seconds=settings.ACCOUNT_CODE_RESEND_SECONDS)
    if recent and recent[0][0] + resend_after > moment:
        wait = (recent[0][0] + resend_after - moment).total_seconds()
        return IssuedCode(IssueOutcome.TOO_SOON, retry_after=max(1, math.ceil(wait)))
    if len(recent) >= settings.ACCOUNT_CODES_PER_ADDRESS:
        frees_at = recent[-1][0] + dt.timedelta(seconds=settings.ACCOUNT_RATE_WINDOW_SECONDS)
        wait = (frees_at - moment).total_seconds()
        return IssuedCode(IssueOutcome.TOO_MANY, retry_after=max(1, math.ceil(wait)))
    # Codes live no longer than the window, so an active code is always among the recent.
    if any(status == CodeStatus.ACTIVE for _, status in recent):
        EmailCode.objects.filter(purpose=purpose, email=email, status=CodeStatus.ACTIVE).update(
            status=CodeStatus.VOIDED
        )
    code = new_code()
    EmailCode.objects.create(
        purpose=purpose,
        email=email,
        code_hmac=code_hmac(purpose=purpose, email=email, code=code),
        created_at=moment,
        expires_at=moment + dt.timedelta(seconds=settings.ACCOUNT_CODE_LIFETIME_SECONDS),
    )
    return IssuedCode(IssueOutcome.ISSUED, code=code)


@transaction.atomic
def check_code(*, purpose: str, email: str, raw_code: str) -> CodeCheck:
    """Check a typed code against the newest code for this purpose and address.

    The row is locked while it is checked, so of two simultaneous submissions of the right
    code exactly one is accepted; the other finds it used.
    """
    typed = normalise_code(raw_code)
    if not looks_like_code(typed):
        return CodeCheck(CheckOutcome.BAD_FORMAT)
    latest = (
        EmailCode.objects.select_for_update()
        .filter(purpose=purpose, email=email)
        .order_by("-created_at")
        .first()
    )
    if latest is None:
        return CodeCheck(CheckOutcome.NONE_SENT)
    typed_hmac = code_hmac(purpose=purpose, email=email, code=typed)
    if latest.status == CodeStatus.USED:
        return CodeCheck(CheckOutcome.USED)
    if latest.status == CodeStatus.EXHAUSTED:
        return CodeCheck(CheckOutcome.TOO_MANY_TRIES)
    if latest.expires_at <= clock.now():
        return CodeCheck(CheckOutcome.EXPIRED)
    if same(latest.code_hmac, typed_hmac):
        latest.status = CodeStatus.USED
        latest.used_at = clock.now()
        latest.save(update_fields=["status", "used_at"])
        return CodeCheck(CheckOutcome.ACCEPTED)
    replaced = EmailCode.objects.filter(
        purpose=purpose, email=email, status=CodeStatus.VOIDED, code_hmac=typed_hmac
    ).exists()
    if replaced:
        return CodeCheck(CheckOutcome.REPLACED)
    latest.wrong_tries += 1
    if latest.wrong_tries >= settings.ACCOUNT_CODE_MAX_WRONG_TRIES:
        latest.status = CodeStatus.EXHAUSTED
    latest.save(update_fields=["wrong_tries", "status"])
    if latest.status == CodeStatus.EXHAUSTED:
        return CodeCheck(CheckOutcome.TOO_MANY_TRIES, wrong_guess=True)
    return CodeCheck(
        CheckOutcome.WRONG,
        tries_left=settings.ACCOUNT_CODE_MAX_WRONG_TRIES - latest.wrong_tries,
        wrong_guess=True,
    )


def forget_old_codes() -> int:
    """Codes are useless after a day; keep the table small."""
    cutoff = clock.now() - dt.timedelta(days=1)
    deleted, _ = EmailCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted
