"""Writes to the register. Each change that affects a person's roles or email is audited and
emits a "register changed" event in the same transaction."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from portal.access import Principal
from portal.audit.services import record
from portal.emails.addresses import normalise_email
from portal.emails.services import queue_email
from portal.register.audit_verbs import RegisterVerb
from portal.register.events import person_register_changed
from portal.register.models import Person


@dataclass(frozen=True)
class PersonEmailChange:
    person: Person
    # The person has an account: nothing moves until they confirm the new address.
    waiting_for_the_person: bool = False


@dataclass(frozen=True)
class EmailChangeAsked:
    person: Person
    new_email: str
    actor: Principal | None
    reason: str
    # The reference of what asked for it (a notification's), told how a held change ends.
    source: str = ""


# Something that may hold a change of a person's email back (accounts: a person with an
# account confirms a new sign-in address themselves). Given the change asked for, it
# answers None when it has nothing to do with this person, otherwise whether the change is
# now waiting. Registered at start-up, so the register never imports the packages built on it.
EmailChangeHold = Callable[[EmailChangeAsked], bool | None]
_EMAIL_CHANGE_HOLDS: list[EmailChangeHold] = []


def hold_email_changes_with(hold: EmailChangeHold) -> None:
    if hold not in _EMAIL_CHANGE_HOLDS:
        _EMAIL_CHANGE_HOLDS.append(hold)


@transaction.atomic(savepoint=False)  # nobody carries on after it fails
def change_person_email(
    *,
    person: Person,
    new_email: str,
    actor: Principal | None,
    reason: str,
    source: str = "",
    tell_the_addresses: bool = True,
) -> PersonEmailChange:
    """Record a new email for a registered person (for example after an accepted
    change-of-contact-details notification). Accounts follow via the register-changed event.

    For a person with an account, a new address someone else gave is not recorded yet: its
    owner is asked to confirm it (portal/accounts/services/email_change.py), which moves the
    account and then records it here. Otherwise it is recorded at once and, unless the caller
    has told them already, both addresses are told the record changed and whom to contact."""
    new = normalise_email(new_email)
    old = person.email
    if new == old:
        return PersonEmailChange(person)
    asked = EmailChangeAsked(person, new, actor, reason, source)
    for hold in _EMAIL_CHANGE_HOLDS:
        waiting = hold(asked)
        if waiting is None:
            continue
        record(
            verb=RegisterVerb.PERSON_EMAIL_CHANGE_WAITING,
            actor=actor,
            target=person,
            data={"old_email": old, "new_email": new, "reason": reason},
        )
        return PersonEmailChange(person, waiting_for_the_person=waiting)
    person.email = new
    person.save(update_fields=["email", "updated_at"])
    record(
        verb=RegisterVerb.PERSON_EMAIL_CHANGED,
        actor=actor,
        target=person,
        data={"old_email": old, "new_email": new, "reason": reason},
    )
    if tell_the_addresses:
        _tell_both_addresses(person, old=old, new=new, actor=actor)
    person_register_changed(
        person=person, reason="email changed", data={"old_email": old, "new_email": new}
    )
    return PersonEmailChange(person)


def _tell_both_addresses(person: Person, *, old: str, new: str, actor: Principal | None) -> None:
    """Nobody confirmed this change (the person has no account to confirm it with), so both
    addresses hear of it: whoever did not expect it knows whom to contact."""
    told = [address for address in (old, new) if address]
    for address in told:
        queue_email(
            to=address,
            template="register_email_changed",
            context={"name": person.full_name, "old_email": old, "new_email": new},
        )
    record(
        verb=RegisterVerb.PERSON_EMAIL_CHANGE_NOTICE_SENT,
        actor=actor,
        target=person,
        data={"old_email": old, "new_email": new, "told": told},
    )
