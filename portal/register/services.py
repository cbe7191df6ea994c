"""Writes to the register. Each change that affects a person's roles or email is audited and
emits a "register changed" event in the same transaction."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from portal.accounts.models import User
from portal.audit.services import record
from portal.emails.addresses import normalise_email
from portal.register.events import person_register_changed
from portal.register.models import Person


@dataclass(frozen=True)
class PersonEmailChange:
    person: Person
    # The person has an account: nothing moves until they confirm the new address.
    waiting_for_the_person: bool = False


@transaction.atomic(savepoint=False)  # nobody carries on after it fails
def change_person_email(
    *, person: Person, new_email: str, actor: Any, reason: str
) -> PersonEmailChange:
    """Record a new email for a registered person (for example after an accepted
    change-of-contact-details notification). Accounts follow via the register-changed event.

    For a person with an account, a new address someone else gave is not recorded yet: its
    owner is asked to confirm it (portal/accounts/services/email_change.py), which moves the
    account and then records it here."""
    new = normalise_email(new_email)
    old = person.email
    if new == old:
        return PersonEmailChange(person)
    account = User.objects.filter(person=person).first()
    if account is not None and account.email != new:
        from portal.accounts.services.email_change import ask_owner_to_confirm  # it calls back

        waiting = ask_owner_to_confirm(
            user=account, new_email=new, requested_by=actor, reason=reason
        )
        record(
            verb="register.person_email_change_waiting",
            actor=actor,
            target=person,
            data={"old_email": old, "new_email": new, "reason": reason},
        )
        return PersonEmailChange(person, waiting_for_the_person=waiting is not None)
    person.email = new
    person.save(update_fields=["email", "updated_at"])
    record(
        verb="register.person_email_changed",
        actor=actor,
        target=person,
        data={"old_email": old, "new_email": new, "reason": reason},
    )
    person_register_changed(
        person=person, reason="email changed", data={"old_email": old, "new_email": new}
    )
    return PersonEmailChange(person)
