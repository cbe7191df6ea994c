from django.db.models import QuerySet

from portal.audit.models import AuditEvent


def events_for_target(*, target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
