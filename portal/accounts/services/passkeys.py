"""Passkeys (WebAuthn) as a second factor: add one, sign in with one, remove one.

The cryptography is py_webauthn's; this module decides what is allowed. Each ceremony's
challenge lives in a `PasskeyChallenge` row that is deleted as it is used, so an answer can
be used once, and of two identical answers sent together exactly one succeeds.
"""

import dataclasses
import datetime as dt
import enum
import logging
import secrets
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import webauthn
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from webauthn.helpers import (
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)
from webauthn.registration.verify_registration_response import VerifiedRegistration

from portal.accounts import clock
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.errors import AccountsErrorCode
from portal.accounts.models import Passkey, PasskeyCeremony, PasskeyChallenge, User
from portal.accounts.services import throttles
from portal.accounts.services.guessing import lockout_remaining_for, record_sign_in_failure
from portal.accounts.services.throttles import client_ip
from portal.audit.services import record
from portal.emails.services import queue_email
from portal.errors import ServiceError

logger = logging.getLogger(__name__)
Parsed = TypeVar("Parsed")

# A browser's answer is a few kilobytes; anything far larger is not one.
MAX_RESPONSE_CHARS = 64 * 1024


@dataclasses.dataclass(frozen=True)
class RelyingParty:
    """Who the passkeys are for: WebAuthn binds every credential to this ID and origin."""

    id: str
    name: str
    origins: list[str]


def relying_party(request: HttpRequest) -> RelyingParty:
    host = request.get_host()  # already checked against ALLOWED_HOSTS
    scheme = "https" if request.is_secure() else "http"
    rp_id = settings.PASSKEY_RP_ID or (urlsplit(f"//{host}").hostname or host)
    origins = list(settings.PASSKEY_ORIGINS) or [f"{scheme}://{host}"]
    return RelyingParty(id=rp_id, name=settings.OTP_TOTP_ISSUER, origins=origins)


class PasskeyProblem(enum.Enum):
    """Why an answer from the browser was not accepted: its error code, and a message (pages
    word it for where the person is)."""

    # no live challenge: too slow, used already, or never asked
    EXPIRED = AccountsErrorCode.PASSKEY_EXPIRED, "The passkey request timed out. Try again"
    NOT_VERIFIED = AccountsErrorCode.PASSKEY_NOT_VERIFIED, "The passkey could not be checked"
    UNKNOWN_PASSKEY = AccountsErrorCode.PASSKEY_UNKNOWN, "That passkey is not on this account"
    ALREADY_ADDED = AccountsErrorCode.PASSKEY_ALREADY_ADDED, "That passkey is already added"
    TOO_MANY = AccountsErrorCode.PASSKEY_TOO_MANY, "This account has as many passkeys as it can"
    # the signature counter went backwards
    CLONE_SUSPECTED = AccountsErrorCode.PASSKEY_CLONE_SUSPECTED, "That passkey may be a copy"
    # too many failed sign-ins from this source
    BLOCKED = AccountsErrorCode.PASSKEY_BLOCKED, "Too many attempts from your network"


class PasskeyRejected(ServiceError):
    def __init__(self, problem: PasskeyProblem, retry_after: int = 0):
        code, message = problem.value
        super().__init__(code, message)
        self.problem = problem
        self.retry_after = retry_after


def _transports(passkey: Passkey) -> list[AuthenticatorTransport] | None:
    known = {t.value for t in AuthenticatorTransport}
    found = [AuthenticatorTransport(t) for t in passkey.transports if t in known]
    return found or None


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=webauthn.base64url_to_bytes(p.credential_id), transports=_transports(p)
        )
        for p in Passkey.objects.filter(user=user)
    ]


def _new_challenge(*, user: User, ceremony: str) -> bytes:
    """A fresh challenge for this user and ceremony; any earlier unanswered one is void."""
    now = clock.now()
    PasskeyChallenge.objects.filter(user=user, ceremony=ceremony).delete()
    challenge = secrets.token_bytes(32)
    PasskeyChallenge.objects.create(
        user=user,
        ceremony=ceremony,
        challenge=challenge,
        created_at=now,
        # A minute's grace beyond the browser's own timeout, for the round trip.
        expires_at=now + dt.timedelta(seconds=settings.PASSKEY_TIMEOUT_SECONDS + 60),
    )
    return challenge


@transaction.atomic
def _use_challenge(*, user: User, ceremony: str) -> bytes:
    """Take the live challenge away (one DELETE, so only one answer can ever use it).

    Committed before the answer is checked: a rejected answer spends the challenge too."""
    row = (
        PasskeyChallenge.objects.select_for_update()
        .filter(user=user, ceremony=ceremony, expires_at__gt=clock.now())
        .order_by("-created_at")
        .first()
    )
    if row is None:
        raise PasskeyRejected(PasskeyProblem.EXPIRED)
    deleted, _ = PasskeyChallenge.objects.filter(id=row.id).delete()
    if not deleted:
        raise PasskeyRejected(PasskeyProblem.EXPIRED)
    return bytes(row.challenge)


def _parsed(parse: Callable[[str], Parsed], response_json: str) -> Parsed:
    """The browser's answer read by py_webauthn's own parser; anything unreadable is refused."""
    try:
        return parse(response_json)
    except Exception as error:  # any malformed answer, whatever the library raises
        raise PasskeyRejected(PasskeyProblem.NOT_VERIFIED) from error


def _check_size(response_json: str) -> None:
    """Refuse what cannot be a browser's answer before spending any work on it."""
    if not response_json or len(response_json) > MAX_RESPONSE_CHARS:
        raise PasskeyRejected(PasskeyProblem.NOT_VERIFIED)


# --- Adding a passkey -------------------------------------------------------------------------


@transaction.atomic
def registration_options(*, user: User, rp: RelyingParty) -> str:
    """Options for navigator.credentials.create(), as JSON for the page."""
    if user.passkey_user_handle is None:
        user.passkey_user_handle = secrets.token_bytes(32)
        user.save(update_fields=["passkey_user_handle"])
    challenge = _new_challenge(user=user, ceremony=PasskeyCeremony.REGISTER)
    options = webauthn.generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=bytes(user.passkey_user_handle),
        user_name=user.email,
        user_display_name=user.full_name or user.email,
        challenge=challenge,
        timeout=settings.PASSKEY_TIMEOUT_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        # The browser refuses to make a second passkey on an authenticator that has one.
        exclude_credentials=_descriptors(user),
    )
    return webauthn.options_to_json(options)


def add_passkey(
    *, user: User, name: str, response_json: str, rp: RelyingParty, request: HttpRequest
) -> Passkey:
    """Check the browser's answer to the registration options and keep the public key."""
    challenge = _use_challenge(user=user, ceremony=PasskeyCeremony.REGISTER)
    _check_size(response_json)
    credential = _parsed(parse_registration_credential_json, response_json)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origins,
        )
    except Exception as error:  # any failure to verify, whatever the library raises
        logger.info("Passkey registration not verified: %s", type(error).__name__)
        record(
            verb=AccountsVerb.PASSKEY_ADD_FAILED,
            actor=user,
            target=user,
            data={"reason": type(error).__name__},
            request=request,
        )
        raise PasskeyRejected(PasskeyProblem.NOT_VERIFIED) from error
    return _keep_passkey(
        user=user,
        name=name,
        verified=verified,
        transports=[t.value for t in credential.response.transports or []][:8],
        request=request,
    )


@transaction.atomic
def _keep_passkey(
    *,
    user: User,
    name: str,
    verified: VerifiedRegistration,
    transports: list[str],
    request: HttpRequest,
) -> Passkey:
    # The user's row lock makes the count check hold against two additions at once.
    User.objects.select_for_update().filter(id=user.id).first()
    if Passkey.objects.filter(user=user).count() >= settings.PASSKEYS_PER_ACCOUNT:
        raise PasskeyRejected(PasskeyProblem.TOO_MANY)
    credential_id = bytes_to_base64url(verified.credential_id)
    if len(verified.credential_id) > 1023:  # WebAuthn's limit; no real authenticator exceeds it
        raise PasskeyRejected(PasskeyProblem.NOT_VERIFIED)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyRejected(PasskeyProblem.ALREADY_ADDED)
    passkey = Passkey.objects.create(
        user=user,
        name=name,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        aaguid=verified.aaguid,
        transports=transports,
        backed_up=verified.credential_backed_up,
        created_at=clock.now(),
    )
    record(
        verb=AccountsVerb.PASSKEY_ADDED,
        actor=user,
        target=user,
        data={"passkey": passkey.id, "name": name},
        request=request,
    )
    queue_email(to=user.email, template="passkey_changed", context={"added": True, "name": name})
    return passkey


# --- Signing in with a passkey ----------------------------------------------------------------


def has_passkeys(user: User) -> bool:
    return Passkey.objects.filter(user=user).exists()


@transaction.atomic
def authentication_options(*, user: User, rp: RelyingParty) -> str:
    """Options for navigator.credentials.get(), limited to this account's passkeys."""
    challenge = _new_challenge(user=user, ceremony=PasskeyCeremony.AUTHENTICATE)
    options = webauthn.generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=settings.PASSKEY_TIMEOUT_SECONDS * 1000,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return webauthn.options_to_json(options)


def check_passkey(
    *, user: User, response_json: str, rp: RelyingParty, request: HttpRequest
) -> Passkey:
    """The second sign-in step with a passkey. Failures count toward the same
    account-and-source block as wrong passwords and codes."""
    blocked_for = lockout_remaining_for(user.email, request)
    if blocked_for:
        raise PasskeyRejected(PasskeyProblem.BLOCKED, retry_after=blocked_for)
    try:
        challenge = _use_challenge(user=user, ceremony=PasskeyCeremony.AUTHENTICATE)
        _check_size(response_json)
        with transaction.atomic():
            passkey = _verify_assertion(
                user=user, challenge=challenge, response_json=response_json, rp=rp
            )
            throttles.clear_failures(account=user.email, source=client_ip(request))
            record(
                verb=AccountsVerb.SIGNED_IN,
                actor=user,
                target=user,
                data={"method": "passkey", "passkey": passkey.id},
                request=request,
            )
            return passkey
    except PasskeyRejected as rejected:
        if rejected.problem is PasskeyProblem.CLONE_SUSPECTED:
            record(
                verb=AccountsVerb.PASSKEY_CLONE_SUSPECTED,
                actor=user,
                target=user,
                request=request,
            )
        # An expired or already-used challenge is not a guess at a secret: no failure.
        if rejected.problem is not PasskeyProblem.EXPIRED:
            record_sign_in_failure(email=user.email, step="passkey", request=request)
        raise


def _verify_assertion(
    *, user: User, challenge: bytes, response_json: str, rp: RelyingParty
) -> Passkey:
    credential = _parsed(parse_authentication_credential_json, response_json)
    credential_id = bytes_to_base64url(credential.raw_id)
    found = (
        Passkey.objects.select_for_update().filter(user=user, credential_id=credential_id).first()
    )
    if found is None:
        raise PasskeyRejected(PasskeyProblem.UNKNOWN_PASSKEY)
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origins,
            credential_public_key=bytes(found.public_key),
            # The counter is compared below, once the signature is known to be genuine.
            credential_current_sign_count=0,
        )
    except Exception as error:  # any failure to verify, whatever the library raises
        logger.info("Passkey sign-in not verified: %s", type(error).__name__)
        raise PasskeyRejected(PasskeyProblem.NOT_VERIFIED) from error
    counts = verified.new_sign_count > 0 or found.sign_count > 0
    if counts and verified.new_sign_count <= found.sign_count:
        # A genuine signature with a counter that did not go up: two copies of the key exist.
        raise PasskeyRejected(PasskeyProblem.CLONE_SUSPECTED)
    found.sign_count = verified.new_sign_count
    found.backed_up = verified.credential_backed_up
    found.last_used_at = clock.now()
    found.save(update_fields=["sign_count", "backed_up", "last_used_at"])
    return found


# --- Managing passkeys ------------------------------------------------------------------------


@transaction.atomic
def remove_passkey(*, user: User, passkey_id: int, request: HttpRequest) -> Passkey | None:
    passkey = Passkey.objects.select_for_update().filter(user=user, id=passkey_id).first()
    if passkey is None:
        return None
    passkey.delete()
    record(
        verb=AccountsVerb.PASSKEY_REMOVED,
        actor=user,
        target=user,
        data={"passkey": passkey_id, "name": passkey.name},
        request=request,
    )
    queue_email(
        to=user.email, template="passkey_changed", context={"added": False, "name": passkey.name}
    )
    return passkey


def forget_expired_challenges() -> int:
    deleted, _ = PasskeyChallenge.objects.filter(expires_at__lt=clock.now()).delete()
    return deleted
