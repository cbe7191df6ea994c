"""Reads for accounts: who may sign up, what an account may act for."""

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ua_parser
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet

from portal.accounts import clock
from portal.accounts import sessions as session_clock
from portal.accounts.models import (
    Passkey,
    SecondFactorResetRequest,
    SignedInSession,
    User,
    normalise_email,
)
from portal.register.models import Person, RoleAssignment
from portal.register.selectors import people_holding_email


class SignUpCase(enum.Enum):
    ELIGIBLE = "eligible"
    SHARED_EMAIL = "shared_email"  # the register holds this address for different people
    # Not a registered person, or no live sign-up role: may create an account to apply to
    # register (an applicant's account acts on its own applications only, until the register
    # gives it a role). The email says so, and how a registered person finds their address.
    NOT_REGISTERED = "not_registered"
    NO_LIVE_ROLE = "no_live_role"  # on the register, but no live sign-up role
    HAS_ACCOUNT = "has_account"
    # Not a registered person (or no live role), but invited by one to act for a provider:
    # may create an account, which then takes up the invitation (portal.organisations).
    INVITED = "invited"


@dataclass(frozen=True)
class SharedHolder:
    masked_name: str
    providers: list[str]


@dataclass(frozen=True)
class SignUpEligibility:
    case: SignUpCase
    person: Person | None = None
    roles: list[RoleAssignment] = field(default_factory=list)
    shared_with: list[SharedHolder] = field(default_factory=list)
    invited_to: list[str] = field(default_factory=list)

    @property
    def may_sign_up(self) -> bool:
        return self.case in (SignUpCase.ELIGIBLE, SignUpCase.INVITED) or self.as_applicant

    @property
    def as_applicant(self) -> bool:
        """The account would be an applicant's: no register role, no invitation."""
        return self.case in (SignUpCase.NOT_REGISTERED, SignUpCase.NO_LIVE_ROLE)


def invited_to(email: str) -> list[str]:
    """Providers with a pending invitation for this address (when delegation is installed).
    Imported late: organisations builds on accounts, not the other way round."""
    if not apps.is_installed("portal.organisations"):
        return []
    from portal.organisations.services import pending_invitations_for_email

    return sorted({invitation.provider.name for invitation in pending_invitations_for_email(email)})


def _or_invited(result: "SignUpEligibility", email: str) -> "SignUpEligibility":
    providers = invited_to(email)
    if providers:
        return SignUpEligibility(SignUpCase.INVITED, person=result.person, invited_to=providers)
    return result


def mask_name(person: Person) -> str:
    """'Jane Smith' → 'J*** S****': enough for the mailbox's owner to recognise colleagues,
    too little to tell a stranger who is registered."""

    def mask(word: str) -> str:
        return word[:1] + "*" * max(3, len(word) - 1) if word else ""

    return " ".join(mask(part) for part in (person.given_name, person.family_name) if part)


def sign_up_eligibility(email: str) -> SignUpEligibility:
    """What the register says about creating an account with this address (domain.md §1.1).

    Only people with a live role count: someone whose role ended years ago and who once had
    the same address does not stop the current holder signing up.
    """
    normalised = normalise_email(email)
    holders = people_holding_email(normalised)
    # One query for both ways an account can already exist: by address or by person.
    if User.objects.filter(
        Q(email=normalised) | Q(person__in=[holder.person for holder in holders])
    ).exists():
        return SignUpEligibility(SignUpCase.HAS_ACCOUNT)
    if not holders:
        return _or_invited(SignUpEligibility(SignUpCase.NOT_REGISTERED), normalised)
    current = [holder for holder in holders if holder.live_roles]
    if len(current) > 1:
        shared = [
            SharedHolder(
                masked_name=mask_name(holder.person),
                providers=sorted(
                    {f"{r.provider.name} ({r.provider_id})" for r in holder.live_roles}
                ),
            )
            for holder in current
        ]
        return SignUpEligibility(SignUpCase.SHARED_EMAIL, shared_with=shared)
    if not current or not current[0].sign_up_roles:
        # Several former holders of one address: none of them is known to be this person.
        only = current[0] if current else (holders[0] if len(holders) == 1 else None)
        person = only.person if only else None
        return _or_invited(SignUpEligibility(SignUpCase.NO_LIVE_ROLE, person=person), normalised)
    holder = current[0]
    return SignUpEligibility(SignUpCase.ELIGIBLE, person=holder.person, roles=holder.sign_up_roles)


def pending_factor_resets() -> QuerySet[SecondFactorResetRequest]:
    return SecondFactorResetRequest.objects.filter(status="pending").select_related("user")


def factor_reset_by_id(request_id: int) -> SecondFactorResetRequest | None:
    return (
        SecondFactorResetRequest.objects.select_related("user", "decided_by")
        .filter(id=request_id)
        .first()
    )


def passkeys_of(user: User) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user))


def passkey_count(user: User) -> int:
    return Passkey.objects.filter(user=user).count()


def passkey_of(user: User, passkey_id: int) -> Passkey | None:
    """One of the user's own passkeys (None for anyone else's)."""
    return Passkey.objects.filter(user=user, id=passkey_id).first()


@dataclass(frozen=True)
class SessionSummary:
    id: int
    device: str
    ip_address: str | None
    signed_in_at: Any
    last_active_at: Any
    current: bool


@lru_cache(maxsize=512)
def describe_browser(user_agent: str) -> str:
    """ "Firefox on Windows", from a User-Agent header, for people to recognise their devices."""
    parsed = ua_parser.parse(user_agent).with_defaults()
    browser = parsed.user_agent.family if parsed.user_agent.family != "Other" else ""
    system = parsed.os.family if parsed.os.family != "Other" else ""
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def signed_in_sessions(user: User, current_key: str | None) -> list[SessionSummary]:
    """The user's browsers that are still signed in, the current one first."""
    now = clock.now()
    rows = list(SignedInSession.objects.filter(user=user))
    live = {
        s.session_key: s
        for s in Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=now
        )
    }
    found = []
    for row in rows:
        session = live.get(row.session_key)
        if session is None:
            continue
        last_seen = session.get_decoded().get(session_clock.LAST_SEEN_AT)
        last_active = (
            dt.datetime.fromtimestamp(float(last_seen), tz=dt.UTC)
            if last_seen
            else row.signed_in_at
        )
        if (now - last_active).total_seconds() > settings.SESSION_IDLE_SECONDS:
            continue  # signed out at its next request anyway
        found.append(
            SessionSummary(
                id=row.id,
                device=describe_browser(row.user_agent),
                ip_address=row.ip_address,
                signed_in_at=row.signed_in_at,
                last_active_at=last_active,
                current=row.session_key == current_key,
            )
        )
    return sorted(found, key=lambda s: (not s.current, -s.last_active_at.timestamp()))
