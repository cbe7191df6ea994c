"""Half a year of the regulator's casework, so the dashboards have something to show: teams
for a few regions and sectors, and cases that arrived, were acted on and were closed week by
week (some still open, some overdue). They are statistics only: about no real item, for no
provider (the cases of the demo's own notifications and applications are their domains')."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from portal.casework.models import Case, CaseKind, CaseStatus, CaseUrgency
from portal.staff.models import Team
from portal.staff.roles import Region, Sector

SUBJECT_TYPE = "demo.casework_history"
CASES = 400
TEAMS = (
    (Region.NORTH_WEST, Sector.ADULT_SOCIAL_CARE, "North West adult social care"),
    (Region.LONDON, Sector.ADULT_SOCIAL_CARE, "London adult social care"),
    (Region.LONDON, Sector.PRIMARY_MEDICAL, "London primary medical services"),
    (Region.YORKSHIRE, Sector.HOSPITALS, "Yorkshire and The Humber hospitals"),
)
KINDS = (
    (CaseKind.NOTIFICATION, "Death of a person using the service", 50),
    (CaseKind.NOTIFICATION, "Change of contact details", 20),
    (CaseKind.APPLICATION, "Add a location", 10),
    (CaseKind.APPLICATION_PART, "Registered manager application", 6),
    (CaseKind.OVERDUE_UPDATE, "Overdue update from a provider", 8),
    (CaseKind.SECOND_FACTOR_RESET, "Second-factor reset request", 6),
)


@transaction.atomic
def load() -> None:
    """Idempotent: the history is made once."""
    if Case.objects.filter(subject_type=SUBJECT_TYPE).exists():
        return
    teams = [
        Team.objects.get_or_create(region=region, sector=sector, defaults={"name": name})[0]
        for region, sector, name in TEAMS
    ]
    rng = random.Random(2026)  # noqa: S311 (synthetic data)
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for n in range(CASES):
        kind, title, _weight = rng.choices(KINDS, [k[2] for k in KINDS])[0]
        opened = now - dt.timedelta(days=rng.uniform(0, 182))
        acted = opened + dt.timedelta(hours=rng.expovariate(1 / 20))
        closed = opened + dt.timedelta(days=rng.expovariate(1 / 18))
        if closed > now:
            closed_at, status = None, rng.choice([CaseStatus.NEW, CaseStatus.IN_PROGRESS])
        else:
            closed_at, status = closed, CaseStatus.CLOSED
        rows.append(
            Case(
                kind=kind,
                reference=f"HIS-{n + 1:04d}",
                subject_type=SUBJECT_TYPE,
                subject_id=str(n + 1),
                title=title,
                team=rng.choice(teams),
                urgency=rng.choice([CaseUrgency.ROUTINE, CaseUrgency.PRIORITY, CaseUrgency.URGENT]),
                status=status,
                opened_at=opened,
                due_on=min(
                    opened.date() + dt.timedelta(days=rng.randint(10, 40)),
                    today + dt.timedelta(days=40),
                ),
                first_action_at=acted if acted < now else None,
                closed_at=closed_at,
            )
        )
    Case.objects.bulk_create(rows)
