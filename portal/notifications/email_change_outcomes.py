"""How a new email address from an accepted change of contact details ended.

A registered person with an account confirms a new sign-in address themselves
(portal/accounts/services/email_change.py), so accepting the change leaves it waiting. When
the person confirms it, the old address stops it, it lapses, or a newer change replaces it,
the notification that asked for it says so: a row on its status timeline (when, what, by
whom; the status stays "accepted") and its "what happens next" note, both written by one
workflow transition. Its sender is told by email unless the person confirmed it.
"""

from django.conf import settings

from portal.accounts.models import EmailChange, EmailChangeStatus, User
from portal.accounts.services.email_change import when_email_change_ends
from portal.audit.services import with_reference
from portal.notifications.models import Notification, NotificationStatus
from portal.notifications.references import sequence_of
from portal.notifications.services import _email_provider
from portal.workflow.services import lock, transition

# The lifecycle action (portal.notifications.models) for each way a change can end.
OUTCOME_ACTIONS = {
    EmailChangeStatus.CONFIRMED: "email_change_confirmed",
    EmailChangeStatus.STOPPED: "email_change_stopped",
    EmailChangeStatus.EXPIRED: "email_change_expired",
    EmailChangeStatus.REPLACED: "email_change_replaced",
}


def _outcome(change: EmailChange) -> str:
    new = change.new_email
    return {
        EmailChangeStatus.CONFIRMED: f"The person confirmed {new}: the register now holds it "
        "and they sign in with it.",
        EmailChangeStatus.STOPPED: f"The change to {new} was stopped from the person's current "
        "address, so the register keeps that address.",
        EmailChangeStatus.EXPIRED: f"The person did not confirm {new} within "
        f"{settings.ACCOUNT_EMAIL_CHANGE_VALID_DAYS} days, so the register keeps their "
        "current address.",
        EmailChangeStatus.REPLACED: f"A newer change of email address replaced this one, so "
        f"{new} will not be used.",
    }[EmailChangeStatus(change.status)]


def _asking_notification(change: EmailChange) -> Notification | None:
    notification_id = sequence_of(change.source) if change.source else None
    if notification_id is None:
        return None
    try:
        # Its sender is read in the same statement (told below), locking only the notification.
        locking = Notification.objects.select_for_update(of=("self",))
        return lock(locking.select_related("submitted_by"), pk=notification_id)
    except Notification.DoesNotExist:
        return None


def show_email_change_outcome(change: EmailChange, by: User | None) -> None:
    """On the notification that asked for `change` (now ended): the outcome, on its timeline
    and in its note, in the transaction that ended the change; and an email to its sender."""
    action = OUTCOME_ACTIONS.get(EmailChangeStatus(change.status))
    notification = _asking_notification(change) if action else None
    if action is None or notification is None:
        return
    if notification.status != NotificationStatus.ACCEPTED:
        return  # nothing waits on it any more
    outcome = _outcome(change)
    transition(
        notification,
        action,
        actor=by,
        reason=outcome,
        changes={"decision_reason": outcome},
        data=with_reference(notification, {"outcome": change.status}),
    )
    if change.status != EmailChangeStatus.CONFIRMED:
        _email_provider(notification, "notification_email_change_outcome", outcome=outcome)


when_email_change_ends(show_email_change_outcome)
