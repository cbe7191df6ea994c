"""Writes to the register. Each change that affects a person's roles or email is audited and
emits a "register changed" event in the same transaction."""

from django.db import transaction

from portal.access import Principal
from portal.audit.services import record
from portal.emails.addresses import normalise_email
from portal.register.audit_verbs import RegisterVerb
from portal.register.events import person_register_changed
from portal.register.models import Person


@transaction.atomic
def change_person_email(
    *, person: Person, new_email: str, actor: Principal | None, reason: str
) -> Person:
    """Record a new email for a registered person (for example after an accepted
    change-of-contact-details notification). Accounts follow via the register-changed event."""
    new = normalise_email(new_email)
    old = person.email
    if new == old:
        return person
    person.email = new
    person.save(update_fields=["email", "updated_at"])
    record(
        verb=RegisterVerb.PERSON_EMAIL_CHANGED,
        actor=actor,
        target=person,
        data={"old_email": old, "new_email": new, "reason": reason},
    )
    person_register_changed(
        person=person, reason="email changed", data={"old_email": old, "new_email": new}
    )
    return person
