"""The client's address behind the node's own reverse proxy.

In production nginx on the same node passes every request to gunicorn (deploy/), so
REMOTE_ADDR is nginx's loopback address. nginx sends the client's address in X-Real-IP (taken
from the load balancer's X-Forwarded-For, and only when the request came from the load balancer).
Per-IP rate limits, sign-in lockouts, the audit trail and "where you are signed in" all read
REMOTE_ADDR, so it is replaced with that address, and only for requests from a trusted proxy.
"""

import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("portal.operations")


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = settings.CLIENT_ADDRESS_HEADER
        self.proxies = frozenset(settings.CLIENT_ADDRESS_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.header and request.META.get("REMOTE_ADDR") in self.proxies:
            claimed = request.META.get(self.header, "").strip()
            try:
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(claimed))
            except ValueError:
                # The proxy always sets it; without a usable one the proxy's address stays.
                logger.warning("A request through the proxy had no client address: %r", claimed)
        return self.get_response(request)
