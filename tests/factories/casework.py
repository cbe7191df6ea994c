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
from portal.workflow.fields import status_writable

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
    """A case about `subject` (named as audit events name it), or about nothing real. When the
    subject's domain has written its case already, that case, with the fields given here."""
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
    values = {"status": status, "urgency": urgency, **fields}
    if opened_at is not None:
        values["opened_at"] = opened_at
    # The subject's own domain may have written its case already: set these fields on it.
    existing = Case.objects.filter(
        subject_type=fields["subject_type"], subject_id=fields["subject_id"], kind=kind
    ).first()
    if existing is not None:
        # A test's starting point, not a move: the status is set as a fixture sets it.
        with status_writable(existing):
            for name, value in values.items():
                setattr(existing, name, value)
        existing.save()
        return existing
    values.setdefault("opened_at", timezone.now())
    return Case.objects.create(kind=kind, **values)
