"""The queues' table rows written in Python (queue_rows): the same HTML as the template loop
and macros they replaced, for every branch of each cell, and the same rows as the models."""

import datetime as dt
import itertools
from collections.abc import Sequence

import pytest
from django.db.models import Q
from django.template import engines
from django.utils import timezone

from portal.accounts.models import User
from portal.casework import selectors, services
from portal.casework.models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseNote,
    CaseStatus,
    CaseUrgency,
)
from portal.casework.queue_rows import QueueRow, QueueRowWriter, queue_rows
from portal.register.models import Location, Provider
from portal.staff.models import Team
from portal.workflow.models import StatusChange
from tests.casework.conftest import open_case

# queue.html's loop over the page's cases before queue_rows, as it was.
_LOOP = """{% import "casework/_macros.html" as m %}{% for case in cases %}
        <tr class="govuk-table__row">
          {% if may_assign %}<td class="govuk-table__cell">
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">
              <input class="govuk-checkboxes__input" id="case-{{ case.pk }}" name="cases" type="checkbox" value="{{ case.pk }}">
              <label class="govuk-label govuk-checkboxes__label" for="case-{{ case.pk }}"><span class="govuk-visually-hidden">Select {{ case.reference }} {{ case.title }}</span></label>
            </div></div>
          </td>{% endif %}
          <td class="govuk-table__cell" data-label="Case"><a class="govuk-link" href="{{ url('casework:case', case.pk) }}">{{ case.reference }}</a><br>{{ case.title }}<br><span class="govuk-hint govuk-!-font-size-16">{{ case.get_kind_display() }}</span></td>
          <td class="govuk-table__cell" data-label="Provider and location">{% if case.provider %}{{ case.provider.name }}{% endif %}{% if case.location %}<br>{{ case.location.name }}{% endif %}{% if not case.provider and not case.location %}None{% endif %}</td>
          <td class="govuk-table__cell" data-label="Urgency">{{ case.get_urgency_display() }}</td>
          <td class="govuk-table__cell" data-label="Deadline">{{ m.deadline(case, today) }}</td>
          <td class="govuk-table__cell" data-label="Status">{{ m.status_tag(case) }}</td>
          <td class="govuk-table__cell" data-label="Assigned to">{% if case.assignee %}{{ case.assignee.full_name or case.assignee.email }}{% else %}Nobody{% endif %}{% if case.team %}<br><span class="govuk-hint govuk-!-font-size-16">{{ case.team.name }}</span>{% endif %}</td>
        </tr>
      {% endfor %}"""

TODAY = dt.date(2026, 6, 15)
LATE_EVENING = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)  # 1 July in London


def _case_and_row(number: int, **given: object) -> tuple[Case, QueueRow]:
    """An unsaved case (with its related objects) and the row queue_rows reads for it."""
    provider = given.get("provider")
    location = given.get("location")
    team = given.get("team")
    assignee = given.get("assignee")
    values = {
        "reference": given.get("reference", f"NOT-{number:04d}"),
        "title": given.get("title", "Death of a person using the service"),
        "kind": given.get("kind", CaseKind.NOTIFICATION),
        "urgency": given.get("urgency", CaseUrgency.ROUTINE),
        "status": given.get("status", CaseStatus.NEW),
        "due_on": given.get("due_on"),
        "clock_stopped_on": given.get("clock_stopped_on"),
        "closed_at": given.get("closed_at"),
    }
    opened = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    case = Case(pk=number, opened_at=opened, queue_rank=1, **values)
    case.provider, case.location, case.team, case.assignee = provider, location, team, assignee  # type: ignore[assignment]
    row = QueueRow(
        id=number,
        reference=str(values["reference"]),
        title=str(values["title"]),
        kind=str(values["kind"]),
        urgency=int(values["urgency"]),  # type: ignore[call-overload]
        status=str(values["status"]),
        queue_rank=1,
        opened_at=opened,
        due_on=values["due_on"],  # type: ignore[arg-type]
        clock_stopped_on=values["clock_stopped_on"],  # type: ignore[arg-type]
        closed_at=values["closed_at"],  # type: ignore[arg-type]
        provider_name=provider.name if isinstance(provider, Provider) else None,
        location_name=location.name if isinstance(location, Location) else None,
        team_name=team.name if isinstance(team, Team) else None,
        assignee_name=assignee.full_name if isinstance(assignee, User) else None,
        assignee_email=assignee.email if isinstance(assignee, User) else None,
    )
    return case, row


def _examples() -> list[tuple[Case, QueueRow]]:
    awkward = Provider(name='O\'Brien & "Sons" <Care>')
    named = User(email="sam@example.test", full_name="Sam <Smith>")
    unnamed = User(email="o'neil@example.test", full_name="")
    team = Team(name="North West & Wales")
    variants: list[dict[str, object]] = [
        {},
        {"provider": Provider(name="Sunrise Care")},
        {"location": Location(name="Sunrise House")},
        {"provider": awkward, "location": Location(name="Annex <B>"), "team": team},
        {"assignee": named, "team": team, "urgency": CaseUrgency.URGENT},
        {"assignee": unnamed, "urgency": CaseUrgency.PRIORITY},
        {"status": CaseStatus.CLOSED, "closed_at": LATE_EVENING},
        {"status": CaseStatus.CLOSED},
        {"status": CaseStatus.WAITING_FOR_PROVIDER, "clock_stopped_on": TODAY},
        {"status": CaseStatus.IN_PROGRESS, "due_on": TODAY - dt.timedelta(days=1)},
        {"due_on": TODAY},
        {"due_on": TODAY + dt.timedelta(days=30), "kind": CaseKind.SECOND_FACTOR_RESET},
        {"reference": "APP-<1>", "title": "Add a \"regulated\" activity & 'more'"},
        {"kind": "retired_kind", "status": "retired_status", "provider": Provider(name="")},
    ]
    return [_case_and_row(number, **given) for number, given in enumerate(variants, start=1)]


@pytest.mark.parametrize("may_assign", [True, False])
def test_rows_are_the_template_loops_html(may_assign):
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    examples = _examples()
    cases = [case for case, _ in examples]
    expected = env.from_string(_LOOP).render(cases=cases, may_assign=may_assign, today=TODAY)
    writer = QueueRowWriter(today=TODAY, may_assign=may_assign)
    # Twice over: the second time from the dates it kept.
    rows = [row for _, row in examples]
    assert str(writer.rows(rows)) == expected
    assert str(writer.rows(rows)) == expected
    for (case, row), other in itertools.product(examples, [True, False]):
        one = env.from_string(_LOOP).render(cases=[case], may_assign=other, today=TODAY)
        assert QueueRowWriter(today=TODAY, may_assign=other).row(row) == one


@pytest.mark.django_db
def test_rows_read_what_the_models_hold(world):
    made = [
        open_case(world, minutes=1),
        open_case(world, location=world.surgery, minutes=2),
    ]
    made[1].assignee = world.leader
    made[1].save(update_fields=["assignee"])
    rows = queue_rows(Case.objects.filter(pk__in=[c.pk for c in made]).order_by("opened_at"))
    for row, case in zip(
        rows, Case.objects.filter(pk__in=[c.pk for c in made]).order_by("opened_at"), strict=True
    ):
        assert row.id == case.pk
        assert (row.reference, row.title, row.kind, row.status) == (
            case.reference,
            case.title,
            case.kind,
            case.status,
        )
        assert (row.urgency, row.queue_rank, row.opened_at, row.due_on) == (
            case.urgency,
            case.queue_rank,
            case.opened_at,
            case.due_on,
        )
        assert row.provider_name == (case.provider.name if case.provider else None)
        assert row.location_name == (case.location.name if case.location else None)
        assert row.team_name == (case.team.name if case.team else None)
        assert row.assignee_email == (case.assignee.email if case.assignee else None)
        assert row.assignee_name == (case.assignee.full_name if case.assignee else None)
    assert rows[1].assignee_email == world.leader.email


@pytest.mark.django_db
def test_a_case_page_reads_what_the_orm_reads(world):
    case = open_case(world, minutes=1)
    other = open_case(world, minutes=2)
    services.take(case_id=case.pk, staff=world.leader)
    services.add_internal_note(case_id=case.pk, staff=world.leader, body="Rang the home")
    services.add_internal_note(case_id=other.pk, staff=world.leader, body="Not this case")
    # A status change of the case's item, beside the case's own.
    StatusChange.objects.create(
        subject_type=case.subject_type,
        subject_id=case.subject_id,
        action="mark_reviewed",
        from_status="submitted",
        to_status="reviewed",
        at=timezone.now(),
    )
    found = selectors.case_for_staff(case.pk)
    expected = Case.objects.select_related("provider", "location", "team", "assignee").get(
        pk=case.pk
    )
    assert _fields([found]) == _fields([expected])
    assert (found.provider, found.location, found.team, found.assignee) == (
        expected.provider,
        expected.location,
        expected.team,
        world.leader,
    )
    notes = selectors.notes(found)
    assert _fields(notes) == _fields(list(CaseNote.objects.filter(case=case)))
    assert [note.author for note in notes] == [world.leader]
    history = selectors.history(found)
    events = list(CaseEvent.objects.filter(case=case))
    changes = list(
        StatusChange.objects.filter(
            Q(subject_type=case.subject_type, subject_id=case.subject_id)
            | Q(subject_type="casework.case", subject_id=str(case.pk))
        )
    )
    assert events
    assert len(changes) >= 2  # the item's change and the case's own
    assert len(history) == len(events) + len(changes)
    assert sorted(row.at for row in history) == sorted(
        [e.at for e in events] + [c.at for c in changes]
    )
    assert "Item: mark reviewed" in [row.what for row in history]
    with pytest.raises(Case.DoesNotExist):
        selectors.case_for_staff(other.pk + 1000)


def _fields(rows: Sequence[object]) -> list[dict[str, object]]:
    return [{k: v for k, v in vars(row).items() if k != "_state"} for row in rows]
