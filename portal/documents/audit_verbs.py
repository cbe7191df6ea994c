"""What the documents package writes to the audit log, and what each event must say.

Document names are people's own words, so events carry the document's id, owner and
checksum rather than its name."""

from portal.audit.verbs import AuditVerb


class DocumentVerb(AuditVerb):
    UPLOADED = "documents.uploaded", "owner_kind", "owner_id", "question", "size", "sha256", "type"
    SCANNED_CLEAN = "documents.scanned_clean", "scanner_version"
    SCANNED_INFECTED = "documents.scanned_infected", "scanner_version", "virus"
    SCAN_FAILED = "documents.scan_failed", "scanner_version", "reason"
    DOWNLOADED = "documents.downloaded", "owner_kind", "owner_id"
    REMOVED = "documents.removed", "owner_kind", "owner_id", "question"
    # The owner (a draft) was discarded: its documents are hidden, their files kept a while.
    DISCARDED = "documents.discarded", "owner_kind", "owner_id", "count"
    # The sweeper deletes the files of discarded or expired drafts; the row and its events stay.
    FILE_DELETED = "documents.file_deleted", "reason"
