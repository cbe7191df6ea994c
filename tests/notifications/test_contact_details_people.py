"""A change of contact details offers only the registered people its sender's scope covers:
one sent for a location names that location's people, never provider-level people such as
the nominated individual, so a one-location delegate cannot change their details."""

import pytest

from portal.notifications import engine_contexts
from portal.notifications.catalogue import CATALOGUE
from portal.organisations.permissions import Permission
from portal.register.models import Person
from tests import factories as f
from tests.factories.notifications import submit

CONTACT = CATALOGUE.require("change-contact-details")
NOTIFY = (
    Permission.VIEW_SUBMISSIONS,
    Permission.DRAFT_NOTIFICATIONS,
    Permission.SUBMIT_NOTIFICATIONS,
)


def offered(location=None, provider=None):
    context = engine_contexts.engine_context(
        CONTACT, (provider or location.provider).pk, location.pk if location else None
    )
    return {ref for ref, _label in context.registered_people}


def test_a_location_notification_offers_only_that_locations_people(world):
    location = world.locations["Organisation"]
    provider = location.provider
    nominated = world.nominated["Organisation"].person
    assert offered(location) == {world.manager.person.person_ref}
    # For the provider as a whole (only whole-provider people may send it), everyone.
    assert offered(provider=provider) >= {
        nominated.person_ref,
        world.manager.person.person_ref,
        world.other_manager.person.person_ref,
    }


def change_email(user, location, person, new_email):
    return submit(
        CONTACT.slug,
        user,
        location,
        changes=["person_email"],
        changed_person=person.person_ref,
        new_email=new_email,
    )


def test_a_one_location_delegate_cannot_change_the_nominated_individuals_email(world):
    location = world.locations["Organisation"]
    nominated = world.nominated["Organisation"].person
    delegate = f.delegate(location.provider, NOTIFY, (location,))
    with pytest.raises(ValueError, match="Select whose details are changing"):
        change_email(delegate, location, nominated, "attacker@example.com")
    assert Person.objects.get(pk=nominated.pk).email != "attacker@example.com"
    # Their own location's manager they may still name.
    notification = change_email(delegate, location, world.manager.person, "mandy@example.com")
    assert notification.answers["changed_person"] == world.manager.person.person_ref
