"""What webhooks write to the audit log, and what each event must say."""

from portal.audit.verbs import AuditVerb


class WebhooksVerb(AuditVerb):
    ENDPOINT_CREATED = "webhooks.endpoint_created", "provider", "url", "events"
    SECRET_ROTATED = "webhooks.secret_rotated", "provider", "url"
    ENDPOINT_PAUSED = "webhooks.endpoint_paused", "provider", "url", "reason"
    ENDPOINT_RESUMED = "webhooks.endpoint_resumed", "provider", "url"
    ENDPOINT_DELETED = "webhooks.endpoint_deleted", "provider", "url"
    TEST_SENT = "webhooks.test_sent", "provider", "url", "delivery"
    DELIVERY_RESENT = "webhooks.delivery_resent", "provider", "url", "delivery"
