"""Where a request comes from, as the account services record and limit it."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The connecting address. Behind a load balancer, configure it to set REMOTE_ADDR
    (for example gunicorn's --forwarded-allow-ips); never trust a header from the client."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
