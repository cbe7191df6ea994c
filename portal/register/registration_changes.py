"""The register changes a registration decision makes when it takes effect.

Applications (a higher layer) decide; these functions change the register. They take plain
frozen dataclasses, never an application, so the register knows nothing of how a change was
asked for. Each one is atomic, writes its audit event (RegisterVerb) and emits the durable
register-change event (`person_register_changed`) for every person whose roles it touched,
in the same transaction: accounts and delegation follow in the worker.

References to locations inside one change: a `NewLocation` has a `key` (any text unique in
the change, for example "location-1"); managers and conditions of that change name a
location by that key, or by the register's location ID for a location already registered.
"""

from django.db import transaction
from django.utils import timezone

from portal.register import change_steps as changing
from portal.register.audit_verbs import RegisterVerb
from portal.register.errors import RegisterError, RegisterErrorCode
from portal.register.models import (
    Condition,
    OwnershipType,
    Person,
    Provider,
    RegistrationStatus,
    RoleAssignment,
    RoleType,
)
from portal.register.registration_terms import (
    CancelledManager,
    NamedPerson,
    NewCondition,
    NewLocation,
    NewManager,
    NewProviderRegistration,
    PostalAddress,
    RegisterChangeOutcome,
    RegisterDecision,
)

__all__ = [
    "CancelledManager",
    "NamedPerson",
    "NewCondition",
    "NewLocation",
    "NewManager",
    "NewProviderRegistration",
    "PostalAddress",
    "RegisterChangeOutcome",
    "RegisterDecision",
    "add_activity",
    "add_location",
    "add_partner",
    "cancel_manager",
    "cancel_provider_registration",
    "impose_condition",
    "register_manager",
    "register_new_provider",
    "remove_activity",
    "remove_condition",
    "remove_location",
    "remove_partner",
    "vary_condition",
]


# Every function: keyword-only; `decision` (RegisterDecision) says who decided, what caused
# the change and when it takes effect. Each locks the provider's row first, so two decisions
# about one provider take effect one after the other.


@transaction.atomic
def register_new_provider(
    *,
    registration: NewProviderRegistration,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    day = decision.effective_date or timezone.localdate()
    _check_new_provider(registration)

    address = registration.address
    provider = Provider.objects.create(
        id=changing.new_register_id(),
        name=registration.name.strip(),
        ownership_type=registration.ownership_type,
        sector_type=registration.sector_type,
        companies_house_number=registration.companies_house_number.strip(),
        charity_number=registration.charity_number.strip(),
        address_line_1=address.line_1,
        address_line_2=address.line_2,
        town_city=address.town_city,
        county=address.county,
        postal_code=address.postal_code,
        phone=address.phone,
        registration_status=RegistrationStatus.REGISTERED,
        registration_date=day,
    )
    change = changing.Change(
        provider=provider, actor=decision.actor, reference=decision.reference, day=day
    )
    change.audit(RegisterVerb.PROVIDER_REGISTERED, provider, provider_id=provider.id)
    keyed = {item.key: change.create_location(item) for item in registration.locations}
    provider_roles: list[tuple[NamedPerson | None, RoleType]] = [
        (registration.nominated_individual, RoleType.NOMINATED_INDIVIDUAL),
        (registration.responsible_individual, RoleType.RESPONSIBLE_INDIVIDUAL),
        (registration.main_partner, RoleType.MAIN_PARTNER),
        *((partner, RoleType.PARTNER) for partner in registration.partners),
    ]
    for named, role in provider_roles:
        if named is not None:
            change.start_role(change.person(named), role)
    for manager in registration.managers:
        change.start_manager(manager, keyed)
    for condition in registration.conditions:
        change.impose(condition, keyed)
    return change.finish()


@transaction.atomic
def add_location(
    *,
    provider: Provider,
    location: NewLocation,
    managers: tuple[NewManager, ...] = (),
    conditions: tuple[NewCondition, ...] = (),
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    changing.check_location(location)
    keyed = {location.key: change.create_location(location)}
    for manager in managers:
        change.start_manager(manager, keyed)
    for condition in conditions:
        change.impose(condition, keyed)
    return change.finish()


@transaction.atomic
def remove_location(
    *,
    provider: Provider,
    location_id: str,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    """Refuses (RegisterError LAST_LOCATION) to remove the last registered location: that
    is a cancellation of the provider's registration."""
    change = changing.Change.of(provider, decision)
    location = change.registered_location(location_id)
    others = change.provider.locations.filter(registration_status=RegistrationStatus.REGISTERED)
    if not others.exclude(id=location.id).exists():
        raise RegisterError(
            RegisterErrorCode.LAST_LOCATION,
            f"{location.name} is the provider's only registered location. Removing it would "
            "cancel the provider's registration: apply to cancel the registration instead.",
            field="location_id",
        )
    change.deregister_location(location)
    return change.finish()


@transaction.atomic
def add_activity(
    *,
    provider: Provider,
    activity_code: str,
    location_ids: tuple[str, ...],
    managers: tuple[NewManager, ...] = (),
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    activity = changing.activity(activity_code)
    if not location_ids:
        raise changing.invalid_change(
            "Name at least one location the activity will be carried on at", "location_ids"
        )
    locations = [change.registered_location(location_id) for location_id in location_ids]
    change.provider.activities.add(activity)
    for location in locations:
        location.activities.add(activity)
    change.audit(
        RegisterVerb.ACTIVITY_ADDED,
        change.provider,
        activity=activity.code,
        location_ids=[location.id for location in locations],
    )
    for manager in managers:
        change.start_manager(manager, {})
    return change.finish()


@transaction.atomic
def remove_activity(
    *,
    provider: Provider,
    activity_code: str,
    location_ids: tuple[str, ...] = (),  # empty: everywhere the provider carries it on
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    activity = changing.activity(activity_code)
    carrying = list(
        change.provider.locations.filter(
            registration_status=RegistrationStatus.REGISTERED, activities=activity
        ).prefetch_related("activities")
    )
    if location_ids:
        chosen = [change.registered_location(location_id) for location_id in location_ids]
        missing = [item.name for item in chosen if item.id not in {c.id for c in carrying}]
        if missing:
            raise RegisterError(
                RegisterErrorCode.UNKNOWN_ACTIVITY,
                f"{activity.name} is not registered at {', '.join(missing)}",
                field="location_ids",
            )
        carrying = [item for item in carrying if item.id in set(location_ids)]
    elif not carrying and not change.provider.activities.filter(code=activity.code).exists():
        raise RegisterError(
            RegisterErrorCode.UNKNOWN_ACTIVITY,
            f"The provider is not registered for {activity.name}",
            field="activity_code",
        )
    for location in carrying:
        if {item.code for item in location.activities.all()} <= {activity.code}:
            raise RegisterError(
                RegisterErrorCode.LAST_ACTIVITY,
                f"{activity.name} is the only regulated activity at {location.name}: "
                "apply to remove the location instead.",
                field="location_ids",
            )
    for location in carrying:
        location.activities.remove(activity)
    still_carried = change.provider.locations.filter(
        registration_status=RegistrationStatus.REGISTERED, activities=activity
    ).exists()
    if not still_carried:
        change.provider.activities.remove(activity)
    change.end_roles(
        RoleAssignment.objects.filter(
            provider=change.provider, activity=activity, location__in=carrying
        )
        if still_carried
        else RoleAssignment.objects.filter(provider=change.provider, activity=activity)
    )
    change.audit(
        RegisterVerb.ACTIVITY_REMOVED,
        change.provider,
        activity=activity.code,
        location_ids=[location.id for location in carrying],
    )
    return change.finish()


@transaction.atomic
def impose_condition(
    *,
    provider: Provider,
    condition: NewCondition,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    change.impose(condition, {})
    return change.finish()


@transaction.atomic
def vary_condition(
    *,
    condition: Condition,
    text: str,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    """The varied condition replaces the old one from the effective date (the old row is
    ended, so the register keeps what applied when)."""
    change = changing.Change.of(condition.provider, decision)
    old = change.condition_in_force(condition)
    new_text = changing.condition_text(text)
    change.end_condition(old)
    varied = Condition.objects.create(
        provider=change.provider,
        location_id=old.location_id,
        activity_id=old.activity_id,
        manager_id=old.manager_id,
        text=new_text,
        start_date=change.day,
        imposed_by=change.reference,
    )
    change.conditions.append(varied)
    change.audit(RegisterVerb.CONDITION_VARIED, varied, old_text=old.text, text=new_text)
    return change.finish()


@transaction.atomic
def remove_condition(
    *,
    condition: Condition,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(condition.provider, decision)
    current = change.condition_in_force(condition)
    change.end_condition(current)
    change.audit(RegisterVerb.CONDITION_REMOVED, current, text=current.text)
    return change.finish()


@transaction.atomic
def add_partner(
    *,
    provider: Provider,
    partner: NamedPerson,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    change.require_partnership()
    person = change.person(partner)
    if change.live_roles(person, changing.PARTNER_ROLES).exists():
        raise changing.invalid_change(f"{person.full_name} is already a partner", "partner")
    change.start_role(person, RoleType.PARTNER)
    return change.finish()


@transaction.atomic
def remove_partner(
    *,
    provider: Provider,
    person: Person,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    change.require_partnership()
    roles = change.live_roles(person, changing.PARTNER_ROLES)
    if not roles.exists():
        raise RegisterError(
            RegisterErrorCode.NOT_A_PARTNER,
            f"{person.full_name} is not a partner in {change.provider.name}",
            field="person",
        )
    partners = change.live_roles(None, changing.PARTNER_ROLES).values("person").distinct()
    if partners.count() <= 2:
        raise changing.invalid_change(
            "A partnership needs at least two partners. With one left it would be a "
            "different legal entity, which must apply to register as a new provider.",
            "person",
        )
    change.end_roles(roles)
    return change.finish()


@transaction.atomic
def register_manager(
    *,
    provider: Provider,
    manager: NewManager,  # locations by location ID
    conditions: tuple[NewCondition, ...] = (),
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    change.start_manager(manager, {})
    for condition in conditions:
        change.impose(condition, {})
    return change.finish()


@transaction.atomic
def cancel_manager(
    *,
    provider: Provider,
    person: Person,
    location_ids: tuple[str, ...] = (),  # empty: every location they manage for the provider
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    change = changing.Change.of(provider, decision)
    roles = change.live_roles(person, frozenset({RoleType.REGISTERED_MANAGER}))
    if location_ids:
        locations = [change.registered_location(location_id) for location_id in location_ids]
        roles = roles.filter(location__in=locations)
    if not roles.exists():
        raise RegisterError(
            RegisterErrorCode.NOT_A_MANAGER,
            f"{person.full_name} is not a registered manager there",
            field="person",
        )
    change.end_roles(roles, knock_on=False)
    return change.finish()


@transaction.atomic
def cancel_provider_registration(
    *,
    provider: Provider,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    """Ends every role, deregisters the provider and its locations; every registered manager
    is returned in `cancelled_managers`."""
    change = changing.Change.of(provider, decision)
    locked = change.provider
    for location in locked.locations.filter(registration_status=RegistrationStatus.REGISTERED):
        change.deregister_location(location)
    change.end_roles(RoleAssignment.objects.filter(provider=locked))
    for condition in Condition.objects.in_force(change.day).filter(provider=locked):
        change.end_condition(condition)
    locked.registration_status = RegistrationStatus.DEREGISTERED
    locked.deregistration_date = change.day
    locked.save(update_fields=["registration_status", "deregistration_date", "updated_at"])
    change.audit(RegisterVerb.PROVIDER_CANCELLED, locked, provider_id=locked.id)
    return change.finish()


def _check_new_provider(registration: NewProviderRegistration) -> None:
    if not registration.name.strip():
        raise changing.invalid_change("Enter the provider's name", "name")
    if registration.ownership_type not in OwnershipType.values:
        raise changing.invalid_change(
            "Choose whether the provider is an organisation, individual or partnership",
            "ownership_type",
        )
    if not registration.locations:
        raise changing.invalid_change(
            "A provider must be registered at one location at least", "locations"
        )
    keys = [item.key for item in registration.locations]
    if len(set(keys)) != len(keys):
        raise changing.invalid_change("Each location must have its own key", "locations")
    known = changing.all_activities()
    for item in registration.locations:
        changing.check_location(item, known)
    kind = registration.ownership_type
    if kind == OwnershipType.PARTNERSHIP:
        if registration.main_partner is None or not registration.partners:
            raise changing.invalid_change(
                "A partnership needs a main partner and at least one other partner", "partners"
            )
    elif kind == OwnershipType.INDIVIDUAL:
        if registration.responsible_individual is None:
            raise changing.invalid_change(
                "An individual provider must name themselves as the responsible individual",
                "responsible_individual",
            )
    elif registration.nominated_individual is None:
        raise changing.invalid_change(
            "An organisation must name its nominated individual", "nominated_individual"
        )
