"""Case services: opening (routing, replay), the clock, assignment races, notes, closing;
every change with a history row and an audit event in the same transaction."""

import datetime as dt
import uuid
from functools import partial

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.casework import services
from portal.casework.deadlines import Deadline
from portal.casework.models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseNote,
    CaseStatus,
    CaseUrgency,
    ClockStop,
)
from portal.casework.next_case import my_team_ids
from portal.casework.routing import sector_by_words, team_for
from portal.errors import ServiceError
from portal.notifications import services as notification_services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.samples import filled_draft
from portal.staff.models import StaffMember, Team
from portal.staff.roles import Sector
from portal.workflow.calendar import add_working_days
from portal.workflow.models import StatusChange
from tests import factories as f
from tests.casework.conftest import MONDAY, make_world, moves, open_case, staff
from tests.support.concurrency import run_copies, run_together


def audit_verbs(case: Case) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(case.pk), verb__startswith="casework.")
        .order_by("occurred_at")
        .values_list("verb", flat=True)
    )


@pytest.mark.django_db
def test_a_case_is_routed_by_region_and_sector(world):
    assert team_for(world.home.provider, world.home) == (world.care, "North West")
    assert team_for(world.surgery.provider, world.surgery) == (world.gps, "North West")
    # A sector the region has no team for: the region's first team, so work stays there.
    dentist = f.make_location(
        f.make_provider(region="North West"), region="North West", service_types=("Dental service",)
    )
    assert team_for(dentist.provider, dentist) == (world.care, "North West")
    # No team in the region, or no region: no team (visible in unassigned and all).
    london = f.make_location(f.make_provider(region="London"), region="London")
    assert team_for(london.provider, london) == (None, "London")
    assert team_for(None, None) == (None, "")


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Dentists", Sector.DENTAL),
        ("Mental health - community & hospital based services", Sector.MENTAL_HEALTH),
        ("GP Practices", Sector.PRIMARY_MEDICAL),
        ("Acute hospital - NHS non-specialist", Sector.HOSPITALS),
        ("Residential social care", Sector.ADULT_SOCIAL_CARE),
        ("Laptop repairs", None),
        ("", None),
    ],
)
def test_sector_keywords(text, sector):
    assert sector_by_words(text) == sector


@pytest.mark.django_db
def test_opening_writes_history_and_audit_and_a_replay_returns_the_same_case(world):
    case = open_case(world, urgency=CaseUrgency.URGENT)
    assert case.team == world.care
    assert case.queue_rank == 1
    again = services.open_case(
        kind=CaseKind(case.kind),
        subject=Team(pk=int(case.subject_id)),
        reference="other",
        title="other",
        provider=None,
        location=None,
    )
    assert again.pk == case.pk
    assert Case.objects.count() == 1
    # Its first status is its history's first row; no second copy as a case event.
    assert moves(case) == [("open", "", "new")]
    assert not case.events.exists()
    assert audit_verbs(case) == ["casework.case_opened"]


@pytest.mark.django_db
def test_stopping_the_clock_moves_the_deadline_right_by_the_working_days_stopped(world):
    case = open_case(world, days=10, started_on=MONDAY)
    assert case.due_on == add_working_days(MONDAY, 10)
    stopped = services.stop_clock(
        case_id=case.pk, actor=world.inspector, on=MONDAY + dt.timedelta(days=1)
    )
    assert stopped.status == CaseStatus.WAITING_FOR_PROVIDER
    assert stopped.due_on is None  # no date while we wait
    # A replay changes nothing.
    services.stop_clock(case_id=case.pk, actor=world.inspector, on=MONDAY + dt.timedelta(days=2))
    assert ClockStop.objects.filter(case=case).count() == 1
    # Stopped Tuesday, restarted the next Tuesday: five working days did not count.
    restarted = services.restart_clock(
        case_id=case.pk, actor=world.manager, on=MONDAY + dt.timedelta(days=8)
    )
    assert restarted.due_on == add_working_days(MONDAY, 15)
    assert restarted.status == CaseStatus.IN_PROGRESS  # staff acted when they stopped it
    assert restarted.clock_stopped_on is None
    assert audit_verbs(case)[-2:] == ["casework.clock_stopped", "casework.clock_restarted"]


@pytest.mark.django_db
def test_a_restart_before_the_stop_is_refused_and_writes_nothing(world):
    case = open_case(world, days=10, started_on=MONDAY)
    services.stop_clock(case_id=case.pk, actor=None, on=MONDAY + dt.timedelta(days=3))
    with pytest.raises(ServiceError) as refused:
        services.restart_clock(case_id=case.pk, actor=None, on=MONDAY)
    assert refused.value.code == "casework.clock"
    assert Case.objects.get(pk=case.pk).clock_stopped_on == MONDAY + dt.timedelta(days=3)


@pytest.mark.django_db
def test_update_changes_status_urgency_and_deadline_with_one_history_row(world):
    case = open_case(world)
    updated = services.update_case(
        case_id=case.pk,
        actor=world.inspector,
        status=CaseStatus.IN_PROGRESS,
        urgency=CaseUrgency.URGENT,
        deadline=Deadline(MONDAY, 1),
    )
    assert (updated.status, updated.urgency, updated.queue_rank) == ("in_progress", 3, 1)
    assert updated.due_on == MONDAY + dt.timedelta(days=1)
    assert updated.first_action_at is not None
    # The status move is a StatusChange; the other changes are one case event; one audit
    # event tells the whole change.
    assert moves(case)[1:] == [("start", "new", "in_progress")]
    event = updated.events.get(action="updated")
    assert set(event.data["changes"]) == {"urgency", "due_on"}
    audit = AuditEvent.objects.get(verb="casework.case_updated", target_id=str(case.pk))
    assert audit.data["changes"]["status"] == ["new", "in_progress"]
    # The same again: nothing written.
    services.update_case(case_id=case.pk, actor=world.inspector, status=CaseStatus.IN_PROGRESS)
    assert updated.events.filter(action="updated").count() == 1
    assert len(moves(case)) == 2


@pytest.mark.django_db
def test_close_is_replay_safe_and_a_closed_case_cannot_be_taken(world):
    case = open_case(world)
    services.close_case(case_id=case.pk, actor=world.inspector, reason="done")
    services.close_case(case_id=case.pk, actor=world.inspector, reason="done")
    assert moves(case)[1:] == [("close", "new", "closed")]
    with pytest.raises(ServiceError) as refused:
        services.take(case_id=case.pk, staff=world.inspector)
    assert refused.value.code == "casework.case_closed"


@pytest.mark.django_db
def test_take_give_release(world):
    case = open_case(world)
    taken = services.take(case_id=case.pk, staff=world.inspector)
    assert taken.assignee == world.inspector
    assert taken.status == CaseStatus.IN_PROGRESS
    # Taking one's own case again is a replay.
    services.take(case_id=case.pk, staff=world.inspector)
    assert case.events.filter(action="case_taken").count() == 1
    with pytest.raises(ServiceError) as refused:
        services.take(case_id=case.pk, staff=world.other)
    assert refused.value.code == "casework.already_taken"
    given = services.give_to(case_id=case.pk, staff=world.inspector, colleague_id=world.other.pk)
    assert given.assignee == world.other
    released = services.release(case_id=case.pk, staff=world.other)
    assert released.assignee is None
    assert audit_verbs(case)[1:] == [
        "casework.case_taken",
        "casework.case_given",
        "casework.case_released",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("colleague", ["provider", "missing", "text", None])
def test_giving_to_someone_who_is_not_staff_is_refused(world, colleague):
    case = open_case(world)
    ids = {"provider": world.manager.pk, "missing": 10**9, "text": "1; DROP TABLE", None: None}
    with pytest.raises(ServiceError) as refused:
        services.give_to(case_id=case.pk, staff=world.inspector, colleague_id=ids[colleague])
    assert refused.value.code == "casework.colleague_not_staff"
    assert Case.objects.get(pk=case.pk).assignee is None


@pytest.mark.django_db
def test_providers_cannot_use_case_services(world):
    case = open_case(world)
    for action in (services.take, services.release):
        with pytest.raises(ServiceError) as refused:
            action(case_id=case.pk, staff=world.manager)
        assert refused.value.code == "casework.staff_only"
    with pytest.raises(ServiceError):
        services.add_internal_note(case_id=case.pk, staff=world.manager, body="hello")
    with pytest.raises(ServiceError):
        services.get_next(staff=world.manager)
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
def test_bulk_reassignment_writes_one_event_per_case(world):
    cases = [open_case(world) for _ in range(3)]
    closed = open_case(world)
    services.close_case(case_id=closed.pk, actor=None)
    moved = services.reassign_in_bulk(
        case_ids=[str(c.pk) for c in [*cases, closed]],
        staff=world.leader,
        colleague_id=world.other.pk,
    )
    assert sorted(c.pk for c in moved) == sorted(c.pk for c in cases)
    assert Case.objects.filter(assignee=world.other).count() == 3
    assert AuditEvent.objects.filter(verb="casework.case_given").count() == 3
    for bad, code in (
        ([], "casework.nothing_chosen"),
        (["x"], "casework.nothing_chosen"),
        ([10**9], "casework.not_found"),
        (list(range(1, 300)), "casework.too_many_chosen"),
    ):
        with pytest.raises(ServiceError) as refused:
            services.reassign_in_bulk(case_ids=bad, staff=world.leader, colleague_id=world.other.pk)
        assert refused.value.code == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "casework.note_empty"),
        ("   \n ", "casework.note_empty"),
        ("x" * 5001, "casework.note_too_long"),
    ],
)
def test_bad_notes_are_refused(world, body, code):
    case = open_case(world)
    with pytest.raises(ServiceError) as refused:
        services.add_internal_note(case_id=case.pk, staff=world.inspector, body=body)
    assert refused.value.code == code
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
def test_a_replayed_note_is_written_once_and_hostile_text_is_kept_as_text(world):
    case = open_case(world)
    key = uuid.uuid4()
    hostile = "<script>alert(1)</script>'; DROP TABLE casework_case; -- ../../etc/passwd"
    first = services.add_internal_note(
        case_id=case.pk, staff=world.inspector, body=hostile, submission_key=key
    )
    second = services.add_internal_note(
        case_id=case.pk, staff=world.inspector, body=hostile, submission_key=key
    )
    assert first.pk == second.pk
    assert CaseNote.objects.get().body == hostile
    assert CaseEvent.objects.filter(case=case, action="note_added").count() == 1


@pytest.mark.django_db
def test_get_next_takes_the_most_urgent_then_oldest_unassigned_case_in_my_teams(world):
    routine_old = open_case(world, urgency=CaseUrgency.ROUTINE, minutes=0)
    urgent_new = open_case(world, urgency=CaseUrgency.URGENT, minutes=50)
    urgent_old = open_case(world, urgency=CaseUrgency.URGENT, minutes=10)
    open_case(world, location=world.surgery, urgency=CaseUrgency.URGENT, minutes=0)  # not my team
    waiting = open_case(world, urgency=CaseUrgency.URGENT, minutes=1)
    services.stop_clock(case_id=waiting.pk, actor=None)
    order = [services.get_next(staff=world.inspector) for _ in range(4)]
    assert [c.pk if c else None for c in order] == [
        urgent_old.pk,
        urgent_new.pk,
        routine_old.pk,
        None,
    ]
    assert services.get_next(staff=world.loner) is None  # in no team


@pytest.mark.django_db
def test_get_next_reads_every_team_of_mine_and_hands_back_the_case_as_stored(world):
    """The statement is compiled once per number of teams: one team's and two teams' presses
    (and a member whose access ended) each read their own teams."""
    surgery_case = open_case(world, location=world.surgery, urgency=CaseUrgency.URGENT)
    care_case = open_case(world, minutes=5)
    assert services.get_next(staff=world.inspector) == care_case  # one team: not the surgery
    assert services.release(case_id=care_case.pk, staff=world.inspector).assignee_id is None
    taken = [services.get_next(staff=world.leader) for _ in range(3)]  # two teams
    assert [c.pk if c else None for c in taken] == [surgery_case.pk, care_case.pk, None]
    assert taken[0] is not None
    stored = Case.objects.get(pk=surgery_case.pk)
    assert {f.attname: getattr(taken[0], f.attname) for f in Case._meta.concrete_fields} == {
        f.attname: getattr(stored, f.attname) for f in Case._meta.concrete_fields
    }
    assert stored.assignee_id == world.leader.pk
    StaffMember.objects.filter(user=world.inspector).update(ended_at=timezone.now())
    assert my_team_ids(world.inspector) == []
    assert sorted(my_team_ids(world.leader)) == sorted([world.care.pk, world.gps.pk])


@pytest.mark.django_db(transaction=True)
def test_two_takes_at_once_give_one_owner():
    world = make_world()
    case = open_case(world)
    outcomes = run_together(
        [
            lambda: services.take(case_id=case.pk, staff=world.inspector),
            lambda: services.take(case_id=case.pk, staff=world.other),
        ]
    )
    won = [o for o in outcomes if isinstance(o, Case)]
    lost = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(won) == 1
    assert len(lost) == 1
    assert lost[0].code == "casework.already_taken"
    assert CaseEvent.objects.filter(case=case, action="case_taken").count() == 1


@pytest.mark.django_db(transaction=True)
def test_get_next_pressed_by_many_at_once_never_hands_one_case_to_two_people():
    world = make_world()
    for minutes in range(8):
        open_case(world, minutes=minutes)
    people = [world.inspector, world.other, world.leader] + [
        staff(f"Extra {n}", "inspector", teams=(world.care,)) for n in range(5)
    ]
    outcomes = run_together([partial(services.get_next, staff=who) for who in people])
    got = [o.pk for o in outcomes if isinstance(o, Case)]
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len(got) == 8
    assert len(set(got)) == 8
    assert Case.objects.filter(assignee__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_notification_sent_twice_at_once_has_one_case():
    """Two submits of one draft at once (a double click on two web nodes): the draft's row
    lock makes one notification, and so one case."""
    world = make_world()
    draft = filled_draft(
        definition=CATALOGUE.require("death"),
        user=world.manager,
        provider=world.home.provider,
        location=world.home,
    )

    def send():
        return notification_services.submit_draft(
            draft_id=draft.pk, user=world.manager, declaration_confirmed=True
        ).pk

    outcomes = run_copies(send, 3)
    assert len(set(outcomes)) == 1
    assert Case.objects.count() == 1
    assert StatusChange.objects.filter(subject_type="casework.case", action="open").count() == 1
