"""Every access decision about notifications, in one place.

A user's scope comes from the portal's one access function (portal.organisations.access):
live register roles (nominated individual, responsible individual, main partner: the whole
provider; registered manager: their own locations; partner: view the whole provider) plus
delegated memberships with the permissions and locations stored on them. Here each
notification action maps to the fine-grained permission it needs:

- VIEW: see sent notifications, their thread, print and export them (view_submissions);
- DRAFT: start and edit drafts, see drafts (draft_notifications);
- SUBMIT: send a draft, add updates, answer the regulator's questions (submit_notifications).

Every view, selector, service and count goes through these functions. Anything outside a
user's scope is treated as not existing (404), never as forbidden, so nobody can learn that
another location's notification exists.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from portal.access import Principal
from portal.compiled_queries import CompiledObjects
from portal.notifications.models import Notification
from portal.notifications.references import sequence_of
from portal.organisations import access as organisation_access
from portal.organisations.permissions import Permission
from portal.register.id_lookups import any_of_parameter
from portal.register.models import Location, Provider

VIEW = Permission.VIEW_SUBMISSIONS
DRAFT = Permission.DRAFT_NOTIFICATIONS
SUBMIT = Permission.SUBMIT_NOTIFICATIONS

_CACHE_ATTRIBUTE = "_notification_scopes"


@dataclass(frozen=True)
class NotifierScope:
    """For one permission: providers held as a whole, and single locations held."""

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
            **{f"{prefix}location_id__any_of": self.locations}
        )


def scope_for(user: Principal | None, permission: str = VIEW) -> NotifierScope:
    """Where the user holds `permission`, worked out once per user object."""
    cache: dict[str, NotifierScope] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        if getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTRIBUTE, cache)
    if permission in cache:
        return cache[permission]
    whole: set[str] = set()
    locations: dict[str, str] = {}
    if getattr(user, "is_authenticated", False):
        for provider_id, access in organisation_access.access_for(user).items():
            where = access.scope_for(permission)
            if where.whole_provider:
                whole.add(provider_id)
            else:
                locations.update(dict.fromkeys(where.location_ids, provider_id))
    scope = NotifierScope(whole_providers=frozenset(whole), locations=locations)
    cache[permission] = scope
    return scope


class _AsArray:
    """How the compiled query takes the provider IDs: as the one parameter `any_of` sends."""

    @staticmethod
    def get_db_prep_value(value: Any, connection: Any) -> Any:
        return any_of_parameter(list(value))


# The providers to choose from, by name: compiled once (building it cost more than running it).
_PROVIDERS_BY_NAME = CompiledObjects(
    lambda ids: Provider.objects.filter(pk__any_of=ids).order_by("name"),
    {"ids": (("-stand-in-n1-",), ("-stand-in-n2-",))},
    {"ids": cast(Any, _AsArray())},
    prepared=True,
)


def providers_user_can_notify_for(user: Principal | None) -> list[Provider]:
    ids = scope_for(user, DRAFT).provider_ids
    return _PROVIDERS_BY_NAME.objects(ids=sorted(ids)) if ids else []


def locations_user_can_notify_for(user: Principal | None, provider: Provider) -> QuerySet[Location]:
    scope = scope_for(user, DRAFT)
    locations = Location.objects.filter(provider=provider).exclude(
        registration_status="Deregistered"
    )
    if provider.pk in scope.whole_providers:
        return locations.order_by("name")
    return locations.filter(pk__any_of=scope.locations).order_by("name")


def locations_in_scope(user: Principal | None) -> QuerySet[Location]:
    """Every location whose notifications the user may see (for filters)."""
    scope = scope_for(user, VIEW)
    return Location.objects.filter(
        Q(provider_id__in=scope.whole_providers) | Q(pk__any_of=scope.locations)
    ).order_by("name")


def first_locations_in_scope(user: Principal | None, limit: int) -> QuerySet[Location]:
    """Up to `limit` of the locations in scope, by name: enough for a filter to tell a short
    list from a search. The limit is taken before the sort, so the sort is of `limit` rows:
    ordered first, PostgreSQL walked the name index through the national register's 60,000
    locations to find a delegate's first 21 (16 ms); limited first, it reads 21 rows."""
    some = locations_in_scope(user).order_by().values("pk")[:limit]
    return Location.objects.filter(pk__in=some).order_by("name")


def can_notify_for_provider_as_a_whole(user: Principal | None, provider: Provider) -> bool:
    """Provider-level changes (name, directors, insolvency) need the whole provider."""
    return provider.pk in scope_for(user, DRAFT).whole_providers


def can_notify_at_some_location_of(user: Principal | None, provider: Provider) -> bool:
    return provider.pk in scope_for(user, DRAFT).locations.values()


def can_notify_for(user: Principal | None, provider: Provider, location: Location | None) -> bool:
    if location is not None and location.provider_id != provider.pk:
        return False
    return scope_for(user, DRAFT).covers(provider.pk, location.pk if location else None)


def can_view_notification(user: Principal | None, notification: Any) -> bool:
    return scope_for(user, VIEW).covers(notification.provider_id, notification.location_id)


def can_edit_draft(user: Principal | None, draft: Any) -> bool:
    return scope_for(user, DRAFT).covers(draft.provider_id, draft.location_id)


def can_send(user: Principal | None, item: Any) -> bool:
    """Send a draft, add an update or answer a question (for a draft or a notification)."""
    return scope_for(user, SUBMIT).covers(item.provider_id, item.location_id)


def visible_to(user: Principal | None, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Only the sent notifications of `queryset` the user may see."""
    return queryset.filter(scope_for(user, VIEW).filter_q())


def count_visible(user: Principal | None, queryset: QuerySet[Any], up_to: int | None = None) -> int:
    """`visible_to(user, queryset).count()` in one statement that PostgreSQL answers from
    indexes alone; with `up_to`, counted no further than that (the smaller of the two). Tested as one condition (provider held whole OR location held), the scope
    made it read every matching row, or every entry of an index, to test each (a delegate's
    30,000 notifications: 14-35 ms at national shape). Counted as two parts, the locations'
    leaving out what the providers' counted, each is a range of its own index (by provider;
    notif_location_history, which carries the provider): 3-8 ms."""
    scope = scope_for(user, VIEW)
    parts = []
    if scope.whole_providers:
        parts.append(queryset.filter(provider_id__in=scope.whole_providers))
    if scope.locations:
        held = queryset.filter(location_id__any_of=scope.locations)
        if scope.whole_providers:
            held = held.exclude(provider_id__in=scope.whole_providers)
        parts.append(held)
    if not parts:
        return 0
    if len(parts) == 1:
        counted = parts[0].order_by().values("pk")
    else:
        whole, at_locations = (part.order_by().values("pk") for part in parts)
        counted = whole.union(at_locations, all=True)
    return (counted if up_to is None else counted[:up_to]).count()


def drafts_visible_to(user: Principal | None, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Only the drafts the user may work on."""
    return queryset.filter(scope_for(user, DRAFT).filter_q())


_CHECKED_ATTRIBUTE = "_notification_checked"


# Every notification page reads its notification: compiled once (no notification has these).
_NOTIFICATION = CompiledObjects.by_key(
    Notification.objects.select_related("provider", "location", "submitted_by", "scheduled_change"),
    (-918_273_651, -918_273_653),
)


def visible_notification(user: Principal | None, reference: str) -> Notification | None:
    """The notification with this reference, if the user may see it. The permission check
    of a URL naming it leaves it on the user object for the view to take, so the page does
    not read it twice."""
    checked: Notification | None = getattr(user, _CHECKED_ATTRIBUTE, None)
    if checked is not None:
        delattr(user, _CHECKED_ATTRIBUTE)
        if checked.pk == sequence_of(reference):
            return checked
    notification: Notification | None = _NOTIFICATION.one(sequence_of(reference) or 0)
    if notification is None or not can_view_notification(user, notification):
        return None
    return notification


# Permission names for @requires (portal.access). Registered in NotificationsConfig.ready().


def _named_in_url_is_in_scope(request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """A provider or notification the URL names that the user may not see does not exist
    for them (404)."""
    provider_id = kwargs.get("provider_id")
    if provider_id is not None and provider_id not in scope_for(request.user, DRAFT).provider_ids:
        raise Http404("No such provider")
    reference = kwargs.get("reference")
    if reference is not None:
        notification = visible_notification(request.user, reference)
        if notification is None:
            raise Http404("No such notification")
        setattr(request.user, _CHECKED_ATTRIBUTE, notification)


def _may(permission: str) -> Callable[[HttpRequest, dict[str, Any]], bool]:
    """The @requires check for `permission`: held somewhere, and the URL names nothing out
    of the user's scope (404 if it does)."""

    def may(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
        if not request.user.is_authenticated or scope_for(request.user, permission).is_empty:
            return False
        _named_in_url_is_in_scope(request, kwargs)
        return True

    return may


may_draft = _may(DRAFT)
may_view = _may(VIEW)


def register() -> None:
    from portal.access import register_permission

    reads = frozenset({"provider_id", "reference"})
    register_permission("notifications.submit", may_draft, reads=reads)
    register_permission("notifications.view", may_view, reads=reads)
