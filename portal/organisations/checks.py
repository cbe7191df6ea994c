"""Permission names for `@requires(...)` (portal.access), all answered by the access function.

"organisations.<permission>" (for example "organisations.submit_notifications") holds when
the signed-in user has that permission at the provider named by the URL's `provider_id`
(somewhere in it), or at the URL's `location_id`. A provider or location the user has no
access to at all answers 404, never 403, so its existence is not revealed.
"organisations.member" holds for anyone with any access to the provider.
"""

from typing import Any

from django.http import Http404, HttpRequest

from portal.access import register_permission
from portal.organisations.access import can, has_any_access
from portal.organisations.permissions import Permission
from portal.register.models import Location


def _provider_check(permission: str | None) -> Any:
    def check(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
        user = request.user
        location_id = kwargs.get("location_id")
        if location_id is not None:
            location = Location.objects.filter(pk=location_id).first()
            if location is None or not has_any_access(user, location.provider_id):
                raise Http404("No such location")
            if permission is None:
                return True
            return can(user, permission, location=location)
        provider_id = kwargs.get("provider_id")
        if provider_id is None:
            raise LookupError("organisations permissions need provider_id or location_id")
        if not has_any_access(user, provider_id):
            raise Http404("No such provider")
        return permission is None or can(user, permission, provider=provider_id)

    return check


_READS = frozenset({"provider_id", "location_id"})
register_permission("organisations.member", _provider_check(None), reads=_READS)
for _permission in Permission:
    register_permission(
        f"organisations.{_permission.value}", _provider_check(_permission), reads=_READS
    )
