"""What casework writes to the audit log, and what each event must say."""

from portal.audit.verbs import AuditVerb


class CaseworkVerb(AuditVerb):
    CASE_OPENED = "casework.case_opened", "reference", "kind", "team"
    CASE_REOPENED = "casework.case_reopened", "reference"
    CASE_UPDATED = "casework.case_updated", "reference", "changes"
    CLOCK_STOPPED = "casework.clock_stopped", "reference", "stopped_on"
    CLOCK_RESTARTED = "casework.clock_restarted", "reference", "restarted_on", "due_on"
    CASE_TAKEN = "casework.case_taken", "reference", "how"
    CASE_GIVEN = "casework.case_given", "reference", "to", "bulk"
    CASE_RELEASED = "casework.case_released", "reference"
    NOTE_ADDED = "casework.note_added", "reference", "note"
    CASE_CLOSED = "casework.case_closed", "reference", "reason"
    OVERDUE_DIGEST_SENT = "casework.overdue_digest_sent", "day", "cases"
    # What a case's lifecycle action writes when its caller names no verb of its own
    # ("<audit_prefix>.<action>", CASE_LIFECYCLE); casework's services name theirs, these keep
    # any other caller of `transition` from failing on an uncatalogued verb.
    CASE_START = "casework.case.start"
    CASE_WAIT_FOR_PROVIDER = "casework.case.wait_for_provider"
    CASE_RESUME = "casework.case.resume"
    CASE_RESUME_UNTOUCHED = "casework.case.resume_untouched"
    CASE_CLOSE = "casework.case.close"
    CASE_REOPEN = "casework.case.reopen"
