"""Has a password appeared in a known data breach? (ASVS 6.2.12)

Asked of the Pwned Passwords range API by k-anonymity: only the first 5 characters of the
password's SHA-1 leave the portal, and the answer is padded so its size says nothing either.
The service is outside our system, so it is reached only through `times_seen`, and the
address is a setting (tests point it at a server on loopback; development, with no
internet, leaves it empty).

If the service cannot answer in time the password is accepted (the common-password list
still applies) and a warning is logged: people must not be stopped from setting a password
because a third party is down. The policy is in the README.
"""

import hashlib
import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)
_MAX_ANSWER_BYTES = 2_000_000  # a real answer (padded) is about 30 KB


def times_seen(password: str) -> int | None:
    """How often the password is in the breach corpus; 0 if never; None if not checked."""
    base_url = settings.BREACHED_PASSWORDS_URL
    if not base_url:
        return None
    digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
    prefix, suffix = digest[:5], digest[5:]
    request = urllib.request.Request(  # noqa: S310 (the address is our own setting)
        f"{base_url.rstrip('/')}/range/{prefix}",
        headers={"Add-Padding": "true", "User-Agent": f"{settings.SERVICE_NAME} password check"},
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 (as above)
            request, timeout=settings.BREACHED_PASSWORDS_TIMEOUT_SECONDS
        ) as response:
            answer = response.read(_MAX_ANSWER_BYTES).decode("ascii", errors="replace")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        logger.warning("Breached-password check unavailable, password accepted: %s", error)
        return None
    for line in answer.splitlines():
        candidate, _, count = line.partition(":")
        if candidate.strip().upper() == suffix:
            try:
                return int(count.strip() or 0)
            except ValueError:
                return None
    return 0
