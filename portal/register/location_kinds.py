"""One of a provider's locations with its regulated activities and service types, as
`prefetch_related("activities", "service_types")` gives it, for what is read on every API
submission: three statements, each compiled once per database (portal.compiled_queries)."""

from typing import Any

from django.db.models import Model, QuerySet

from portal.compiled_queries import CompiledRows
from portal.register.models import Location, RegulatedActivity, ServiceType

_LOCATION_FIELDS = [field.attname for field in Location._meta.concrete_fields]
_ACTIVITY_FIELDS = [field.attname for field in RegulatedActivity._meta.concrete_fields]
_SERVICE_TYPE_FIELDS = [field.attname for field in ServiceType._meta.concrete_fields]
# No location or provider ID looks like these.
_IDS = ("-stand-in-1-", "-stand-in-2-")
_PROVIDERS = ("-stand-in-3-", "-stand-in-4-")


def _location(location_id: str, provider_id: str) -> QuerySet[Any]:
    return (
        Location.objects.order_by()
        .filter(pk=location_id, provider_id=provider_id)
        .values_list(*_LOCATION_FIELDS)
    )


def _activities(location_id: str) -> QuerySet[Any]:
    return RegulatedActivity.objects.filter(locations=location_id).values_list(*_ACTIVITY_FIELDS)


def _service_types(location_id: str) -> QuerySet[Any]:
    return ServiceType.objects.filter(locations=location_id).values_list(*_SERVICE_TYPE_FIELDS)


_LOCATION_ROWS = CompiledRows(_location, {"location_id": _IDS, "provider_id": _PROVIDERS})
_ACTIVITY_ROWS = CompiledRows(_activities, {"location_id": _IDS})
_SERVICE_TYPE_ROWS = CompiledRows(_service_types, {"location_id": _IDS})


def _prefetched(
    model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]
) -> QuerySet[Any]:
    """A queryset holding these rows as instances, as a prefetch leaves one."""
    alias = model._default_manager.db
    queryset = model._default_manager.all()
    queryset._result_cache = [model.from_db(alias, fields, row) for row in rows]
    queryset._prefetch_done = True  # type: ignore[attr-defined]  # as prefetch_related sets it
    return queryset


def location_with_kinds(provider_id: str, location_id: str) -> Location | None:
    """The provider's location `location_id` (None if it has none), its activities and
    service types already read (`location.activities.all()` asks nothing more)."""
    alias = Location.objects.db
    rows = _LOCATION_ROWS.rows(alias, location_id=location_id, provider_id=provider_id)
    if not rows:
        return None
    location = Location.from_db(alias, _LOCATION_FIELDS, rows[0])
    location._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "activities": _prefetched(
            RegulatedActivity, _ACTIVITY_FIELDS, _ACTIVITY_ROWS.rows(alias, location_id=location_id)
        ),
        "service_types": _prefetched(
            ServiceType,
            _SERVICE_TYPE_FIELDS,
            _SERVICE_TYPE_ROWS.rows(alias, location_id=location_id),
        ),
    }
    return location
