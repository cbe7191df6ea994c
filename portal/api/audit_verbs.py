"""What API keys write to the audit log, and what each event must say."""

from portal.audit.verbs import AuditVerb


class ApiVerb(AuditVerb):
    KEY_CREATED = "api.key_created", "provider", "name", "permissions", "locations", "expires_at"
    KEY_REVOKED = "api.key_revoked", "provider", "name"
    KEY_EXPIRY_WARNED = "api.key_expiry_warned", "provider", "name", "expires_at"
    KEY_USE_REFUSED = "api.key_use_refused", "provider", "name", "reason"
