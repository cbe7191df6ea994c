"""Which endpoint addresses we accept, and where we may connect.

Registration checks the address's form (https, no credentials, length, no literal private
address). Delivery resolves the host name and refuses any private, loopback, link-local
(cloud metadata), reserved or multicast address, then connects to the address it checked,
so a name that changes between the check and the connection (DNS rebinding) gains nothing.
`WEBHOOKS_ALLOW_HTTP_LOOPBACK` (development and tests only) lets http://127.0.0.1:<port>
through, for receivers on the same machine.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

from portal.webhooks.errors import WebhookError, WebhookErrorCode

MAX_URL_LENGTH = 500
LOOPBACK_HOST = "127.0.0.1"
_BLOCKED_NAMES = frozenset({"localhost", "localhost.localdomain", "metadata.google.internal"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _loopback_allowed(parts: SplitResult) -> bool:
    """http://127.0.0.1:<port>, when the setting allows it (development and tests)."""
    return (
        bool(settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK)
        and parts.scheme.lower() == "http"
        and parts.hostname == LOOPBACK_HOST
        and parts.port is not None
    )


def _literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_public(address: IPAddress) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        return is_public(mapped)
    return address.is_global and not address.is_multicast


def clean_url(raw: str) -> str:
    """The address as we store it, or a WebhookError saying what is wrong with it."""
    url = raw.strip()
    if not url:
        raise WebhookError(WebhookErrorCode.URL_MISSING)
    if len(url) > MAX_URL_LENGTH:
        raise WebhookError(WebhookErrorCode.URL_TOO_LONG, limit=MAX_URL_LENGTH)
    if any(character.isspace() or ord(character) < 32 for character in url):
        raise WebhookError(WebhookErrorCode.URL_INVALID)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it: a ValueError for a bad port)
    except ValueError as error:
        raise WebhookError(WebhookErrorCode.URL_INVALID) from error
    if parts.scheme.lower() not in ("https", "http") or not parts.netloc:
        if parts.scheme and parts.scheme.lower() not in ("https", "http"):
            raise WebhookError(WebhookErrorCode.URL_NOT_HTTPS)
        raise WebhookError(WebhookErrorCode.URL_INVALID)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise WebhookError(WebhookErrorCode.URL_HAS_CREDENTIALS)
    host = (parts.hostname or "").rstrip(".")
    if not host or parts.fragment:
        raise WebhookError(WebhookErrorCode.URL_INVALID)
    if parts.scheme.lower() == "http" and not _loopback_allowed(parts):
        raise WebhookError(WebhookErrorCode.URL_NOT_HTTPS)
    literal = _literal_address(host)
    if not _loopback_allowed(parts):
        if host.lower() in _BLOCKED_NAMES or host.lower().endswith(".localhost"):
            raise WebhookError(WebhookErrorCode.URL_NOT_PUBLIC)
        if literal is not None and not is_public(literal):
            raise WebhookError(WebhookErrorCode.URL_NOT_PUBLIC)
        if literal is None and "." not in host:
            raise WebhookError(WebhookErrorCode.URL_INVALID)  # a bare name is never public
    return url


@dataclass(frozen=True)
class Target:
    """Where one delivery connects: the checked address, and the name TLS must verify."""

    url: str  # the endpoint's address with the host replaced by the checked IP address
    host_header: str
    server_name: str


class RefusedAddress(Exception):
    """The endpoint's host resolves to an address we must not connect to."""


def resolve(url: str) -> Target:
    """Resolve the endpoint's host now (at delivery) and refuse non-public addresses."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if _loopback_allowed(parts):
        address: IPAddress = ipaddress.ip_address(LOOPBACK_HOST)
    else:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise ConnectionError(f"Cannot resolve {host}: {error}") from error
        addresses = [ipaddress.ip_address(str(entry[4][0]).split("%")[0]) for entry in found]
        refused = [str(a) for a in addresses if not is_public(a)]
        if not addresses or refused:
            raise RefusedAddress(f"{host} resolves to a non-public address ({', '.join(refused)})")
        address = addresses[0]
    shown = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{shown}:{parts.port}" if parts.port else shown
    return Target(
        url=parts._replace(netloc=netloc).geturl(),
        host_header=parts.netloc,
        server_name=host,
    )
