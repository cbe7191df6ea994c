"""Every access decision about notifications, in one place.

Today a user's scope comes from the live register roles of the person their account belongs
to: a nominated individual, responsible individual or main partner acts for the whole
provider; a registered manager acts only for the locations they manage. Delegation (another
engineer's work) will add memberships here, in `scope_for`, and nowhere else: every view,
selector and count goes through these functions.

Anything outside a user's scope is treated as not existing (404), never as forbidden, so
nobody can learn that another location's notification exists.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from portal.register.models import Location, Provider, RoleAssignment, RoleType

WHOLE_PROVIDER_ROLES = frozenset(
    {
        RoleType.NOMINATED_INDIVIDUAL,
        RoleType.RESPONSIBLE_INDIVIDUAL,
        RoleType.MAIN_PARTNER,
    }
)
LOCATION_ROLES = frozenset({RoleType.REGISTERED_MANAGER})

_CACHE_ATTRIBUTE = "_notification_scope"


@dataclass(frozen=True)
class NotifierScope:
    """The providers a user acts for as a whole, and the single locations they act for."""

    whole_providers: frozenset[str] = field(default_factory=frozenset)
    # location id -> provider id
    locations: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.whole_providers and not self.locations

    @property
    def provider_ids(self) -> frozenset[str]:
        return self.whole_providers | frozenset(self.locations.values())

    def covers(self, provider_id: str, location_id: str | None) -> bool:
        if provider_id in self.whole_providers:
            return True
        return location_id is not None and self.locations.get(location_id) == provider_id

    def filter_q(self, prefix: str = "") -> Q:
        """A filter for rows with provider and location columns (notifications, drafts)."""
        if self.is_empty:
            return Q(pk__in=[])
        return Q(**{f"{prefix}provider_id__in": self.whole_providers}) | Q(
            **{f"{prefix}location_id__in": list(self.locations)}
        )


def scope_for(user: Any) -> NotifierScope:
    """The user's scope, computed once per user object (one query)."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = NotifierScope()
    person_id = getattr(user, "person_id", None)
    if getattr(user, "is_authenticated", False) and person_id is not None:
        whole: set[str] = set()
        locations: dict[str, str] = {}
        roles = (
            RoleAssignment.objects.live()
            .filter(person_id=person_id, role__in=WHOLE_PROVIDER_ROLES | LOCATION_ROLES)
            .values_list("role", "provider_id", "location_id")
        )
        for role, provider_id, location_id in roles:
            if role in WHOLE_PROVIDER_ROLES:
                whole.add(provider_id)
            elif location_id:
                locations[location_id] = provider_id
        scope = NotifierScope(whole_providers=frozenset(whole), locations=locations)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def providers_user_can_notify_for(user: Any) -> QuerySet[Provider]:
    return Provider.objects.filter(pk__in=scope_for(user).provider_ids).order_by("name")


def locations_user_can_notify_for(user: Any, provider: Provider) -> QuerySet[Location]:
    scope = scope_for(user)
    locations = Location.objects.filter(provider=provider).exclude(
        registration_status="Deregistered"
    )
    if provider.pk in scope.whole_providers:
        return locations.order_by("name")
    return locations.filter(pk__in=list(scope.locations)).order_by("name")


def locations_in_scope(user: Any) -> QuerySet[Location]:
    """Every location the user acts for, across providers (for filters and counts)."""
    scope = scope_for(user)
    return Location.objects.filter(
        Q(provider_id__in=scope.whole_providers) | Q(pk__in=list(scope.locations))
    ).order_by("name")


def can_notify_for_provider_as_a_whole(user: Any, provider: Provider) -> bool:
    """Provider-level changes (name, directors, insolvency) need a whole-provider role."""
    return provider.pk in scope_for(user).whole_providers


def can_notify_for(user: Any, provider: Provider, location: Location | None) -> bool:
    if location is not None and location.provider_id != provider.pk:
        return False
    return scope_for(user).covers(provider.pk, location.pk if location else None)


def can_view_notification(user: Any, notification: Any) -> bool:
    """For a notification or a draft (both have provider_id and location_id)."""
    return scope_for(user).covers(notification.provider_id, notification.location_id)


def can_edit_draft(user: Any, draft: Any) -> bool:
    return can_view_notification(user, draft)


def visible_to(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Only the rows of `queryset` (notifications or drafts) inside the user's scope."""
    return queryset.filter(scope_for(user).filter_q())


# Permission names for @requires (portal.access). Registered in NotificationsConfig.ready().


def may_submit(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return bool(request.user.is_authenticated and not scope_for(request.user).is_empty)


def may_view(request: HttpRequest, _kwargs: dict[str, Any]) -> bool:
    return bool(request.user.is_authenticated and not scope_for(request.user).is_empty)


def register() -> None:
    from portal.access import register_permission

    register_permission("notifications.submit", may_submit)
    register_permission("notifications.view", may_view)
