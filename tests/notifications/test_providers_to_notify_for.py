"""The providers offered on "Which provider?" are read by a compiled query: it must really
compile and give what the ORM's query gives, in the same order."""

from portal.notifications import permissions
from portal.register.models import Provider, RoleType
from tests import factories as f
from tests.support.compiled import assert_compiled_on_postgresql


def test_the_compiled_providers_are_the_orms(world):
    person = f.make_person(given="Sam")
    for provider in (world.providers["Partnership"], world.providers["Organisation"]):
        f.give_role(person, RoleType.NOMINATED_INDIVIDUAL, provider)
    user = f.make_user(person=person, full_name=person.full_name)
    ids = permissions.scope_for(user, permissions.DRAFT).provider_ids
    expected = list(Provider.objects.filter(pk__in=ids).order_by("name"))
    assert len(expected) == 2
    assert permissions.providers_user_can_notify_for(user) == expected
    assert_compiled_on_postgresql(permissions._PROVIDERS_BY_NAME)
    assert permissions.providers_user_can_notify_for(f.make_user()) == []
