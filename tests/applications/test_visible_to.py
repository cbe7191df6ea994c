"""Who sees which applications in their list: their own, and their providers' where they may
view submissions (the whole provider, or only at the locations they hold)."""

from django.db import DEFAULT_DB_ALIAS, connection
from django.test.utils import CaptureQueriesContext

from portal.applications import completeness, list_reads
from portal.applications.definitions import CATALOGUE
from portal.applications.models import Application, ApplicationPart
from portal.applications.selectors import visible_to
from portal.applications.services import drafts
from portal.emails.addresses import normalise_email
from portal.forms.models import DraftStatus
from tests.applications.helpers import (
    location,
    nominated_individual,
    provider,
    user,
    with_open_manager_part,
)
from tests.factories.organisations import give_access


def _start(signer, owner, place=None) -> Application:
    application = drafts.start_application(
        user=signer, definition=CATALOGUE.latest("cancel-provider"), provider=owner
    )
    if place is not None:
        Application.objects.filter(pk=application.pk).update(location=place)
    return application


def _seen(someone) -> set:
    return set(visible_to(someone).values_list("pk", flat=True))


def test_whole_providers_locations_and_own_applications(db):
    first, second, third = provider(), provider(), provider()
    here, there = location(first), location(first)
    elsewhere = location(second)
    first_ni, second_ni, third_ni = (nominated_individual(p) for p in (first, second, third))
    at_first = _start(first_ni, first)
    at_here = _start(first_ni, first, here)
    at_there = _start(first_ni, first, there)
    at_second = _start(second_ni, second, elsewhere)
    at_third = _start(third_ni, third)
    # Whole at two providers, one location at a third.
    viewer = user()
    give_access(viewer, first, ["view"])
    give_access(viewer, third, ["view"])
    give_access(viewer, second, ["view"], [elsewhere])
    assert _seen(viewer) == {at_first.pk, at_here.pk, at_there.pk, at_second.pk, at_third.pk}
    only_here = user()
    give_access(only_here, first, ["view"], [here])
    assert _seen(only_here) == {at_here.pk}
    assert _seen(second_ni) == {at_second.pk}
    assert _seen(user()) == set()
    # What someone started stays theirs to see after their access there has gone.
    third_ni.person = None
    third_ni.save(update_fields=["person"])
    assert _seen(third_ni) == {at_third.pk}


def _fields(rows: list) -> list[dict]:
    return [{k: v for k, v in vars(row).items() if k != "_state"} for row in rows]


def test_the_compiled_list_is_the_orms_list(db):
    """ "Your applications" reads through SQL compiled once for each shape of scope: the same
    rows, in the same order, with the same provider and location, as the ORM's query."""
    first, second, third = provider(), provider(), provider()
    here, elsewhere = location(first), location(second)
    first_ni, second_ni, third_ni = (nominated_individual(p) for p in (first, second, third))
    _start(first_ni, first)
    _start(first_ni, first, here)
    _start(second_ni, second, elsewhere)
    _start(third_ni, third)
    viewer, only_here, both_partial = user(), user(), user()
    give_access(viewer, first, ["view"])
    give_access(viewer, second, ["view"], [elsewhere])
    give_access(only_here, first, ["view"], [here])
    give_access(both_partial, first, ["view"], [here])
    give_access(both_partial, second, ["view"], [elsewhere])
    shapes = set()
    for someone in (viewer, only_here, both_partial, first_ni, user()):
        partial, whole = list_reads.scope_of(someone)
        shapes.add((len(partial), bool(whole)))
        by_orm = list(
            visible_to(someone).select_related("provider", "location").order_by("-updated_at")
        )
        fast = list_reads.listed_applications(someone)
        assert _fields(fast) == _fields(by_orm)
        assert [(a.provider, a.location) for a in fast] == [
            (a.provider, a.location) for a in by_orm
        ]
    assert shapes == {(1, True), (1, False), (2, False), (0, True), (0, False)}
    assert len(list_reads.listed_applications(viewer)) == 3
    # On PostgreSQL each shape compiled (so the fast path, not the ORM's, was compared).
    if connection.vendor == "postgresql":
        assert all(c._compiled(DEFAULT_DB_ALIAS) for c in list_reads._BY_SHAPE.values())


def test_the_compiled_parts_are_the_orms_parts(db):
    applicant, manager = user(), user(email="Manager@Care.example")
    application, _part = with_open_manager_part(applicant, manager)
    assert application.parts.count() == 1
    withdrawn, _other = with_open_manager_part(user(), manager)
    Application.objects.filter(pk=withdrawn.pk).update(stage="withdrawn")
    by_orm = list(
        ApplicationPart.objects.filter(email=normalise_email(manager.email))
        .exclude(status=DraftStatus.DISCARDED)
        .exclude(application__stage__in=["discarded", "withdrawn"])
        .select_related("application")
        .order_by("-updated_at")
    )
    fast = list_reads.invited_parts(manager)
    assert len(fast) == 1
    assert _fields(fast) == _fields(by_orm)
    assert _fields([p.application for p in fast]) == _fields([p.application for p in by_orm])


def test_problems_with_the_context_already_read_are_the_same(db):
    """The check page hands problems_of the engine context it has read: the same problems
    as problems_of reading it again, and one read the fewer."""
    applicant, manager = user(), user()
    application, _part = with_open_manager_part(applicant, manager)
    Application.objects.filter(pk=application.pk).update(answers={})
    application.refresh_from_db()
    context = completeness.engine_context(application)
    again = completeness.problems_of(application)
    with CaptureQueriesContext(connection) as given:
        problems = completeness.problems_of(application, context=context)
    with CaptureQueriesContext(connection) as read:
        completeness.problems_of(application)
    assert problems == again
    assert any("answer every question" in p.message for p in problems)
    assert len(given) < len(read)
