"""A sign-in address someone else asked to change moves only when its owner confirms it.

Regulator staff accepting a change of contact details (a colleague's form) must not be
enough to move an account to an address the account's owner may never have seen: whoever
controls the new address could then reset the password. So, for a registered person who has
an account, `portal.register.services.change_person_email` calls `ask_owner_to_confirm`:
- the account keeps its address, and a code (purpose "email_change", bound to the new
  address, with the usual lifetime, tries and resend limits) is emailed to the new address;
- the owner, signed in with their current address, enters it on the confirm page; only
  then do the account and the register record move, and both addresses are told;
- the old address is told at once, with a link that stops the change without signing in
  (so it works even if nothing else was touched); a stopped change cannot be confirmed;
- a change not confirmed within settings.ACCOUNT_EMAIL_CHANGE_VALID_DAYS lapses (the
  worker's sweep): the owner is told, and the address stays as it was.
However a change ends (confirmed, stopped, lapsed), whatever asked for it (its `source`, a
notification's reference) is told through the reactions registered with
`when_email_change_ends` (notifications registers one; accounts never imports it).
"""

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from portal.access import Principal
from portal.accounts import clock
from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.codes import keyed_hash
from portal.accounts.errors import AccountsErrorCode
from portal.accounts.models import (
    CodePurpose,
    CodeStatus,
    EmailChange,
    EmailChangeStatus,
    EmailCode,
    User,
    normalise_email,
)
from portal.accounts.services.codes import (
    CodeCheck,
    IssuedCode,
    IssueOutcome,
    check_code,
    issue_code,
)
from portal.audit.services import record
from portal.emails.services import queue_email
from portal.errors import ServiceError
from portal.register.services import EmailChangeAsked, change_person_email

PURPOSE = CodePurpose.EMAIL_CHANGE


class EmailChangeError(ServiceError):
    """The change cannot go ahead; the message is for the account's owner."""

    def __init__(self, code: AccountsErrorCode, message: str) -> None:
        super().__init__(code, message, field="code")


def _none_waiting() -> EmailChangeError:
    return EmailChangeError(
        AccountsErrorCode.EMAIL_CHANGE_NONE_WAITING,
        "No new email address is waiting for you to confirm",
    )


def _stop_token_hmac(token: str) -> str:
    return keyed_hash("email-change-stop", token)


def _link(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _taken_by_another(email: str, user: User) -> bool:
    return User.objects.filter(email=email).exclude(pk=user.pk).exists()


def waiting_change(user: Principal | None) -> EmailChange | None:
    """The change waiting for this account's owner to confirm, if any."""
    if user is None or not user.is_authenticated:
        return None
    return EmailChange.objects.filter(user_id=user.pk, status=EmailChangeStatus.WAITING).first()


def change_for_stop_token(token: str) -> EmailChange | None:
    """The change a "stop this" link points at (reading only: GET never stops it)."""
    if not token or len(token) > 100:
        return None
    return (
        EmailChange.objects.select_related("user")
        .filter(stop_token_hmac=_stop_token_hmac(token))
        .first()
    )


def _send_code(change: EmailChange) -> IssuedCode:
    issued = issue_code(purpose=PURPOSE, email=change.new_email)
    if issued.outcome is IssueOutcome.ISSUED:
        queue_email(
            to=change.new_email,
            template="email_change_code",
            context={
                "code": issued.code,
                "lifetime_minutes": settings.ACCOUNT_CODE_LIFETIME_SECONDS // 60,
                "old_email": change.old_email,
                "confirm_link": _link(reverse("accounts:email_change_confirm")),
            },
            priority=True,
        )
    return issued


@transaction.atomic(savepoint=False)  # part of the staff decision that asks for it
def ask_owner_to_confirm(
    *, user: User, new_email: str, requested_by: User | None, reason: str, source: str = ""
) -> EmailChange | None:
    """Start a change of `user`'s sign-in address that only they can confirm (a newer one
    replaces one still waiting). None when the new address is another account's."""
    user = User.objects.select_for_update().get(pk=user.pk)
    return _ask_locked_owner(
        user=user, new_email=new_email, requested_by=requested_by, reason=reason, source=source
    )


def _ask_locked_owner(
    *, user: User, new_email: str, requested_by: User | None, reason: str, source: str
) -> EmailChange | None:
    """ask_owner_to_confirm, for an account already read under its row lock."""
    new = normalise_email(new_email)
    if _taken_by_another(new, user):
        record(
            verb=AccountsVerb.EMAIL_CHANGE_CONFLICT,
            actor=requested_by,
            target=user,
            data={"new_email": new, "reason": reason},
        )
        return None
    now = clock.now()
    for replaced in EmailChange.objects.select_for_update().filter(
        user=user, status=EmailChangeStatus.WAITING
    ):
        _end(replaced, EmailChangeStatus.REPLACED)
    token = secrets.token_urlsafe(32)
    change = EmailChange.objects.create(
        user=user,
        old_email=user.email,
        new_email=new,
        reason=reason[:300],
        source=source[:60],
        requested_by=requested_by,
        stop_token_hmac=_stop_token_hmac(token),
        created_at=now,
    )
    record(
        verb=AccountsVerb.EMAIL_CHANGE_REQUESTED,
        actor=requested_by,
        target=user,
        data={"old_email": user.email, "new_email": new, "reason": change.reason},
    )
    _send_code(change)
    queue_email(
        to=user.email,
        template="email_change_requested",
        context={
            "old_email": user.email,
            "new_email": new,
            "reason": change.reason,
            "stop_link": _link(reverse("accounts:email_change_stop", kwargs={"token": token})),
        },
        priority=True,
    )
    return change


@transaction.atomic
def send_new_code(*, user: User, request: HttpRequest | None = None) -> IssuedCode:
    change = waiting_change(user)
    if change is None:
        raise _none_waiting()
    issued = _send_code(change)
    record(
        verb=AccountsVerb.CODE_SENT,
        actor=user,
        target=user,
        data={"purpose": PURPOSE, "outcome": issued.outcome.value},
        request=request,
    )
    return issued


@dataclass(frozen=True)
class Confirmation:
    check: CodeCheck
    new_email: str


@transaction.atomic
def confirm(*, user: User, raw_code: str, request: HttpRequest | None = None) -> Confirmation:
    """The signed-in owner enters the code sent to the new address. Only an accepted code
    moves the account (and the register record) to the new address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    change = (
        EmailChange.objects.select_for_update()
        .filter(user=user, status=EmailChangeStatus.WAITING)
        .first()
    )
    if change is None:
        raise _none_waiting()
    check = check_code(purpose=PURPOSE, email=change.new_email, raw_code=raw_code)
    if not check.accepted:
        record(
            verb=AccountsVerb.EMAIL_CHANGE_CODE_REFUSED,
            actor=user,
            target=user,
            data={"outcome": check.outcome.value},
            request=request,
        )
        return Confirmation(check, change.new_email)
    if _taken_by_another(change.new_email, user):
        raise EmailChangeError(
            AccountsErrorCode.EMAIL_CHANGE_ADDRESS_TAKEN,
            f"{change.new_email} is now another account's address, so yours cannot move to it",
        )
    old = user.email
    user.email = change.new_email
    user.save(update_fields=["email"])
    record(
        verb=AccountsVerb.EMAIL_CHANGED,
        actor=user,
        target=user,
        data={"old_email": old, "new_email": user.email, "reason": change.reason},
        request=request,
    )
    for address in (old, user.email):
        queue_email(
            to=address,
            template="email_changed",
            context={"old_email": old, "new_email": user.email},
        )
    if user.person is not None:
        change_person_email(
            person=user.person,
            new_email=user.email,
            actor=user,
            reason=f"{change.reason}, confirmed by the person",
            tell_the_addresses=False,  # told above that the account moved
        )
    _end(change, EmailChangeStatus.CONFIRMED, by=user)
    return Confirmation(check, change.new_email)


@transaction.atomic
def stop(*, token: str, request: HttpRequest | None = None) -> EmailChange | None:
    """The old address's link: stop a waiting change (no sign-in needed). Returns the
    change as it now stands, or None for a link that is not valid."""
    found = change_for_stop_token(token)
    if found is None:
        return None
    change = EmailChange.objects.select_for_update().get(pk=found.pk)
    if change.status != EmailChangeStatus.WAITING:
        return change
    _end(change, EmailChangeStatus.STOPPED)
    record(
        verb=AccountsVerb.EMAIL_CHANGE_STOPPED,
        actor_label=change.old_email,
        target=change.user,
        data={"old_email": change.old_email, "new_email": change.new_email},
        request=request,
    )
    queue_email(
        to=change.old_email,
        template="email_change_stopped",
        context={"old_email": change.old_email, "new_email": change.new_email},
        priority=True,
    )
    return change


@transaction.atomic
def expire_waiting_changes() -> int:
    """End the changes whose owner has not confirmed them in time, telling the owner (run
    by the worker's sweep; a change another worker holds is left to it)."""
    days = settings.ACCOUNT_EMAIL_CHANGE_VALID_DAYS
    lapsed = (
        EmailChange.objects.select_for_update(skip_locked=True)
        .select_related("user")
        .filter(
            status=EmailChangeStatus.WAITING, created_at__lte=clock.now() - dt.timedelta(days=days)
        )
    )
    count = 0
    for change in lapsed:
        _end(change, EmailChangeStatus.EXPIRED)
        record(
            verb=AccountsVerb.EMAIL_CHANGE_EXPIRED,
            target=change.user,
            data={"old_email": change.old_email, "new_email": change.new_email, "days": days},
        )
        queue_email(
            to=change.user.email,
            template="email_change_expired",
            context={"old_email": change.old_email, "new_email": change.new_email, "days": days},
        )
        count += 1
    return count


# What must follow when a change ends, given the change and who ended it (None: the system,
# or the old address's link). Registered at start-up by the packages built on accounts.
EmailChangeEnded = Callable[[EmailChange, User | None], object]
_WHEN_ENDED: list[EmailChangeEnded] = []


def when_email_change_ends(react: EmailChangeEnded) -> None:
    if react not in _WHEN_ENDED:
        _WHEN_ENDED.append(react)


def _end(change: EmailChange, status: EmailChangeStatus, *, by: User | None = None) -> None:
    """Close a locked, waiting change for good: the code sent to the new address stops
    working and whatever asked for the change is told."""
    change.status = status
    change.decided_at = clock.now()
    change.save(update_fields=["status", "decided_at"])
    if status != EmailChangeStatus.CONFIRMED:  # a confirmed change used its code already
        EmailCode.objects.filter(
            purpose=PURPOSE, email=change.new_email, status=CodeStatus.ACTIVE
        ).update(status=CodeStatus.VOIDED)
    for react in _WHEN_ENDED:
        react(change, by)


@transaction.atomic(savepoint=False)  # part of the register change that asks for it
def hold_for_the_owner(asked: EmailChangeAsked) -> bool | None:
    """The register's hold on a change of a person's email (portal.register.services): a
    person with an account confirms a new sign-in address themselves. None for a person
    without an account, or whose account already has the address."""
    # Read and locked in one statement (the change is made under the account's row lock).
    account = User.objects.select_for_update().filter(person=asked.person).first()
    if account is None or account.email == asked.new_email:
        return None
    waiting = _ask_locked_owner(
        user=account,
        new_email=asked.new_email,
        requested_by=asked.actor if isinstance(asked.actor, User) else None,
        reason=asked.reason,
        source=asked.source,
    )
    return waiting is not None
