"""Values every page needs: the service's and regulator's names, phase, support contacts."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service_contacts() -> dict[str, Any]:
    """The service, its regulator and how to reach support: every page and document names them."""
    return {
        "service_name": settings.SERVICE_NAME,
        "regulator_name": settings.REGULATOR_NAME,
        "support_email": settings.SUPPORT_EMAIL,
        "support_phone": settings.SUPPORT_PHONE,
    }


def service_constants() -> dict[str, Any]:
    """What every page shows that comes from settings alone (no request)."""
    return {
        **service_contacts(),
        "service_phase": settings.SERVICE_PHASE,
        "show_sent_emails": settings.SHOW_SENT_EMAILS,
    }


def service(request: HttpRequest) -> dict[str, Any]:
    return {**service_constants(), "csp_nonce": str(getattr(request, "csp_nonce", ""))}
