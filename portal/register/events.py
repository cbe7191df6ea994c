"""The "register changed" event that accounts and delegation react to.

Register services call `person_register_changed` inside their transaction; the change is
stored (RegisterChange) and, once the transaction commits, `register_changed` is sent with
the person's id so receivers can recompute that person's access.
"""

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from portal.register.models import Person, RegisterChange

# Sent after commit with: person_id (int), reason (str), data (dict).
register_changed = Signal()


def person_register_changed(
    *, person: Person, reason: str, data: dict[str, Any] | None = None
) -> RegisterChange:
    change = RegisterChange.objects.create(person=person, reason=reason, data=data or {})

    def send() -> None:
        register_changed.send(
            sender=RegisterChange, person_id=person.pk, reason=reason, data=change.data
        )

    transaction.on_commit(send)
    return change
