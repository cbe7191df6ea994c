"""What staff administration writes to the audit log, and what each event must say."""

from portal.audit.verbs import AuditVerb

_CHANGE = ("before", "after")


class StaffVerb(AuditVerb):
    INVITATION_SENT = "staff.invitation_sent", "email", "roles", "teams"
    INVITATION_RESENT = "staff.invitation_resent", "email", "times_sent"
    # The workflow's own verbs for the invitation's lifecycle (portal.workflow).
    INVITATION_ACCEPT = "staff.invitation.accept", "email", "user"
    INVITATION_CANCEL = "staff.invitation.cancel", "email"
    MEMBER_CHANGED = "staff.member_changed", "user", *_CHANGE
    ACCESS_ENDED = "staff.access_ended", "user", "sessions_ended", "reason"
    ACCESS_REINSTATED = "staff.access_reinstated", "user", "roles", "teams"
    TEAM_CREATED = "staff.team_created", "name", "region", "sector"
    TEAM_CHANGED = "staff.team_changed", *_CHANGE
    FIRST_ADMINISTRATOR_INVITED = "staff.first_administrator_invited", "email"
