"""Who sees which applications in their list: their own, and their providers' where they may
view submissions (the whole provider, or only at the locations they hold)."""

from portal.applications.definitions import CATALOGUE
from portal.applications.models import Application
from portal.applications.selectors import visible_to
from portal.applications.services import drafts
from tests.applications.helpers import location, nominated_individual, provider, user
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
