"""What a notification's definition and the form engine need to know about where it is
sent from: the provider and location it is about, the registered people a question may
name, and the files already attached."""

from django.db.models import Q

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


def engine_context(
    definition: NotificationType, provider_id: str, location_id: str | None
) -> engine.EngineContext:
    """The registered people a question may ask about: those with live roles here (1 query,
    and none for definitions that never ask about a registered person)."""
    if not any(q.kind == Kind.REGISTERED_PERSON for q in definition.questions()):
        return engine.EngineContext()
    roles = RoleAssignment.objects.live().filter(provider_id=provider_id)
    if location_id is not None and any(q.only_people_in_scope for q in definition.questions()):
        roles = roles.filter(location_id=location_id)
    elif location_id is not None:
        # About one location: the provider's people and that location's managers.
        roles = roles.filter(Q(location__isnull=True) | Q(location_id=location_id))
    roles = roles.select_related("person").order_by(
        "person__family_name", "person__given_name", "role"
    )
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
