"""Second-factor reset requests are cases too. Accounts sits below casework (casework reads
users), so accounts cannot call casework: casework listens to the request's own save, which
runs inside the accounts service's transaction, so the request and its case commit together
(and a rollback leaves neither)."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from portal.accounts.models import ResetRequestStatus, SecondFactorResetRequest
from portal.casework import services
from portal.casework.backfill import register_backfill
from portal.casework.deadlines import service_deadline
from portal.casework.models import CaseKind, CaseUrgency


def reference_of(reset: SecondFactorResetRequest) -> str:
    return f"2FA-{reset.pk:06d}"


@receiver(post_save, sender=SecondFactorResetRequest, dispatch_uid="casework.factor_reset")
def follow_factor_reset(
    sender: Any, instance: SecondFactorResetRequest, created: bool, **_: Any
) -> None:
    if created:
        services.open_case(
            kind=CaseKind.SECOND_FACTOR_RESET,
            subject=instance,
            reference=reference_of(instance),
            title="Second-factor reset request",
            provider=None,
            location=None,
            urgency=CaseUrgency.PRIORITY,
            deadline=service_deadline(CaseUrgency.PRIORITY, timezone.localdate()),
            actor=instance.user,
            subject_is_new=True,
        )
        return
    if instance.status == ResetRequestStatus.PENDING:
        return
    case = services.case_of(instance, CaseKind.SECOND_FACTOR_RESET)
    if case is not None:
        services.close_case(case_id=case, actor=instance.decided_by, reason=instance.status)


def backfill_factor_resets() -> int:
    opened = 0
    waiting = SecondFactorResetRequest.objects.filter(status=ResetRequestStatus.PENDING)
    for reset in waiting.iterator():
        if services.case_of(reset, CaseKind.SECOND_FACTOR_RESET) is None:
            follow_factor_reset(SecondFactorResetRequest, reset, created=True)
            opened += 1
    return opened


register_backfill("second-factor resets", backfill_factor_resets)
