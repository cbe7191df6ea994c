"""Second chances, written like every staff service (keyword-only, atomic, audited, emailed):
reinstate a member whose access was ended, and resend an invitation that went astray.

Resending makes a new link: the old token's HMAC is replaced, so the link in the earlier email
stops working. It is rate-limited per invitation (a wait between sends and a ceiling on them
all), which keeps a mistyped address or a hasty double press from flooding someone's inbox.
"""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.services import record
from portal.emails.services import queue_email
from portal.staff.audit_verbs import StaffVerb
from portal.staff.errors import StaffError
from portal.staff.errors import StaffErrorCode as Code
from portal.staff.models import InvitationStatus, StaffInvitation, StaffMember
from portal.staff.services import email_invitation, lock_member, name_of, new_link, snapshot
from portal.workflow.services import lock

RESEND_WAIT = dt.timedelta(minutes=2)
SENDS_MAX = 5  # the first email and four resends


@transaction.atomic
def reinstate_member(
    *, actor: User, member_id: int, request: HttpRequest | None = None
) -> StaffMember:
    """Give an ended member their access back, with the roles and teams they had: they can
    sign in again with their password and second factor. Adding a member never removes an
    administrator, but the administrators are locked first all the same (lock_member), so
    this and a change that could remove one are never interleaved."""
    member = lock_member(member_id)
    if member.is_current:
        raise StaffError(Code.ACCESS_NOT_ENDED, "This person's access has not ended")
    member.ended_at = None
    member.save(update_fields=["ended_at"])
    user = member.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    now = snapshot(member)
    record(
        verb=StaffVerb.ACCESS_REINSTATED,
        actor=actor,
        target=member,
        data={"user": user.pk, "roles": now["roles"], "teams": now["teams"]},
        request=request,
    )
    queue_email(
        to=user.email,
        template="staff_access_reinstated",
        context={
            "reinstated_by": name_of(actor),
            "roles": member.role_labels,
            "teams": now["teams"],
        },
    )
    return member


def _refuse_unless_resendable(invitation: StaffInvitation, now: dt.datetime) -> None:
    if invitation.status == InvitationStatus.ACCEPTED:
        raise StaffError(
            Code.INVITATION_USED, f"{invitation.email} has already accepted this invitation"
        )
    if invitation.status == InvitationStatus.CANCELLED:
        raise StaffError(Code.INVITATION_CANCELLED, "This invitation has been cancelled")
    if invitation.times_sent >= SENDS_MAX:
        raise StaffError(
            Code.INVITATION_SENT_TOO_OFTEN,
            f"This invitation has been sent {invitation.times_sent} times. Check the address "
            f"with {invitation.full_name}, then cancel it and invite them again",
        )
    wait = invitation.last_sent_at + RESEND_WAIT - now
    if wait > dt.timedelta(0):
        seconds = max(1, round(wait.total_seconds()))
        raise StaffError(
            Code.INVITATION_RESENT_RECENTLY,
            f"The invitation to {invitation.email} was sent less than "
            f"{int(RESEND_WAIT.total_seconds() // 60)} minutes ago. Wait {seconds} seconds "
            "before sending it again",
        )


@transaction.atomic
def resend_invitation(
    *, actor: User, invitation_id: int, request: HttpRequest | None = None
) -> tuple[StaffInvitation, str]:
    """Email a waiting (or expired, never accepted) invitation again with a new link that
    works for the full period; the old link stops working. Returns the invitation and the
    new token."""
    invitation = lock(StaffInvitation.objects.select_for_update(), pk=invitation_id)
    now = timezone.now()
    _refuse_unless_resendable(invitation, now)
    token, invitation.token_hmac, invitation.expires_at = new_link(now)
    invitation.resent_at = now
    invitation.times_sent += 1
    invitation.save(update_fields=["token_hmac", "expires_at", "resent_at", "times_sent"])
    record(
        verb=StaffVerb.INVITATION_RESENT,
        actor=actor,
        target=invitation,
        data={"email": invitation.email, "times_sent": invitation.times_sent},
        request=request,
    )
    email_invitation(invitation, token, actor=actor, teams=list(invitation.teams.all()))
    return invitation, token
