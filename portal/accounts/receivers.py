"""Accounts follow the register: each change to a person recomputes their account."""

from typing import Any

from django.dispatch import receiver

from portal.accounts.services.accounts import apply_register_change
from portal.register.events import register_changed


@receiver(register_changed, dispatch_uid="accounts.follow_register")
def follow_register(
    sender: Any, person_id: int, reason: str, data: dict[str, Any], **_: Any
) -> None:
    apply_register_change(person_id=person_id, reason=reason, data=data)
