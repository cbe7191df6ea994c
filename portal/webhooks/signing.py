"""Signing secrets and signatures in the Standard Webhooks style.

A secret is `whsec_` followed by the base64 of 32 random bytes; the signature of a delivery
is `v1,` and the base64 of HMAC-SHA256 under those bytes of "<webhook-id>.<webhook-timestamp>.
<body>". Several signatures (while a rotated secret is still honoured) are space-separated.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet
from django.conf import settings

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
SIGNATURE_VERSION = "v1"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signature_header(
    secrets_in_use: list[str], *, message_id: str, timestamp: int, body: bytes
) -> str:
    return " ".join(
        sign(secret, message_id=message_id, timestamp=timestamp, body=body)
        for secret in secrets_in_use
    )


def verify(secret: str, *, message_id: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (the README shows the same in a few lines)."""
    expected = sign(secret, message_id=message_id, timestamp=int(timestamp), body=body)
    return any(hmac.compare_digest(expected, given) for given in header.split(" "))


def _sealer() -> Fernet:
    """Secrets are kept sealed (Fernet: AES with an HMAC) under a key of their own, so a copy
    of the database alone cannot sign as us; the worker unseals one to sign."""
    digest = hashlib.sha256(b"portal.webhooks:" + settings.WEBHOOKS_SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _sealer().encrypt(secret.encode()).decode() if secret else ""


def unseal(sealed: str) -> str:
    return _sealer().decrypt(sealed.encode()).decode() if sealed else ""
