"""Changes of registered details that take effect on a later date.

A change of contact details carries the date it takes effect. When staff accept one dated
after today, the register is not changed yet: the acceptance is recorded here, pending, with
its date, and the worker's sweep (`sweeps.apply_due_changes`) applies it on the day through
the same apply path as an immediate acceptance.
"""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.services import record_about
from portal.notifications.audit_verbs import NotificationsVerb
from portal.notifications.models import Notification, ScheduledChange

EFFECTIVE_DATE_ANSWER = "effective_on"


def today() -> dt.date:
    """The regulator's today (a function, so tests can move it)."""
    return timezone.localdate()


def takes_effect_on(notification: Notification) -> dt.date | None:
    """The date the notification says its change takes effect, if it gives a valid one."""
    value = notification.answers.get(EFFECTIVE_DATE_ANSWER)
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# No savepoint of its own: it runs inside the acceptance's transaction, whose work it is part of.
@transaction.atomic(savepoint=False)
def hold_if_dated(
    *, notification: Notification, staff: User, request: HttpRequest | None = None
) -> bool:
    """On acceptance: if the change takes effect after today, record it as accepted and
    pending until its date (audited) and return True; otherwise return False, and the
    caller applies it now."""
    effective_on = takes_effect_on(notification)
    if effective_on is None or effective_on <= today():
        return False
    ScheduledChange.objects.create(
        notification=notification, takes_effect_on=effective_on, accepted_by=staff
    )
    record_about(
        notification,
        verb=NotificationsVerb.CHANGE_SCHEDULED,
        actor=staff,
        data={"takes_effect_on": effective_on.isoformat()},
        request=request,
    )
    return True
