"""Development only: read the emails the portal sent (for example a sign-up code)."""

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import public
from portal.emails import selectors


def _only_when_enabled() -> None:
    if not settings.SHOW_SENT_EMAILS:
        raise Http404("Sent emails are shown only in development.")


@public
@require_safe
def sent_emails(request: HttpRequest) -> HttpResponse:
    _only_when_enabled()
    return render(request, "dev/sent_emails.html", {"messages_sent": selectors.recent_messages()})


@public
@require_safe
def sent_email(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    _only_when_enabled()
    message = selectors.message_by_id(str(message_id))
    if message is None:
        raise Http404("No such email.")
    return render(request, "dev/sent_email.html", {"message": message})
