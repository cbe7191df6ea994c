"""What the register writes to the audit log, and what each event must say."""

from portal.audit.verbs import AuditVerb


class RegisterVerb(AuditVerb):
    IMPORTED = "register.imported", "paths", "rejections"
    PERSON_CHANGED = "register.person_changed", "reason", "changes", "source"
    PERSON_EMAIL_CHANGED = "register.person_email_changed", "old_email", "new_email", "reason"
    PERSON_EMAIL_CHANGE_WAITING = (
        "register.person_email_change_waiting",
        "old_email",
        "new_email",
        "reason",
    )
    PERSON_EMAIL_CHANGE_NOTICE_SENT = (
        "register.person_email_change_notice_sent",
        "old_email",
        "new_email",
        "told",
    )
