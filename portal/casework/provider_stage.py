"""What providers see of their cases: the stage in plain words, the date we expect to finish,
and whether the clock is stopped waiting for them. Internal fields (assignee, team, notes,
urgency) never leave this module.

Stages, from the case row:
- "Decided": the case is closed.
- "Waiting for you": we asked the provider something; the deadline clock is stopped.
- "Being looked at": someone has taken it or acted on it.
- "Received": it arrived and nobody has acted yet.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.casework.models import Case, CaseKind, CaseStatus
from portal.compiled_queries import CompiledObjects


class Stage(models.TextChoices):
    RECEIVED = "received", "Received"
    BEING_LOOKED_AT = "being_looked_at", "Being looked at"
    WAITING_FOR_YOU = "waiting_for_you", "Waiting for you"
    DECIDED = "decided", "Decided"


# Colours of the GOV.UK tag for each stage (the words carry the meaning; colour only helps).
TAG_CLASSES = {
    Stage.RECEIVED: "govuk-tag--grey",
    Stage.BEING_LOOKED_AT: "govuk-tag--blue",
    Stage.WAITING_FOR_YOU: "govuk-tag--orange",
    Stage.DECIDED: "govuk-tag--green",
}

# Cases about one person's account, not about the provider: never on a provider's list.
PERSONAL_KINDS = frozenset({CaseKind.SECOND_FACTOR_RESET})


@dataclass(frozen=True)
class ProviderStage:
    reference: str
    title: str
    stage: Stage
    received_on: dt.date
    expected_by: dt.date | None
    waiting_since: dt.date | None
    decided_on: dt.date | None

    @property
    def label(self) -> str:
        return str(self.stage.label)

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.stage]

    @property
    def clock_stopped(self) -> bool:
        return self.stage == Stage.WAITING_FOR_YOU


def stage_of(case: Case) -> Stage:
    if case.status == CaseStatus.CLOSED:
        return Stage.DECIDED
    if case.status == CaseStatus.WAITING_FOR_PROVIDER:
        return Stage.WAITING_FOR_YOU
    if case.status == CaseStatus.IN_PROGRESS or case.assignee_id or case.first_action_at:
        return Stage.BEING_LOOKED_AT
    return Stage.RECEIVED


def _date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def provider_stage(case: Case) -> ProviderStage:
    stage = stage_of(case)
    received = _date(case.opened_at)
    assert received is not None  # every case has arrived
    return ProviderStage(
        reference=case.reference,
        title=case.title,
        stage=stage,
        received_on=received,
        expected_by=None if stage == Stage.DECIDED else case.due_on,
        waiting_since=(case.clock_stopped_on or received)
        if stage == Stage.WAITING_FOR_YOU
        else None,
        decided_on=_date(case.closed_at) if stage == Stage.DECIDED else None,
    )


# The first case about a subject that is not a person's own; compiled once, as building it
# cost its pages more than PostgreSQL took to answer it.
_CASE_ABOUT = CompiledObjects(
    lambda subject_type, subject_id: (
        Case.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .exclude(kind__in=PERSONAL_KINDS)
        .order_by("id")[:1]
    ),
    {"subject_type": ("-.one", "-.two"), "subject_id": ("-1", "-2")},
    prepared=True,
)


def stage_for_subject(subject: models.Model) -> ProviderStage | None:
    """The stage of the case about `subject` (a notification, an application), for its page.
    One query; None when there is no case (a draft, or an item from before cases)."""
    found = _CASE_ABOUT.objects(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
    return provider_stage(found[0]) if found else None


# ---------------------------------------------------------------------------------------
# A provider's list of cases, newest first, a page at a time by keyset (cost is the same at
# any depth: the (provider, opened_at) index, never OFFSET).
# ---------------------------------------------------------------------------------------

CURSOR = re.compile(r"([0-9]{1,18})-([1-9][0-9]{0,18})")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


def cursor_of(case: Case) -> str:
    """The case's place in the list: when it arrived (in microseconds) and its id."""
    return f"{(case.opened_at - EPOCH) // MICROSECOND}-{case.pk}"


def _parse(cursor: str) -> tuple[dt.datetime, int] | None:
    found = CURSOR.fullmatch(cursor or "")
    if found is None:
        return None
    try:
        moment = EPOCH + int(found[1]) * MICROSECOND
    except OverflowError:
        return None
    return moment, int(found[2])


@dataclass(frozen=True)
class Page:
    items: list[tuple[ProviderStage, Case]]
    next_cursor: str
    cursor_invalid: bool


def provider_cases(
    *, provider_id: str, location_ids: frozenset[str] | None, after: str, size: int
) -> Page:
    """The provider's cases (only those at `location_ids` when the person's access is to some
    locations only; None means the whole provider)."""
    rows: QuerySet[Case] = Case.objects.filter(provider_id=provider_id).exclude(
        kind__in=PERSONAL_KINDS
    )
    if location_ids is not None:
        # Implied by the IDs; said outright so casework_provider_at_places serves the list
        # however the IDs are sent.
        rows = rows.filter(location_id__any_of=location_ids, location__isnull=False)
    position = _parse(after) if after else None
    if position is not None:
        moment, case_id = position
        rows = rows.filter(Q(opened_at__lt=moment) | Q(opened_at=moment, id__lt=case_id))
    found = list(rows.order_by("-opened_at", "-id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return Page(
        items=[(provider_stage(case), case) for case in found],
        next_cursor=cursor_of(found[-1]) if more else "",
        cursor_invalid=bool(after) and position is None,
    )
