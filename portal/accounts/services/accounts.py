"""Account life cycle: sign-up, sign-in, second factors, passwords, recovery.

Every function here writes its audit event in the same transaction and never passes a
code, password or secret to the audit log, a log line or an email subject.
"""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import clock
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.browser_cookies import recognised_for
from portal.accounts.codes import (
    looks_like_code,
    new_recovery_code,
    normalise_code,
    recovery_code_token,
)
from portal.accounts.errors import AccountsErrorCode
from portal.accounts.models import (
    CodePurpose,
    Passkey,
    ResetRequestStatus,
    SecondFactorResetRequest,
    User,
    normalise_email,
)
from portal.accounts.selectors import SignUpCase, sign_up_eligibility
from portal.accounts.services import throttles
from portal.accounts.services.codes import CodeCheck, IssueOutcome, issue_code
from portal.accounts.services.guessing import (
    Factor,
    check_emailed_code,
    lockout_remaining_for,
    record_sign_in_failure,
    refused_for_waiting,
    wait_before_guess,
)
from portal.accounts.services.signed_in import end_all_sessions
from portal.accounts.services.throttles import client_ip, ip_allows
from portal.audit.services import record
from portal.emails.services import queue_email
from portal.errors import ServiceError

logger = logging.getLogger(__name__)


class CodeRequestOutcome(enum.Enum):
    SENT = "sent"
    TOO_SOON = "too_soon"
    TOO_MANY = "too_many"
    IP_LIMITED = "ip_limited"


@dataclass(frozen=True)
class CodeRequest:
    outcome: CodeRequestOutcome
    retry_after: int = 0


def _issue(
    purpose: str,
    email: str,
    *,
    started: AccountsVerb | None = None,
    request: HttpRequest | None = None,
) -> tuple[CodeRequest, str]:
    """Issue a code (within the resend limits), auditing the journey `started` if given."""
    issued = issue_code(purpose=purpose, email=email)
    outcome = {
        IssueOutcome.ISSUED: CodeRequestOutcome.SENT,
        IssueOutcome.TOO_SOON: CodeRequestOutcome.TOO_SOON,
        IssueOutcome.TOO_MANY: CodeRequestOutcome.TOO_MANY,
    }[issued.outcome]
    if started is not None:
        record(
            verb=started,
            target_type="email",
            target_id=email,
            data={"outcome": outcome.value},
            request=request,
        )
    return CodeRequest(outcome, issued.retry_after), issued.code


def _request_code(
    *, email: str, request: HttpRequest, send: Callable[..., CodeRequest]
) -> CodeRequest:
    """The per-IP cap, then `send` in one quick transaction."""
    email = normalise_email(email)
    # Counted in its own statement, outside the transaction below: the per-IP counter row is
    # shared by everyone behind one address and must not stay locked while we work.
    if not ip_allows(request, "code-request", settings.ACCOUNT_CODE_REQUESTS_PER_IP).allowed:
        record(verb=AccountsVerb.RATE_LIMITED, data={"scope": "code-request"}, request=request)
        return CodeRequest(CodeRequestOutcome.IP_LIMITED)
    with transaction.atomic():
        throttles.commit_without_waiting_for_disk()
        return send(email=email, request=request)


# --- Sign-up ---------------------------------------------------------------------------

_SIGN_UP_TEMPLATES = {
    SignUpCase.ELIGIBLE: "sign_up_code",
    SignUpCase.SHARED_EMAIL: "sign_up_shared_email",
    SignUpCase.NOT_REGISTERED: "sign_up_not_registered",
    SignUpCase.NO_LIVE_ROLE: "sign_up_no_live_role",
    SignUpCase.HAS_ACCOUNT: "sign_up_has_account",
    SignUpCase.INVITED: "sign_up_code",
}


def request_sign_up_code(*, email: str, request: HttpRequest) -> CodeRequest:
    """Send the email that tells this address what happens next.

    Whatever the register says, the same work is done and the same page follows: a code is
    issued (so resend limits and tries behave identically) but only an eligible address is
    told it. The other cases get an email explaining why, and what to do.
    """
    return _request_code(email=email, request=request, send=_send_sign_up_email)


def _send_sign_up_email(*, email: str, request: HttpRequest) -> CodeRequest:
    outcome, code = _issue(
        CodePurpose.SIGN_UP, email, started=AccountsVerb.SIGN_UP_STARTED, request=request
    )
    if outcome.outcome is not CodeRequestOutcome.SENT:
        return outcome
    eligibility = sign_up_eligibility(email)
    context: dict[str, Any] = {"email": email, "case": eligibility.case.value}
    if eligibility.may_sign_up:
        context["code"] = code
        context["lifetime_minutes"] = settings.ACCOUNT_CODE_LIFETIME_SECONDS // 60
        context["invited_to"] = eligibility.invited_to
    elif eligibility.case is SignUpCase.SHARED_EMAIL:
        context["holders"] = eligibility.shared_with
    queue_email(
        to=email, template=_SIGN_UP_TEMPLATES[eligibility.case], context=context, priority=True
    )
    record(
        verb=AccountsVerb.CODE_SENT,
        target_type="email",
        target_id=email,
        data={"purpose": CodePurpose.SIGN_UP, "case": eligibility.case.value},
        request=request,
    )
    return outcome


def verify_sign_up_code(*, email: str, raw_code: str, request: HttpRequest) -> CodeCheck:
    return check_emailed_code(
        purpose=CodePurpose.SIGN_UP,
        email=normalise_email(email),
        raw_code=raw_code,
        request=request,
    )


class AccountNotCreated(ServiceError):
    def __init__(self, case: SignUpCase):
        super().__init__(
            AccountsErrorCode.SIGN_UP_NOT_ELIGIBLE,
            "An account cannot be created with this email address",
            field="email",
        )
        self.case = case


@transaction.atomic
def create_account(*, email: str, password: str, request: HttpRequest, full_name: str = "") -> User:
    """Create the account for a proven, eligible address (eligibility is checked again here:
    the register may have changed since the code was sent). The name is the register's, or
    `full_name` for someone the register does not hold (invited by a provider)."""
    email = normalise_email(email)
    throttles.serialise_on(f"create-account:{email}")
    eligibility = sign_up_eligibility(email)
    if not eligibility.may_sign_up:
        raise AccountNotCreated(eligibility.case)
    person = eligibility.person
    user = User.objects.create_user(
        email,
        password,
        person=person,
        full_name=(
            " ".join(p for p in (person.given_name, person.family_name) if p)
            if person
            else full_name
        ),
    )
    record(
        verb=AccountsVerb.ACCOUNT_CREATED,
        actor=user,
        target=user,
        data={"case": eligibility.case.value},
        request=request,
    )
    if eligibility.case is SignUpCase.INVITED:
        # The emailed code proved the address the invitations were sent to.
        from portal.organisations.invitation_services import accept_invitations_for_new_account

        accept_invitations_for_new_account(user=user, request=request)
    return user


# --- Sign-in ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password("a password nobody has, checked so unknown emails take as long")


class SignInOutcome(enum.Enum):
    PASSWORD_OK = "password_ok"  # noqa: S105 (an outcome's name, not a password)
    WRONG = "wrong"
    BLOCKED = "blocked"
    IP_LIMITED = "ip_limited"


@dataclass(frozen=True)
class SignInAttempt:
    outcome: SignInOutcome
    user: User | None = None
    retry_after: int = 0
    everywhere: bool = False  # BLOCKED for every source, not just this one


def check_password_step(*, email: str, password: str, request: HttpRequest) -> SignInAttempt:
    """First step of sign-in. Unknown emails cost the same Argon2 work as known ones."""
    email = normalise_email(email)
    if not ip_allows(request, "sign-in", settings.ACCOUNT_SIGN_INS_PER_IP).allowed:
        record(verb=AccountsVerb.RATE_LIMITED, data={"scope": "sign-in"}, request=request)
        return SignInAttempt(SignInOutcome.IP_LIMITED)
    blocked_for = lockout_remaining_for(email, request)
    if blocked_for:
        record(
            verb=AccountsVerb.SIGN_IN_REFUSED_LOCKED,
            actor_label=email[:320] or "unknown",
            request=request,
        )
        return SignInAttempt(SignInOutcome.BLOCKED, retry_after=blocked_for)
    user = User.objects.filter(email=email).first()
    with transaction.atomic():
        wait = wait_before_guess(
            factor=Factor.PASSWORD, email=email, recognised=recognised_for(request, email=email)
        )
        if wait:
            refused_for_waiting(factor=Factor.PASSWORD, email=email, request=request)
            return SignInAttempt(SignInOutcome.BLOCKED, retry_after=wait, everywhere=True)
        if user is None:
            check_password(password, _dummy_hash())
            valid = False
        else:
            valid = user.check_password(password) and user.is_active
        if not valid or user is None:
            record_sign_in_failure(email=email, step="password", request=request)
            return SignInAttempt(SignInOutcome.WRONG)
    record(verb=AccountsVerb.PASSWORD_ACCEPTED, actor=user, target=user, request=request)
    return SignInAttempt(SignInOutcome.PASSWORD_OK, user=user)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0


class FactorOutcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class FactorCheck:
    outcome: FactorOutcome
    retry_after: int = 0
    everywhere: bool = False  # BLOCKED for every source, not just this one


def check_second_factor(*, user: User, method: str, code: str, request: HttpRequest) -> FactorCheck:
    """Second step: a TOTP code (±1 step, never the same step twice) or a recovery code
    (single use). Failures count toward the same account-and-source block as passwords,
    and toward the account's own wait (services/guessing.py)."""
    blocked_for = lockout_remaining_for(user.email, request)
    if blocked_for:
        return FactorCheck(FactorOutcome.BLOCKED, retry_after=blocked_for)
    with transaction.atomic():
        wait = wait_before_guess(
            factor=Factor.SECOND_FACTOR,
            email=user.email,
            recognised=recognised_for(request, email=user.email),
        )
        if wait:
            refused_for_waiting(factor=Factor.SECOND_FACTOR, email=user.email, request=request)
            return FactorCheck(FactorOutcome.BLOCKED, retry_after=wait, everywhere=True)
        accepted = False
        if method == "totp":
            device = (
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
            typed = normalise_code(code)
            accepted = device is not None and looks_like_code(typed) and device.verify_token(typed)
        else:
            static = (
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
            accepted = static is not None and static.verify_token(recovery_code_token(code))
        if accepted:
            throttles.clear_failures(account=user.email, source=client_ip(request))
            record(
                verb=AccountsVerb.SIGNED_IN,
                actor=user,
                target=user,
                data={"method": method},
                request=request,
            )
            if method == "recovery":
                queue_email(
                    to=user.email,
                    template="recovery_code_used",
                    context={"codes_left": recovery_codes_left(user)},
                )
            return FactorCheck(FactorOutcome.ACCEPTED)
        record_sign_in_failure(email=user.email, step=method, request=request)
    return FactorCheck(FactorOutcome.WRONG)


# --- Second factors ---------------------------------------------------------------------


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user to scan. Replaces any earlier
    unconfirmed one; the confirmed one (if any) keeps working until the new one is proven."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False, tolerance=1
    )


@transaction.atomic
def confirm_totp(*, user: User, device_id: int, code: str, request: HttpRequest) -> bool:
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, id=device_id, confirmed=False)
        .first()
    )
    typed = normalise_code(code)
    if device is None or not looks_like_code(typed) or not device.verify_token(typed):
        record(
            verb=AccountsVerb.SECOND_FACTOR_SETUP_FAILED, actor=user, target=user, request=request
        )
        return False
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        verb=AccountsVerb.SECOND_FACTOR_CHANGED if replacing else AccountsVerb.SECOND_FACTOR_ADDED,
        actor=user,
        target=user,
        data={"method": "totp"},
        request=request,
    )
    queue_email(
        to=user.email,
        template="second_factor_changed",
        context={"replacing": replacing},
    )
    return True


@transaction.atomic
def new_recovery_codes(*, user: User, request: HttpRequest, notify: bool = True) -> list[str]:
    """Ten fresh recovery codes; all earlier ones stop working. Returned once, to show once:
    only keyed hashes are stored."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [new_recovery_code() for _ in range(settings.ACCOUNT_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_code_token(code)) for code in codes]
    )
    record(verb=AccountsVerb.RECOVERY_CODES_CREATED, actor=user, target=user, request=request)
    if notify:
        queue_email(to=user.email, template="recovery_codes_changed", context={})
    return codes


# --- Passwords ----------------------------------------------------------------------------


@transaction.atomic
def change_password(
    *, user: User, current_password: str, new_password: str, request: HttpRequest
) -> bool:
    if not user.check_password(current_password):
        record(verb=AccountsVerb.PASSWORD_CHANGE_FAILED, actor=user, target=user, request=request)
        return False
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(verb=AccountsVerb.PASSWORD_CHANGED, actor=user, target=user, request=request)
    queue_email(to=user.email, template="password_changed", context={"how": "changed"})
    return True


def request_password_reset_code(*, email: str, request: HttpRequest) -> CodeRequest:
    """Like sign-up: identical for every address; the email says what applies."""
    return _request_code(email=email, request=request, send=_send_reset_email)


def _send_reset_email(*, email: str, request: HttpRequest) -> CodeRequest:
    outcome, code = _issue(
        CodePurpose.PASSWORD_RESET,
        email,
        started=AccountsVerb.PASSWORD_RESET_STARTED,
        request=request,
    )
    if outcome.outcome is not CodeRequestOutcome.SENT:
        return outcome
    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None:
        queue_email(
            to=email,
            template="password_reset_code",
            context={
                "code": code,
                "lifetime_minutes": settings.ACCOUNT_CODE_LIFETIME_SECONDS // 60,
            },
            priority=True,
        )
    else:
        queue_email(to=email, template="password_reset_no_account", context={}, priority=True)
    record(
        verb=AccountsVerb.CODE_SENT,
        target_type="email",
        target_id=email,
        data={"purpose": CodePurpose.PASSWORD_RESET, "account": user is not None},
        request=request,
    )
    return outcome


def verify_password_reset_code(*, email: str, raw_code: str, request: HttpRequest) -> CodeCheck:
    email = normalise_email(email)
    return check_emailed_code(
        purpose=CodePurpose.PASSWORD_RESET,
        email=email,
        raw_code=raw_code,
        request=request,
        recognised=recognised_for(request, email=email),
    )


@transaction.atomic
def reset_password(*, email: str, new_password: str, request: HttpRequest) -> User | None:
    """Set a new password after a proven reset code. Gives no session: signing in still
    needs the password and the second factor. Other sessions end (Django checks the
    password hash on every request)."""
    user = User.objects.select_for_update().filter(email=normalise_email(email)).first()
    if user is None or not user.is_active:
        return None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(verb=AccountsVerb.PASSWORD_RESET, actor=user, target=user, request=request)
    _sign_out_everywhere(user=user, request=request, reason="password reset")
    queue_email(to=user.email, template="password_changed", context={"how": "reset"})
    return user


# --- Lost second factor: staff-approved reset ------------------------------------------------


@transaction.atomic
def request_factor_reset_code(*, user: User, request: HttpRequest) -> CodeRequest:
    outcome, code = _issue(CodePurpose.SECOND_FACTOR_RESET, user.email)
    if outcome.outcome is CodeRequestOutcome.SENT:
        queue_email(
            to=user.email,
            template="second_factor_reset_code",
            context={
                "code": code,
                "lifetime_minutes": settings.ACCOUNT_CODE_LIFETIME_SECONDS // 60,
            },
            priority=True,
        )
        record(
            verb=AccountsVerb.CODE_SENT,
            actor_label=user.email,
            target=user,
            data={"purpose": CodePurpose.SECOND_FACTOR_RESET},
            request=request,
        )
    return outcome


def verify_factor_reset_code(*, user: User, raw_code: str, request: HttpRequest) -> CodeCheck:
    return check_emailed_code(
        purpose=CodePurpose.SECOND_FACTOR_RESET,
        email=user.email,
        raw_code=raw_code,
        request=request,
        recognised=recognised_for(request, email=user.email),
    )


@transaction.atomic
def ask_for_factor_reset(
    *, user: User, explanation: str, request: HttpRequest
) -> SecondFactorResetRequest:
    existing = SecondFactorResetRequest.objects.filter(
        user=user, status=ResetRequestStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    reset = SecondFactorResetRequest.objects.create(
        user=user, explanation=explanation, created_at=clock.now()
    )
    record(
        verb=AccountsVerb.SECOND_FACTOR_RESET_REQUESTED,
        actor_label=user.email,
        target=reset,
        request=request,
    )
    queue_email(to=user.email, template="second_factor_reset_requested", context={})
    return reset


class AlreadyDecided(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            AccountsErrorCode.FACTOR_RESET_ALREADY_DECIDED,
            "Someone else decided this request first",
        )


@transaction.atomic
def decide_factor_reset(
    *, reset_id: int, approve: bool, reason: str, staff: User, request: HttpRequest
) -> SecondFactorResetRequest:
    reset = SecondFactorResetRequest.objects.select_for_update().get(id=reset_id)
    if reset.status != ResetRequestStatus.PENDING:
        raise AlreadyDecided()
    reset.status = ResetRequestStatus.APPROVED if approve else ResetRequestStatus.REFUSED
    reset.decided_at = clock.now()
    reset.decided_by = staff
    reset.decision_reason = reason
    reset.save()
    if approve:
        TOTPDevice.objects.filter(user=reset.user).delete()
        StaticDevice.objects.filter(user=reset.user).delete()
        Passkey.objects.filter(user=reset.user).delete()
        _sign_out_everywhere(user=reset.user, request=request, reason="second factor reset")
    record(
        verb=(
            AccountsVerb.SECOND_FACTOR_RESET_APPROVED
            if approve
            else AccountsVerb.SECOND_FACTOR_RESET_REFUSED
        ),
        actor=staff,
        target=reset,
        data={"user": reset.user.email},
        request=request,
    )
    queue_email(
        to=reset.user.email,
        template="second_factor_reset_decided",
        context={"approved": approve, "reason": reason},
    )
    return reset


def _sign_out_everywhere(*, user: User, request: HttpRequest, reason: str) -> None:
    end_all_sessions(user=user, request=request, reason=reason)
