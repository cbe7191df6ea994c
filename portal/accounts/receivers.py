"""Accounts follow the register (in the worker: see portal.register.events), and each
sign-in starts the session clocks."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from portal.accounts import sessions
from portal.accounts.services.email_change import hold_for_the_owner
from portal.accounts.services.register_sync import apply_register_change
from portal.accounts.services.signed_in import remember_session
from portal.register.events import register_changed
from portal.register.services import hold_email_changes_with

# A registered person with an account confirms a new sign-in address themselves.
hold_email_changes_with(hold_for_the_owner)


@receiver(register_changed, dispatch_uid="accounts.follow_register")
def follow_register(
    sender: Any, person_id: int, reason: str, data: dict[str, Any], **_: Any
) -> None:
    apply_register_change(person_id=person_id, reason=reason, data=data)


@receiver(user_logged_in, dispatch_uid="accounts.session_clock")
def start_session_clock(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """Every sign-in (ours, or Django's login() anywhere) starts the idle and absolute
    clocks, so the timeout middleware never has to write the session to start them."""
    if request is not None and hasattr(request, "session"):
        sessions.mark_signed_in_now(request)
        if request.session.session_key is None:  # login() flushed another user's session
            request.session.save()
        remember_session(user=user, request=request)
