"""Accounts follow the register: when the register's email for a person changes, their
account moves to it and both addresses are told. Run by the worker for each register
change (portal.register.events), in its transaction."""

import logging
from typing import Any

from django.db import transaction

from portal.accounts.audit_verbs import AccountsVerb
from portal.accounts.models import User, normalise_email
from portal.audit.services import record
from portal.emails.services import queue_email
from portal.register.models import Person
from portal.register.selectors import people_holding_email

logger = logging.getLogger(__name__)


@transaction.atomic
def apply_register_change(*, person_id: int, reason: str, data: dict[str, Any]) -> None:
    """React to a register change for one person: follow an email change. (Access needs no
    recomputing: the access function reads the register on every request.)"""
    person = Person.objects.filter(id=person_id).first()
    user = User.objects.select_for_update().filter(person_id=person_id).first()
    if person is not None and user is None:
        user = _link_applicant(person, reason)
    if person is None or user is None:
        return
    new_email = normalise_email(person.email or "")
    if new_email and new_email != user.email:
        taken = User.objects.filter(email=new_email).exclude(id=user.id).exists()
        if taken:
            record(
                verb=AccountsVerb.EMAIL_CHANGE_CONFLICT,
                target=user,
                data={"new_email": new_email},
            )
            logger.warning("Register email for person %s is another account's", person_id)
        else:
            old_email = user.email
            user.email = new_email
            user.save(update_fields=["email"])
            record(
                verb=AccountsVerb.EMAIL_CHANGED,
                target=user,
                data={"old_email": old_email, "new_email": new_email, "reason": reason},
            )
            for address in (old_email, new_email):
                queue_email(
                    to=address,
                    template="email_changed",
                    context={"old_email": old_email, "new_email": new_email},
                )


def _link_applicant(person: Person, reason: str) -> User | None:
    """The register gave a role to someone whose account has no person yet (an applicant
    whose application was granted, a manager who signed up to apply): the account becomes
    that person's, so their access follows their roles from now on. Only when this person
    is the one live holder of the address: a shared mailbox links nobody (sign-up's rule)."""
    email = normalise_email(person.email or "")
    if not email:
        return None
    user = User.objects.select_for_update().filter(email=email, person__isnull=True).first()
    if user is None:
        return None
    holders = [holder for holder in people_holding_email(email) if holder.live_roles]
    if [holder.person.pk for holder in holders] != [person.pk]:
        return None
    user.person = person
    user.save(update_fields=["person"])
    record(
        verb=AccountsVerb.LINKED_TO_REGISTER,
        target=user,
        data={"person_ref": person.person_ref, "reason": reason},
    )
    return user
