"""A case's status moves only through its lifecycle (portal.workflow): each move an action with
its sources, one StatusChange row and one audit event in the same transaction; the case page's
history shows each move once."""

import datetime as dt
from html import unescape

import pytest
from django.db import transaction
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.casework import services
from portal.casework.deadlines import Deadline
from portal.casework.models import Case, CaseEvent, CaseKind, CaseStatus
from portal.errors import ServiceError
from portal.staff.models import Team
from portal.workflow.fields import DirectStatusChange
from tests.casework.conftest import MONDAY, make_world, moves, open_case


@pytest.mark.django_db
def test_assigning_a_status_directly_is_refused(world):
    case = open_case(world)
    with pytest.raises(DirectStatusChange):
        case.status = CaseStatus.CLOSED
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW


@pytest.mark.django_db
def test_a_case_walks_its_lifecycle_with_one_row_and_one_audit_event_per_move(world):
    case = open_case(world, days=10)
    services.take(case_id=case.pk, staff=world.inspector)
    services.stop_clock(case_id=case.pk, actor=world.inspector)
    services.restart_clock(case_id=case.pk, actor=world.manager)
    services.close_case(case_id=case.pk, actor=world.inspector, reason="Reviewed")
    services.open_case(
        kind=CaseKind(case.kind),
        subject=Team(pk=int(case.subject_id)),
        reference=case.reference,
        title=case.title,
        provider=None,
        location=None,
    )
    assert moves(case) == [
        ("open", "", "new"),
        ("start", "new", "in_progress"),
        ("wait_for_provider", "in_progress", "waiting_for_provider"),
        ("resume", "waiting_for_provider", "in_progress"),
        ("close", "in_progress", "closed"),
        ("reopen", "closed", "new"),
    ]
    verbs = list(
        AuditEvent.objects.filter(target_id=str(case.pk), verb__startswith="casework.")
        .order_by("occurred_at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "casework.case_opened",
        "casework.case_taken",
        "casework.clock_stopped",
        "casework.clock_restarted",
        "casework.case_closed",
        "casework.case_reopened",
    ]
    # Case events hold what is not a status move: here, who took it.
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "case_taken"
    ]
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.assignee) == (CaseStatus.NEW, None, world.inspector)


@pytest.mark.django_db
def test_a_clock_stopped_before_anyone_acted_restarts_to_new(world):
    case = open_case(world, days=10)
    services.stop_clock(case_id=case.pk, actor=None)
    restarted = services.restart_clock(case_id=case.pk, actor=None)
    assert restarted.status == CaseStatus.NEW
    assert moves(case)[-1] == ("resume_untouched", "waiting_for_provider", "new")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CaseStatus.CLOSED, CaseStatus.WAITING_FOR_PROVIDER])
def test_update_cannot_make_a_case_closed_or_waiting(world, status):
    case = open_case(world)
    with pytest.raises(ServiceError) as refused:
        services.update_case(case_id=case.pk, actor=world.inspector, status=status)
    assert refused.value.code == "casework.wrong_status"
    assert moves(case) == [("open", "", "new")]


@pytest.mark.django_db
def test_marking_work_started_on_a_waiting_case_leaves_its_clock_stopped(world):
    case = open_case(world, days=10)
    services.stop_clock(case_id=case.pk, actor=None)
    same = services.update_case(case_id=case.pk, actor=None, status=CaseStatus.IN_PROGRESS)
    assert same.status == CaseStatus.WAITING_FOR_PROVIDER
    assert len(moves(case)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_move_rolled_back_leaves_neither_its_row_nor_its_audit_event():
    world = make_world()
    case = open_case(world)
    before = AuditEvent.objects.count()

    def close_then_fail() -> None:
        with transaction.atomic():
            services.close_case(case_id=case.pk, actor=world.inspector, reason="x")
            raise RuntimeError("the caller's transaction fails after the move")

    with pytest.raises(RuntimeError):
        close_then_fail()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW
    assert moves(case) == [("open", "", "new")]
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_history_shows_each_status_move_once(client, world):
    case = open_case(world, days=10)
    services.take(case_id=case.pk, staff=world.inspector)
    services.stop_clock(case_id=case.pk, actor=world.inspector, on=dt.date.today())
    services.close_case(case_id=case.pk, actor=world.inspector, reason="Nothing more to do")
    client.force_login(world.inspector)
    html = unescape(client.get(reverse("casework:case", args=[case.pk])).content.decode())
    for row in (
        "Case opened",
        "Routed to North West adult social care",
        "Work started",
        "Status: new to in progress",
        "Taken",
        "Clock stopped: waiting for the provider",
        "Case closed",
        "Nothing more to do",
    ):
        assert html.count(row) == 1, row


@pytest.mark.django_db
def test_a_new_deadline_on_a_waiting_case_starts_its_clock_and_ends_the_wait(world):
    """A returned application resubmitted: the provider answered, a new clock runs, and the
    case can be stopped again the next time the regulator waits."""
    case = open_case(world, days=10)
    services.stop_clock(case_id=case.pk, actor=None)
    updated = services.update_case(case_id=case.pk, actor=None, deadline=Deadline(MONDAY, 5))
    assert (updated.status, updated.clock_stopped_on) == (CaseStatus.NEW, None)
    assert moves(case)[-1] == ("resume_untouched", "waiting_for_provider", "new")
    stopped = services.stop_clock(case_id=case.pk, actor=None)
    assert stopped.status == CaseStatus.WAITING_FOR_PROVIDER
