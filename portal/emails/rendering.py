"""Email text from templates: emails/<name>.txt, whose first line is 'Subject: ...'."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str


def render_email(template: str, context: dict[str, Any]) -> RenderedEmail:
    full_context = {
        "service_name": settings.SERVICE_NAME,
        "regulator_name": settings.REGULATOR_NAME,
        "support_email": settings.SUPPORT_EMAIL,
        "support_phone": settings.SUPPORT_PHONE,
        "base_url": settings.PUBLIC_BASE_URL.rstrip("/"),
        **context,
    }
    text = render_to_string(f"emails/{template}.txt", full_context)
    first_line, _, rest = text.lstrip().partition("\n")
    if not first_line.startswith("Subject:"):
        raise ValueError(f"Email template {template} must start with a 'Subject:' line.")
    return RenderedEmail(
        subject=first_line.removeprefix("Subject:").strip(), body=rest.strip() + "\n"
    )
