"""Values every page needs: the service's and regulator's names, phase, support contacts."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "regulator_name": settings.REGULATOR_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "support_email": settings.SUPPORT_EMAIL,
        "support_phone": settings.SUPPORT_PHONE,
        "show_sent_emails": settings.SHOW_SENT_EMAILS,
        "csp_nonce": str(getattr(request, "csp_nonce", "")),
    }
