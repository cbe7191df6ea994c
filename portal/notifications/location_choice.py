"""The locations a user may choose for a new notification, for the location choice: the
picker's options with their addresses and the names of their service types, read by
register.compiled_locations. Built by the ORM on every request, these took a fifth of the
page (the service types' nested subqueries most)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from portal.access import Principal
from portal.notifications.permissions import DRAFT, scope_for
from portal.register.compiled_locations import CompiledLocations
from portal.register.location_picker import (
    ADDRESS_COLUMNS,
    LocationOption,
    options_and_addresses,
)
from portal.register.models import Location, Provider


def _locations(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Location]:
    # As permissions.locations_user_can_notify_for, for a scope given by its IDs (None: the
    # whole provider).
    locations = Location.objects.filter(provider=provider_id).exclude(
        registration_status="Deregistered"
    )
    if location_ids is not None:
        locations = locations.filter(pk__any_of=location_ids)
    return locations.order_by("name")


READS = CompiledLocations(_locations, ADDRESS_COLUMNS)


@dataclass(frozen=True)
class LocationChoice:
    """What the location choice offers: the options in name order, each one's address where
    radios show it (location_picker.options_with_addresses), and how to read the service
    types' names in order, read only if the page asks (location_picker.service_type_names)."""

    options: list[LocationOption]
    addresses: dict[str, str]
    type_names: Callable[[], list[str]]


def notifiable_locations(user: Principal | None, provider: Provider) -> LocationChoice:
    """The locations of `provider` that `user` may notify about
    (permissions.locations_user_can_notify_for), as the location choice offers them."""
    scope = scope_for(user, DRAFT)
    ids = None if provider.pk in scope.whole_providers else frozenset(scope.locations)
    options, addresses = options_and_addresses(READS.rows(provider.pk, ids))
    return LocationChoice(options, addresses, READS.type_names(provider.pk, ids))
