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
    # Registration decisions taking effect (portal/register/registration_changes.py).
    PROVIDER_REGISTERED = "register.provider_registered", "provider_id", "reference"
    PROVIDER_CANCELLED = "register.provider_cancelled", "provider_id", "reference"
    LOCATION_ADDED = "register.location_added", "location_id", "reference"
    LOCATION_REMOVED = "register.location_removed", "location_id", "reference"
    ACTIVITY_ADDED = "register.activity_added", "activity", "location_ids", "reference"
    ACTIVITY_REMOVED = "register.activity_removed", "activity", "location_ids", "reference"
    CONDITION_IMPOSED = "register.condition_imposed", "provider_id", "text", "reference"
    CONDITION_VARIED = "register.condition_varied", "old_text", "text", "reference"
    CONDITION_REMOVED = "register.condition_removed", "text", "reference"
    ROLE_STARTED = "register.role_started", "role", "provider_id", "location_id", "reference"
    ROLE_ENDED = "register.role_ended", "role", "provider_id", "location_id", "reference"
    PERSON_EMAIL_CHANGE_NOTICE_SENT = (
        "register.person_email_change_notice_sent",
        "old_email",
        "new_email",
        "told",
    )
