"""What a notification's definition and the form engine need to know about where it is
sent from: the provider and location it is about, the registered people a question may
name, and the files already attached."""

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.compiled_queries import CompiledObjects
from portal.forms import engine
from portal.forms.vocabulary import Kind
from portal.notifications import attachments
from portal.notifications.catalogue.schema import NotificationType, NotifyingFor
from portal.notifications.models import Notification, NotificationDraft
from portal.register.models import Location, Provider, RoleAssignment


def notifying_for(provider: Provider, location: Location | None) -> NotifyingFor:
    if location is None:
        return NotifyingFor(ownership_type=provider.ownership_type, location_chosen=False)
    return NotifyingFor(
        ownership_type=provider.ownership_type,
        location_chosen=True,
        activity_names=frozenset(a.name for a in location.activities.all()),
        service_type_names=frozenset(
            name for s in location.service_types.all() for name in (s.name, s.description) if name
        ),
    )


def is_primary_medical(target: NotifyingFor) -> bool:
    names = " ".join(target.service_type_names).lower()
    return "doctors" in names or "gp" in names.split() or "primary medical" in names


# Which live roles a question may name: the provider's (no location chosen), only the
# location's (questions about people in scope), or the provider's and the location's.
_WHOLE_PROVIDER, _IN_SCOPE, _PROVIDER_AND_LOCATION = "provider", "in_scope", "provider_and_location"


def _roles_query(
    shape: str, provider_id: str, day: dt.date, location_id: str | None = None
) -> QuerySet[Any]:
    roles = RoleAssignment.objects.live(on=day).filter(provider_id=provider_id)
    if shape == _IN_SCOPE:
        roles = roles.filter(location_id=location_id)
    elif shape == _PROVIDER_AND_LOCATION:
        roles = roles.filter(Q(location__isnull=True) | Q(location_id=location_id))
    return roles.select_related("person").order_by(
        "person__family_name", "person__given_name", "role"
    )


# Each shape compiled once: building this query with its joins cost a notification's page
# more than PostgreSQL took to answer it. (Every stand-in must appear in its shape's SQL.)
_DAY_FIELD = RoleAssignment._meta.get_field("start_date")
_PROVIDER_AND_DAY: dict[str, tuple[Any, Any]] = {
    "provider_id": ("-stand-in-1-", "-stand-in-2-"),
    "day": (dt.date(1901, 2, 3), dt.date(1901, 2, 4)),
}
_ROLES = {
    shape: CompiledObjects(
        partial(_roles_query, shape),
        _PROVIDER_AND_DAY
        if shape == _WHOLE_PROVIDER
        else {**_PROVIDER_AND_DAY, "location_id": ("-stand-in-3-", "-stand-in-4-")},
        {"day": _DAY_FIELD},
        prepared=True,
    )
    for shape in (_WHOLE_PROVIDER, _IN_SCOPE, _PROVIDER_AND_LOCATION)
}


def _roles_shape(definition: NotificationType, location_id: str | None) -> str:
    if location_id is None:
        return _WHOLE_PROVIDER
    if any(q.only_people_in_scope for q in definition.questions()):
        return _IN_SCOPE
    return _PROVIDER_AND_LOCATION


def engine_context(
    definition: NotificationType, provider_id: str, location_id: str | None
) -> engine.EngineContext:
    """The registered people a question may ask about: those with live roles here (1 query,
    and none for definitions that never ask about a registered person)."""
    if not any(q.kind == Kind.REGISTERED_PERSON for q in definition.questions()):
        return engine.EngineContext()
    shape = _roles_shape(definition, location_id)
    where: dict[str, Any] = {"provider_id": provider_id, "day": timezone.localdate()}
    if shape != _WHOLE_PROVIDER:
        where["location_id"] = location_id
    roles: list[RoleAssignment] = _ROLES[shape].objects(**where)
    names: dict[str, str] = {}
    role_names: dict[str, list[str]] = {}
    for role in roles:
        ref = role.person.person_ref
        names[ref] = role.person.full_name
        label = role.get_role_display().lower()
        if label not in role_names.setdefault(ref, []):
            role_names[ref].append(label)
    people = {ref: f"{names[ref]} ({', '.join(role_names[ref])})" for ref in names}
    return engine.EngineContext(registered_people=tuple(people.items()))


def context_for(
    definition: NotificationType, item: NotificationDraft | Notification, *, links: bool = False
) -> engine.EngineContext:
    """The engine context of a draft or notification: its people and its files (`links`:
    clean files link to their download)."""
    context = engine_context(definition, item.provider_id, item.location_id)
    return attachments.with_files(context, definition, item, links=links)
