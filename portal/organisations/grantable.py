"""What a manager may give access to, for the forms that offer it (changing a member,
approving a request, inviting): the locations as the picker's tuples and the names of their
service types, read by register.compiled_locations."""

from collections.abc import Callable

from django.db.models import QuerySet

from portal.access import Principal
from portal.organisations.access import scope_for
from portal.organisations.permissions import Permission
from portal.register.compiled_locations import CompiledLocations
from portal.register.location_picker import OPTION_COLUMNS, LocationOption, options_of_rows
from portal.register.models import Location, Provider


def _locations(provider_id: str, location_ids: frozenset[str] | None) -> QuerySet[Location]:
    # As selectors.grantable_locations, for a scope given by its IDs (None: everywhere).
    locations = Location.objects.filter(provider=provider_id, registration_status="Registered")
    if location_ids is not None:
        locations = locations.filter(pk__any_of=location_ids)
    return locations.order_by("name")


READS = CompiledLocations(_locations, OPTION_COLUMNS)


def grantable_options(
    user: Principal, provider: Provider
) -> tuple[list[LocationOption], Callable[[], list[str]]]:
    """The locations `user` may give access to at `provider` (location_options of
    selectors.grantable_locations), and how to read their service types' names in order
    (location_picker.service_type_names), read only if the page asks."""
    scope = scope_for(user, Permission.MANAGE_TEAM, provider)
    if scope.is_empty:
        return [], list
    ids = None if scope.whole_provider else scope.location_ids
    return options_of_rows(READS.rows(provider.pk, ids)), READS.type_names(provider.pk, ids)
