"""What delegation writes to the audit log, and what each event must say. Every change to a
membership, invitation or request records its state before and after."""

from portal.audit.verbs import AuditVerb

_CHANGE = ("before", "after")


class OrganisationsVerb(AuditVerb):
    INVITATION_SENT = "organisations.invitation_sent", "email", "provider", *_CHANGE
    INVITATION_RESENT = "organisations.invitation_resent", "email", *_CHANGE
    INVITATION_CANCELLED = "organisations.invitation_cancelled", "email", *_CHANGE
    INVITATION_ACCEPTED = "organisations.invitation_accepted", "email", *_CHANGE
    INVITATION_EXPIRED = "organisations.invitation_expired", "email", *_CHANGE
    INVITATION_DECLINED = "organisations.invitation_declined", "email", *_CHANGE
    JOIN_REQUESTED = "organisations.join_requested", "provider", *_CHANGE
    JOIN_REQUEST_APPROVED = "organisations.join_request_approved", *_CHANGE
    JOIN_REQUEST_REFUSED = "organisations.join_request_refused", *_CHANGE
    MEMBERSHIP_GRANTED = "organisations.membership_granted", "user", "provider", "via", *_CHANGE
    MEMBERSHIP_CHANGED = "organisations.membership_changed", "user", *_CHANGE
    MEMBERSHIP_SUSPENDED = "organisations.membership_suspended", "user", *_CHANGE
    MEMBERSHIP_REINSTATED = "organisations.membership_reinstated", "user", *_CHANGE
    MEMBERSHIP_REMOVED = "organisations.membership_removed", "user", *_CHANGE
    MEMBERSHIP_REVIEWED = "organisations.membership_reviewed", "user", *_CHANGE
    MEMBERSHIP_REVIEW_NEEDED = (
        "organisations.membership_review_needed",
        "granted_by",
        "reason",
        *_CHANGE,
    )
    MEMBERSHIP_REDUNDANT = "organisations.membership_redundant", "user", "reason", *_CHANGE
    MEMBERSHIP_ENDED = "organisations.membership_ended", "user", "reason", *_CHANGE
    # The workflow's own verbs ("<lifecycle>.<action>", portal.workflow) where a transition
    # names none; the transition records the status before and after.
    INVITATION_RESEND = "organisations.invitation.resend"
    INVITATION_ACCEPT = "organisations.invitation.accept"
    INVITATION_CANCEL = "organisations.invitation.cancel"
    INVITATION_EXPIRE = "organisations.invitation.expire"
    INVITATION_DECLINE = "organisations.invitation.decline"
    JOIN_REQUEST_APPROVE = "organisations.join_request.approve"
    JOIN_REQUEST_REFUSE = "organisations.join_request.refuse"
    MEMBERSHIP_SUSPEND = "organisations.membership.suspend"
    MEMBERSHIP_REINSTATE = "organisations.membership.reinstate"
    MEMBERSHIP_REMOVE = "organisations.membership.remove"
    MEMBERSHIP_END = "organisations.membership.end"
