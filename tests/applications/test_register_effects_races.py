"""Two decisions about one provider taking effect at once: the provider's row lock puts them
one after the other, so the register never ends in a state neither allowed."""

import pytest

from portal.register.errors import RegisterError, RegisterErrorCode
from portal.register.models import Location, Provider, RegistrationStatus
from portal.register.registration_changes import RegisterDecision, remove_location
from tests.applications.register_effects_helpers import registered
from tests.support.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_removing_both_locations_at_once_leaves_one():
    provider = registered(managers=(), conditions=()).provider
    first, second = list(provider.locations.order_by("name"))

    def remove(location: Location) -> object:
        return remove_location(
            provider=Provider(pk=provider.pk),
            location_id=location.id,
            decision=RegisterDecision(actor=None, reference="R"),
        )

    outcomes = run_together([lambda: remove(first), lambda: remove(second)])
    refused = [o for o in outcomes if isinstance(o, RegisterError)]
    assert len(refused) == 1, outcomes
    assert refused[0].code == RegisterErrorCode.LAST_LOCATION
    still = provider.locations.filter(registration_status=RegistrationStatus.REGISTERED)
    assert still.count() == 1
