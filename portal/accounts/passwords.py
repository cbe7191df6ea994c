"""Password rules (GOV.UK "Passwords" pattern, ASVS 6.2): 8 to 1,024 characters, any
characters at all, not a common password, not built from the regulator's or service's names
or the person's own email address. Checked exactly as typed: no trimming or case folding."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from portal.accounts import breached

MIN_LENGTH = 8
MAX_LENGTH = 1024  # Argon2's cost grows with input; nobody needs more


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(
                f"Your password must be {MIN_LENGTH} characters or more", code="too_short"
            )
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                f"Your password must be {MAX_LENGTH:,} characters or fewer", code="too_long"
            )

    def get_help_text(self) -> str:
        return f"Use {MIN_LENGTH} characters or more."


_WORD = re.compile(r"[a-z]+")
# Words anyone could guess for this service whatever the regulator is called.
_SERVICE_WORDS = {"care", "quality", "provider", "portal", "regulator", "commission", "cqc"}


def context_words(user: Any = None) -> set[str]:
    words = set(_SERVICE_WORDS)
    for name in (settings.REGULATOR_NAME, settings.SERVICE_NAME):
        words.update(w for w in _WORD.findall(name.lower()) if len(w) >= 3)
        initials = "".join(w[0] for w in _WORD.findall(name.lower()))
        if len(initials) >= 3:
            words.add(initials)
    email = str(getattr(user, "email", "") or "").lower()
    if email:
        local, _, domain = email.partition("@")
        words.update(w for w in _WORD.findall(local) if len(w) >= 3)
        words.update(w for w in _WORD.findall(domain.split(".")[0]) if len(w) >= 4)
    return words


class BreachedPasswordValidator:
    """Refuse passwords known from data breaches (portal/accounts/breached.py). Padding
    entries in the answer carry a count of 0, so only real sightings count."""

    def validate(self, password: str, user: Any = None) -> None:
        seen = breached.times_seen(password)
        if seen:
            raise ValidationError(
                "This password has appeared in a data breach elsewhere, so criminals may try "
                "it. Choose a different password",
                code="breached",
            )

    def get_help_text(self) -> str:
        return "Do not use a password that has appeared in a data breach."


class ContextWordsValidator:
    """Refuse passwords that are only context words, digits and symbols ("CareQuality2025!",
    "jane.smith1"): the first guesses of anyone targeting this service or this person."""

    def validate(self, password: str, user: Any = None) -> None:
        remaining = password.lower()
        for word in sorted(context_words(user), key=len, reverse=True):
            remaining = remaining.replace(word, "")
        if not re.search(r"[^\W\d_]", remaining) or len(remaining) < 4:
            raise ValidationError(
                "Your password must not be based on the name of this service, the regulator "
                "or your email address",
                code="context_word",
            )

    def get_help_text(self) -> str:
        return "Do not base your password on the name of this service or your email address."
