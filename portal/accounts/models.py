from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models

from portal.emails import addresses


def normalise_email(email: str) -> str:
    """The canonical form every comparison and lookup uses (portal/emails/addresses.py)."""
    return addresses.normalise_email(email)


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Identified by one email address, unique whatever its spelling."""

    # Stored canonical (see save and portal/emails/addresses.py), so this unique index holds
    # whatever the case or look-alike spelling, and lookups by the canonical form use it.
    email = models.EmailField(max_length=320, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    # The registered person this account belongs to, if any (delegated users have none).
    # Access derives from that person's live roles plus delegations.
    person = models.OneToOneField(
        "register.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    is_active = models.BooleanField(default=True)
    # Regulator staff (inspectors, registration assessors) use the back office.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # Random, meaningless identifier given to passkey authenticators instead of anything
    # personal (WebAuthn's "user handle"); made when the first passkey is added.
    passkey_user_handle = models.BinaryField(max_length=64, null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class CodePurpose(models.TextChoices):
    SIGN_UP = "sign_up", "Create an account"
    PASSWORD_RESET = "password_reset", "Reset a password"
    SECOND_FACTOR_RESET = "second_factor_reset", "Ask for a second factor reset"
    EMAIL_CHANGE = "email_change", "Confirm a new sign-in email address"


class CodeStatus(models.TextChoices):
    """active → used (the right code, once) | voided (a newer code) | exhausted (5 wrong tries).
    Expiry is by time (`expires_at`), not a stored state."""

    ACTIVE = "active", "Active"
    USED = "used", "Used"
    VOIDED = "voided", "Replaced by a newer code"
    EXHAUSTED = "exhausted", "Too many wrong tries"


class EmailCode(models.Model):
    """A 6-digit code emailed to an address for one purpose. Only its HMAC is stored."""

    purpose = models.CharField(max_length=30, choices=CodePurpose.choices)
    email = models.EmailField(max_length=320)
    # HMAC-SHA256 over purpose, address and code, under settings.CODE_HMAC_KEY.
    code_hmac = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=CodeStatus.choices, default=CodeStatus.ACTIVE)
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} code for {self.email} ({self.status})"


class DecidedOnce(models.Model):
    """A request to the account's owner or to staff that is decided once: when it was made
    and when it was decided. At most one per account waits at a time (`one_waiting_per_user`)."""

    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def one_waiting_per_user(status: str, name: str) -> models.UniqueConstraint:
        return models.UniqueConstraint(
            fields=["user"], condition=models.Q(status=status), name=name
        )


class EmailChangeStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the person to confirm it"
    CONFIRMED = "confirmed", "Confirmed by the person"
    STOPPED = "stopped", "Stopped from the old address"
    REPLACED = "replaced", "Replaced by a newer change"
    EXPIRED = "expired", "Not confirmed in time"


class EmailChange(DecidedOnce):
    """A new sign-in address someone else asked for (staff accepting a change of contact
    details). The account keeps its address until its owner, signed in, enters the code sent
    to the new one; the old address can stop it with the link it was sent
    (portal/accounts/services/email_change.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField(max_length=320)
    new_email = models.EmailField(max_length=320)
    status = models.CharField(
        max_length=10, choices=EmailChangeStatus.choices, default=EmailChangeStatus.WAITING
    )
    # What asked for it, for the person and the audit ("Change of contact details NOT-…").
    reason = models.CharField(max_length=300)
    # The reference of what asked for it (a notification's), told how the change ends.
    source = models.CharField(max_length=60, blank=True)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # HMAC of the token in the old address's "stop this" link; the token is only in the email.
    stop_token_hmac = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            DecidedOnce.one_waiting_per_user("waiting", "accounts_one_waiting_email_change")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} to {self.new_email} ({self.status})"


class RateCounter(models.Model):
    """Hits on a key within one fixed window; two windows give a sliding estimate.

    Incremented with one atomic upsert, so the limit holds across processes and web nodes.
    The key is an HMAC of what is limited (an IP address, say), never the value itself.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="accounts_rate_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.count} hits from {self.window_start:%H:%M}"


class SignInLockout(models.Model):
    """Consecutive sign-in failures for one account from one source (IP address).

    Keyed by account and source together, so failures from an attacker's address block only
    that address: the account's owner can still sign in from anywhere else.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    first_failure_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.failures} failures, blocked until {self.blocked_until or 'not blocked'}"


class AccountGuesses(models.Model):
    """Failed guesses at one account's password, or at its second factor, from every source
    together (SignInLockout counts one source only).

    After a few free failures each further guess must wait longer than the last
    (services/guessing.py); the owner's recognised browsers do not wait. Keyed by an HMAC of
    the factor and the canonical address, so unknown addresses are treated alike.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    # Before this moment only the owner's recognised browsers may try.
    next_guess_at = models.DateTimeField()
    # The owner has been told about this burst of guesses (once per burst).
    alerted = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.failures} failures, next guess at {self.next_guess_at:%H:%M:%S}"


class ResetRequestStatus(models.TextChoices):
    """pending → approved | refused. Decided once, by regulator staff."""

    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class SecondFactorResetRequest(DecidedOnce):
    """Someone who lost both their authenticator and recovery codes asks staff to reset them.

    They have proved the password and control of the account's email address; staff check
    identity by other means (for example a phone call to the provider) before approving.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="second_factor_requests"
    )
    explanation = models.TextField(max_length=1000)
    status = models.CharField(
        max_length=10, choices=ResetRequestStatus.choices, default=ResetRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            DecidedOnce.one_waiting_per_user("pending", "accounts_one_pending_factor_reset")
        ]

    def __str__(self) -> str:
        return f"Second factor reset for {self.user_id} ({self.status})"


class Passkey(models.Model):
    """A WebAuthn credential (a passkey or security key) the user registered as a second factor.

    Only the public key is held; the private key never leaves the person's device.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="passkeys")
    # The person's own label, so they can tell their passkeys apart ("Work laptop").
    name = models.CharField(max_length=60)
    # base64url of the authenticator's credential ID (at most 1,023 bytes by the standard).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()
    # Authenticators that count signatures must count upwards; a step back suggests a clone.
    sign_count = models.PositiveBigIntegerField(default=0)
    aaguid = models.CharField(max_length=36, blank=True)
    transports = models.JSONField(default=list, blank=True)
    backed_up = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"Passkey {self.name!r} of user {self.user_id}"


class PasskeyCeremony(models.TextChoices):
    REGISTER = "register", "Add a passkey"
    AUTHENTICATE = "authenticate", "Sign in with a passkey"


class PasskeyChallenge(models.Model):
    """The random challenge of one WebAuthn ceremony, held until the browser answers.

    Kept in the database rather than the session so that using it is one DELETE: of two
    answers sent at once with the same challenge, exactly one finds the row.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    ceremony = models.CharField(max_length=20, choices=PasskeyCeremony.choices)
    challenge = models.BinaryField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "ceremony"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.ceremony} challenge for user {self.user_id}"


class SignedInSession(models.Model):
    """One browser signed in to an account, so its owner can see it and end it.

    Points at Django's session by key; the session store keeps the key current when it
    changes (portal/accounts/session_store.py) and removes this row when the session ends.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    # The same key as a relation, for joins only (it adds no column): each request reads its
    # session and signed-in user in one statement (portal/staff/session_store.py).
    session = models.ForeignObject(
        "sessions.Session",
        on_delete=models.DO_NOTHING,
        from_fields=["session_key"],
        to_fields=["session_key"],
        related_name="signed_in",
        null=True,  # an expired session may be gone before this row
    )
    signed_in_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-signed_in_at"]
        indexes = [models.Index(fields=["user", "signed_in_at"])]

    def __str__(self) -> str:
        return f"Session of user {self.user_id} since {self.signed_in_at:%Y-%m-%d %H:%M}"
