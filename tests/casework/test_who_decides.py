"""Who may decide each kind of case (handlers.DECIDED_WITH), and everything that hands a case
to someone asking it: "get next", take, give, bulk reassign and the unassigned queue."""

from functools import partial
from html import unescape

import pytest
from django.urls import reverse

from portal.casework import handlers, services
from portal.casework.models import Case, CaseEvent, CaseKind, CaseUrgency
from portal.errors import ServiceError
from portal.staff.roles import ROLE_PERMISSIONS, StaffRole
from portal.staff_permissions import StaffPermission
from tests.casework.conftest import make_world, open_case, staff
from tests.support.concurrency import run_together

NOTIFICATIONS = [CaseKind.NOTIFICATION, CaseKind.OVERDUE_UPDATE]
APPLICATIONS = [CaseKind.APPLICATION, CaseKind.APPLICATION_PART, CaseKind.REPRESENTATIONS]


def test_every_kind_of_case_has_the_permission_that_decides_it():
    assert set(handlers.DECIDED_WITH) == set(CaseKind)
    # Every registered handler's actions ask for exactly that permission.
    for kind in handlers.registered_kinds():
        handler = handlers.handler_for(kind)
        assert handler is not None
        assert {action.permission for action in handler.actions} == {handlers.DECIDED_WITH[kind]}
    # Each deciding permission is held by some role that also works on cases.
    for permission in set(handlers.DECIDED_WITH.values()):
        assert any(
            permission in held and StaffPermission.VIEW_CASES in held
            for held in ROLE_PERMISSIONS.values()
        )


def test_a_handler_whose_action_asks_for_another_permission_is_refused():
    handler = handlers.handler_for(CaseKind.NOTIFICATION)
    assert handler is not None
    with pytest.raises(ValueError, match="DECIDED_WITH"):
        handlers.register_handler(
            handlers.CaseHandler(
                kind=CaseKind.APPLICATION, load=lambda _id: None, actions=handler.actions
            )
        )
    # The application handler registered at start-up is still the one in place.
    assert handlers.handler_for(CaseKind.APPLICATION) is not handler


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        (StaffRole.INSPECTOR, NOTIFICATIONS),
        (StaffRole.REGISTRATION_ASSESSOR, APPLICATIONS),
        (StaffRole.TEAM_LEADER, list(CaseKind)),
        (StaffRole.ADMINISTRATOR, [CaseKind.SECOND_FACTOR_RESET]),
    ],
)
def test_each_role_decides_its_own_kinds(role, kinds):
    member = staff("Someone", role)
    assert sorted(handlers.kinds_decided_by(member)) == sorted(kinds)


@pytest.mark.django_db
def test_get_next_offers_only_the_kinds_i_may_decide(world):
    assessor = staff("Ada Assessor", StaffRole.REGISTRATION_ASSESSOR, teams=(world.care,))
    death = open_case(world, urgency=CaseUrgency.URGENT, minutes=0)
    application = open_case(world, kind=CaseKind.APPLICATION, minutes=5)
    part = open_case(world, kind=CaseKind.APPLICATION_PART, minutes=6)
    # The older, more urgent notification is not the assessor's to decide.
    taken = [services.get_next(staff=assessor) for _ in range(3)]
    assert [case.pk if case else None for case in taken] == [application.pk, part.pk, None]
    assert Case.objects.get(pk=death.pk).assignee is None
    inspectors_next = services.get_next(staff=world.inspector)
    assert inspectors_next is not None
    assert inspectors_next.pk == death.pk


@pytest.mark.django_db
def test_taking_a_case_i_cannot_decide_is_refused_and_writes_nothing(world):
    application = open_case(world, kind=CaseKind.APPLICATION)
    with pytest.raises(ServiceError) as refused:
        services.take(case_id=application.pk, staff=world.inspector)
    assert refused.value.code == "casework.cannot_decide"
    assert "assess registration applications" in refused.value.message
    assert Case.objects.get(pk=application.pk).assignee is None
    assert not CaseEvent.objects.filter(case=application, action="case_taken").exists()


@pytest.mark.django_db
def test_giving_a_case_to_a_colleague_who_cannot_decide_it_is_refused(world):
    assessor = staff("Ada Assessor", StaffRole.REGISTRATION_ASSESSOR, teams=(world.care,))
    death = open_case(world)
    services.take(case_id=death.pk, staff=world.inspector)
    with pytest.raises(ServiceError) as refused:
        services.give_to(case_id=death.pk, staff=world.inspector, colleague_id=assessor.pk)
    assert refused.value.code == "casework.colleague_cannot_decide"
    assert refused.value.field == "colleague"
    assert "Ada Assessor cannot decide notification cases" in refused.value.message
    assert Case.objects.get(pk=death.pk).assignee == world.inspector
    services.give_to(case_id=death.pk, staff=world.inspector, colleague_id=world.other.pk)
    assert Case.objects.get(pk=death.pk).assignee == world.other


@pytest.mark.django_db
def test_bulk_reassignment_is_all_or_nothing_when_the_colleague_cannot_decide_one(world):
    deaths = [open_case(world) for _ in range(2)]
    application = open_case(world, kind=CaseKind.APPLICATION)
    chosen = [case.pk for case in [*deaths, application]]
    with pytest.raises(ServiceError) as refused:
        services.reassign_in_bulk(case_ids=chosen, staff=world.leader, colleague_id=world.other.pk)
    assert refused.value.code == "casework.colleague_cannot_decide"
    assert "registration application" in refused.value.message
    assert not Case.objects.filter(assignee__isnull=False).exists()
    moved = services.reassign_in_bulk(
        case_ids=[case.pk for case in deaths], staff=world.leader, colleague_id=world.other.pk
    )
    assert len(moved) == 2


@pytest.mark.django_db(transaction=True)
def test_many_pressing_get_next_at_once_get_only_their_kinds_and_never_the_same_case():
    world = make_world()
    for minutes in range(5):
        open_case(world, minutes=minutes)
        open_case(world, kind=CaseKind.APPLICATION, minutes=minutes)
    inspectors = [world.inspector, world.other] + [
        staff(f"Inspector {n}", StaffRole.INSPECTOR, teams=(world.care,)) for n in range(3)
    ]
    assessors = [
        staff(f"Assessor {n}", StaffRole.REGISTRATION_ASSESSOR, teams=(world.care,))
        for n in range(5)
    ]
    people = inspectors + assessors
    outcomes = run_together([partial(services.get_next, staff=who) for who in people])
    assert not [o for o in outcomes if isinstance(o, Exception)]
    got = [o for o in outcomes if isinstance(o, Case)]
    assert len(got) == 10
    assert len({case.pk for case in got}) == 10  # no conflicts
    for who, case in zip(people, outcomes, strict=True):
        assert case.kind in handlers.kinds_decided_by(who)
    assert not Case.objects.filter(assignee__isnull=True).exists()


@pytest.mark.django_db
def test_the_unassigned_queue_shows_the_kinds_i_may_decide_unless_i_choose(client, world):
    death = open_case(world)
    application = open_case(world, kind=CaseKind.APPLICATION)
    client.force_login(world.inspector)
    html = unescape(client.get(reverse("casework:unassigned")).content.decode())
    assert death.reference in html
    assert application.reference not in html
    assert "Showing the kinds of case you can decide: notification" in html
    chosen = client.get(reverse("casework:unassigned"), {"kind": CaseKind.APPLICATION})
    html = unescape(chosen.content.decode())
    assert application.reference in html
    assert "Showing the kinds of case you can decide" not in html
    # A team leader decides every kind, so sees every unassigned case.
    client.force_login(world.leader)
    html = client.get(reverse("casework:unassigned")).content.decode()
    assert death.reference in html
    assert application.reference in html


@pytest.mark.django_db
def test_case_page_offers_only_colleagues_who_can_decide_and_says_why_not(client, world):
    assessor = staff("Ada Assessor", StaffRole.REGISTRATION_ASSESSOR, teams=(world.care,))
    application = open_case(world, kind=CaseKind.APPLICATION)
    url = reverse("casework:case", args=[application.pk])
    client.force_login(world.leader)
    page = client.get(url).content.decode()
    assert f'value="{assessor.pk}"' in page
    assert f'value="{world.inspector.pk}"' not in page
    # Posted anyway (a stale page): refused with the reason, nothing moved.
    response = client.post(
        reverse("casework:give", args=[application.pk]), {"colleague": world.inspector.pk}
    )
    assert response.status_code == 400
    assert "Ian Inspector cannot decide registration application cases" in unescape(
        response.content.decode()
    )
    assert Case.objects.get(pk=application.pk).assignee is None
    # The inspector's own "take" is refused with what it needs.
    client.force_login(world.inspector)
    response = client.post(reverse("casework:take", args=[application.pk]))
    assert response.status_code == 400
    assert "needs someone who can assess registration applications" in unescape(
        response.content.decode()
    )


@pytest.mark.django_db
def test_bulk_reassignment_page_names_the_kinds_the_colleague_cannot_decide(client, world):
    death = open_case(world)
    application = open_case(world, kind=CaseKind.APPLICATION)
    client.force_login(world.leader)
    response = client.post(
        reverse("casework:reassign"),
        {"cases": [death.pk, application.pk], "colleague": world.other.pk, "queue": "all"},
    )
    html = unescape(response.content.decode())
    assert "Olu Other cannot decide registration application cases" in html
    assert "govuk-error-summary" in html
    assert not Case.objects.filter(assignee__isnull=False).exists()
