"""Codes and keyed hashes. Codes come from `secrets`; only HMACs of them are ever stored."""

import hashlib
import hmac
import re
import secrets
import unicodedata

from django.conf import settings

CODE_DIGITS = 6
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_SIX_DIGITS = re.compile(r"^[0-9]{6}$")


def new_code() -> str:
    """Six random digits, leading zeros kept (about 20 bits)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):06d}"


def normalise_code(raw: str) -> str:
    """People type codes with spaces or dashes ("123 456", "123-456"); drop them. Full-width
    digits from some keyboards become ordinary ones."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))


def looks_like_code(value: str) -> bool:
    return bool(_SIX_DIGITS.match(value))


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA256 of the parts under CODE_HMAC_KEY, hex. Parts are length-prefixed so
    ("ab", "c") and ("a", "bc") never collide."""
    message = "".join(f"{len(part)}:{part}" for part in parts).encode()
    return hmac.new(settings.CODE_HMAC_KEY.encode(), message, hashlib.sha256).hexdigest()


def code_hmac(*, purpose: str, email: str, code: str) -> str:
    return keyed_hash("email-code", purpose, email, code)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_recovery_code() -> str:
    """Ten characters from an unambiguous alphabet, shown as two groups of five."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def normalise_recovery_code(raw: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or "").lower())


def recovery_code_token(code: str) -> str:
    """What django-otp's StaticToken stores for a recovery code: a keyed hash, 16 hex
    characters (64 bits), so the database never holds a usable recovery code."""
    return keyed_hash("recovery-code", normalise_recovery_code(code))[:16]
