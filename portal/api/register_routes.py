"""The provider's registration (locations, activities, managers, conditions) and the stage
of its applications, as this key may see them."""

from django.http import HttpRequest
from ninja import Router

from portal.api.auth import actor_of, key_of
from portal.api.errors import ApiError, refused
from portal.api.notification_routes import errors
from portal.api.schemas import (
    ApplicationOut,
    ConditionOut,
    LocationOut,
    ManagerOut,
    RegistrationOut,
    from_row,
)
from portal.applications.selectors import visible_to
from portal.organisations.access import has_any_access, locations_for
from portal.organisations.permissions import Permission
from portal.register.models import Condition, Provider, RoleAssignment

router = Router(tags=["registration"])


def _provider(request: HttpRequest, provider_id: str) -> Provider:
    if not has_any_access(actor_of(request), provider_id):
        raise refused(ApiError.NOT_FOUND, "No such provider in this key's scope.")
    return Provider.objects.prefetch_related("activities").get(pk=provider_id)


@router.get(
    "/providers/{provider_id}/registration",
    response={200: RegistrationOut, **errors(401, 404, 429)},
    summary="The provider's registration",
)
def registration(request: HttpRequest, provider_id: str) -> RegistrationOut:
    """The locations this key may see (all of them for a whole-provider key), with their
    regulated activities, registered managers and conditions."""
    provider = _provider(request, provider_id)
    locations = list(
        locations_for(actor_of(request), Permission.VIEW_SUBMISSIONS, provider).prefetch_related(
            "activities"
        )
    )
    location_ids = {location.pk for location in locations}
    roles = (
        RoleAssignment.objects.live()
        .filter(provider=provider)
        .select_related("person")
        .order_by("role", "person__family_name")
    )
    managers = [
        ManagerOut(
            name=role.person.full_name, role=role.get_role_display(), location_id=role.location_id
        )
        for role in roles
        if role.location_id is None or role.location_id in location_ids
    ]
    conditions = [
        from_row(ConditionOut, c)
        for c in Condition.objects.in_force().filter(provider=provider)
        if c.location_id is None or c.location_id in location_ids
    ]
    return from_row(
        RegistrationOut,
        provider,
        provider_id=provider.pk,
        activities=[a.name for a in provider.activities.all()],
        locations=[
            from_row(LocationOut, location, activities=[a.name for a in location.activities.all()])
            for location in locations
        ],
        managers=managers,
        conditions=conditions,
    )


@router.get(
    "/providers/{provider_id}/applications",
    response={200: list[ApplicationOut], **errors(401, 404, 429)},
    summary="The stage of the provider's applications",
)
def applications(request: HttpRequest, provider_id: str) -> list[ApplicationOut]:
    provider = _provider(request, provider_id)
    rows = visible_to(actor_of(request)).filter(provider=provider)
    key = key_of(request)
    if key.location_ids:
        # visible_to also lists the creator's own applications: keep the key's locations.
        rows = rows.filter(location_id__in=key.location_ids)
    rows = rows.order_by("-updated_at")[:200]
    return [from_row(ApplicationOut, a, type=a.type_slug) for a in rows]
