"""Case rows written straight into the table, for the decisions, triage, dashboards and
provider-view tests (casework's own services write them in production)."""

import datetime as dt
import itertools
from typing import Any

from django.db import models
from django.utils import timezone

from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency
from portal.staff.models import Team
from portal.staff.roles import Region, Sector

_numbers = itertools.count(1)


def make_team(
    name: str, region: str = Region.LONDON, sector: str = Sector.ADULT_SOCIAL_CARE
) -> Team:
    return Team.objects.create(name=name, region=region, sector=sector)


def make_case(
    subject: models.Model | None = None,
    *,
    kind: str = CaseKind.NOTIFICATION,
    status: str = CaseStatus.NEW,
    urgency: int = CaseUrgency.ROUTINE,
    opened_at: dt.datetime | None = None,
    **fields: Any,
) -> Case:
    """A case about `subject` (named as audit events name it), or about nothing real."""
    number = next(_numbers)
    if subject is not None:
        fields.setdefault("subject_type", subject._meta.label_lower)
        fields.setdefault("subject_id", str(subject.pk))
        fields.setdefault("reference", getattr(subject, "reference", f"CASE-{number}"))
        for name in ("provider", "location"):
            if getattr(subject, f"{name}_id", None) is not None:
                fields.setdefault(name, getattr(subject, name))
    fields.setdefault("subject_type", "tests.nothing")
    fields.setdefault("subject_id", f"test-{number}")
    fields.setdefault("reference", f"CASE-{number}")
    fields.setdefault("title", "A case")
    return Case.objects.create(
        kind=kind,
        status=status,
        urgency=urgency,
        opened_at=opened_at or timezone.now(),
        **fields,
    )
