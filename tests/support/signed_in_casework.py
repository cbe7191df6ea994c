"""The decisions, triage, dashboards and provider-cases pages for
tests/support/signed_in_pages.py: a case for a notification waiting for the provider and one
for a sent application, many more cases in `add_case_volume`, and a GET of each page by the
people it is for (staff; the provider's people for their own list)."""

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency

VOLUME_SUBJECT = "volume.case"


def case_for(subject: models.Model, kind: str, **fields: Any) -> Case:
    """The subject's case: the one its domain wrote, or one made here (before domains did)."""
    case, _created = Case.objects.get_or_create(
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        kind=kind,
        defaults={
            "reference": getattr(subject, "reference", ""),
            "title": "A case",
            "provider_id": getattr(subject, "provider_id", None),
            "location_id": getattr(subject, "location_id", None),
            "opened_at": timezone.now(),
            **fields,
        },
    )
    return case


def add_cases(objects: dict[str, Any]) -> None:
    objects["case_absence"] = case_for(
        objects["absence"],
        CaseKind.NOTIFICATION,
        status=CaseStatus.WAITING_FOR_PROVIDER,
        clock_stopped_on=timezone.localdate(),
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    objects["case_police"] = case_for(objects["police"], CaseKind.NOTIFICATION)
    objects["case_application"] = case_for(objects["app_sent"], CaseKind.APPLICATION)


def add_case_volume(provider_ids: list[str], count: int, batch: int) -> None:
    """Cases at the given providers, over a year, a third closed, some overdue."""
    now = timezone.now()
    start = Case.objects.filter(subject_type=VOLUME_SUBJECT).count()
    Case.objects.bulk_create(
        [
            Case(
                kind=CaseKind.NOTIFICATION,
                reference=f"VOL-{i}",
                subject_type=VOLUME_SUBJECT,
                subject_id=str(start + i),
                title="A case",
                provider_id=provider_ids[i % len(provider_ids)],
                urgency=CaseUrgency.ROUTINE,
                status=CaseStatus.CLOSED if i % 3 == 0 else CaseStatus.NEW,
                opened_at=now - dt.timedelta(days=i % 365),
                first_action_at=now - dt.timedelta(days=i % 365) + dt.timedelta(hours=3),
                closed_at=now - dt.timedelta(days=i % 365 // 2) if i % 3 == 0 else None,
                due_on=timezone.localdate() + dt.timedelta(days=30 - i % 60),
            )
            for i in range(count)
        ],
        batch_size=batch,
    )


def casework_visits(objects: dict[str, Any], each: Any, provider_side: tuple[str, ...]) -> None:
    staff = ("staff",)
    for key in ("case_absence", "case_application"):
        each("casework_decisions:decision", staff, kwargs={"case_id": objects[key].pk})
    each(
        "casework_decisions:decision",
        staff,
        kwargs={"case_id": objects["case_police"].pk},
        query="action=ask_question",
    )
    each("casework_decisions:triage", staff)
    each("dashboards:dashboard", staff)
    each("dashboards:dashboard", staff, query="weeks=52")
    each("dashboards:csv", staff, kwargs={"slug": "overdue"})
    provider_id = objects["absence"].provider_id
    each("provider_cases:list", provider_side, kwargs={"provider_id": provider_id})
