"""The steps registration changes are made of (portal.register.registration_changes): new
register IDs, people named in applications, roles started and ended, locations and
conditions. One `Change` gathers what a decision did, for its outcome and its events."""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.access import Principal
from portal.audit.services import record
from portal.emails.addresses import AddressError, canonical_email
from portal.register.activities import ensure_regulated_activities
from portal.register.audit_verbs import RegisterVerb
from portal.register.certificate_jobs import request_certificate
from portal.register.errors import RegisterError, RegisterErrorCode
from portal.register.events import person_register_changed
from portal.register.models import (
    Condition,
    Location,
    OwnershipType,
    Person,
    Provider,
    RegistrationStatus,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
    ServiceType,
    ServiceUserBand,
    person_name_key,
)
from portal.register.registration_terms import (
    CancelledManager,
    NamedPerson,
    NewCondition,
    NewLocation,
    NewManager,
    RegisterChangeOutcome,
    RegisterDecision,
)

PARTNER_ROLES = frozenset({RoleType.MAIN_PARTNER, RoleType.PARTNER})
MANAGER_ROLES = frozenset({RoleType.REGISTERED_MANAGER})
CONDITION_TEXT_LIMIT = 2000

# New provider and location IDs: the regulator's format, "1-" and ten digits, drawn at random
# from the block starting 9. The regulator's own sequence (imported IDs) is far below it, and
# each draw is checked against the register, so a new ID never meets an imported one.
_NEW_ID_PREFIX = "1-9"
_NEW_PERSON_REF_PREFIX = "P9"


def new_register_id() -> str:
    for _ in range(50):
        candidate = f"{_NEW_ID_PREFIX}{secrets.randbelow(10**9):09d}"
        taken = (
            Provider.objects.filter(id=candidate).exists()
            or Location.objects.filter(id=candidate).exists()
        )
        if not taken:
            return candidate
    raise RuntimeError("No free register ID after 50 draws")  # 1 in 10^9 each: never


def new_person_ref() -> str:
    for _ in range(50):
        candidate = f"{_NEW_PERSON_REF_PREFIX}{secrets.randbelow(10**9):09d}"
        if not Person.objects.filter(person_ref=candidate).exists():
            return candidate
    raise RuntimeError("No free person reference after 50 draws")


def invalid_change(message: str, field_name: str) -> RegisterError:
    """The error refusing a change the register cannot make as asked (INVALID_CHANGE)."""
    return RegisterError(RegisterErrorCode.INVALID_CHANGE, message, field=field_name)


def activity(code: str, known: dict[str, RegulatedActivity] | None = None) -> RegulatedActivity:
    """The regulated activity with this code (from `known`, the 14 already read, if given)."""
    if known is None:
        ensure_regulated_activities()
        found = RegulatedActivity.objects.filter(code=code).first()
    else:
        found = known.get(code)
    if found is None:
        raise RegisterError(
            RegisterErrorCode.UNKNOWN_ACTIVITY,
            "Choose a regulated activity from the list",
            field="activity_code",
        )
    return found


def condition_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise invalid_change("Enter the wording of the condition", "text")
    if len(cleaned) > CONDITION_TEXT_LIMIT:
        raise invalid_change(
            f"The condition must be {CONDITION_TEXT_LIMIT:,} characters or fewer", "text"
        )
    return cleaned


def all_activities() -> dict[str, RegulatedActivity]:
    ensure_regulated_activities()
    return {item.code: item for item in RegulatedActivity.objects.all()}


def check_location(item: NewLocation, known: dict[str, RegulatedActivity] | None = None) -> None:
    """Everything a location needs before it can be registered."""
    label = item.name.strip() or "Each location"
    if not item.name.strip():
        raise invalid_change("Enter the name of each location", "locations")
    address = item.address
    if not (address.line_1.strip() and address.town_city.strip() and address.postal_code.strip()):
        raise invalid_change(f"{label} needs an address with a town and postcode", "locations")
    if not item.activity_codes:
        raise invalid_change(f"{label} needs at least one regulated activity", "locations")
    if item.number_of_beds is not None and item.number_of_beds < 0:
        raise invalid_change(f"{label}: the number of places cannot be negative", "locations")
    for code in item.activity_codes:
        activity(code, known)


@dataclass
class Change:
    provider: Provider
    actor: Principal | None
    reference: str
    day: dt.date
    locations_added: list[Location] = field(default_factory=list)
    locations_deregistered: list[Location] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    cancelled: dict[int, CancelledManager] = field(default_factory=dict)
    touched: dict[int, Person] = field(default_factory=dict)

    @cached_property
    def activities(self) -> dict[str, RegulatedActivity]:
        """The 14 regulated activities, read once for the whole change."""
        return all_activities()

    @classmethod
    def of(cls, provider: Provider, decision: RegisterDecision) -> "Change":
        """A change to a registered provider, holding its row until the transaction ends."""
        locked = Provider.objects.select_for_update().filter(pk=provider.pk).first()
        if locked is None or not locked.is_registered:
            raise RegisterError(
                RegisterErrorCode.NOT_REGISTERED,
                f"{provider.display_name} is not registered, so its registration cannot change",
            )
        return cls.starting(locked, decision)

    @classmethod
    def starting(cls, provider: Provider, decision: RegisterDecision) -> "Change":
        day = decision.effective_date or timezone.localdate()
        return cls(provider=provider, actor=decision.actor, reference=decision.reference, day=day)

    def audit(self, verb: RegisterVerb, target: Any, **data: Any) -> None:
        """The audit event of one step, naming what caused the change."""
        record(
            verb=verb, actor=self.actor, target=target, data={**data, "reference": self.reference}
        )

    # People and roles

    def person(self, named: NamedPerson) -> Person:
        """The register's person for someone an application names: the one already holding
        this email under this name, or a new person."""
        given, family = named.given_name.strip(), named.family_name.strip()
        if not given or not family:
            raise invalid_change("Each person needs a first name and a last name", "people")
        try:
            email = canonical_email(named.email)
        except AddressError:
            raise invalid_change(
                f"{given} {family} needs a valid email address", "people"
            ) from None
        key = person_name_key(given, family)
        existing = Person.objects.filter(email=email, name_key=key).order_by("id").first()
        if existing is not None:
            return existing
        return Person.objects.create(
            person_ref=new_person_ref(),
            title=named.title.strip(),
            given_name=given,
            family_name=family,
            email=email,
        )

    def live_roles(
        self, person: Person | None, roles: frozenset[RoleType]
    ) -> QuerySet[RoleAssignment]:
        found = RoleAssignment.objects.live(on=self.day).filter(
            provider=self.provider, role__in=roles
        )
        return found.filter(person=person) if person is not None else found

    def start_role(
        self,
        person: Person,
        role: RoleType,
        location: Location | None = None,
        activity_item: RegulatedActivity | None = None,
    ) -> RoleAssignment:
        assignment, created = RoleAssignment.objects.get_or_create(
            person=person,
            role=role,
            provider=self.provider,
            location=location,
            activity=activity_item,
            defaults={"start_date": self.day},
        )
        if not created:
            if assignment.end_date is None or assignment.end_date > self.day:
                return assignment  # already holds it
            assignment.start_date, assignment.end_date = self.day, None
            assignment.save(update_fields=["start_date", "end_date", "updated_at"])
        self.audit(
            RegisterVerb.ROLE_STARTED,
            person,
            role=role.value,
            provider_id=self.provider.id,
            location_id=location.id if location else "",
            activity=activity_item.code if activity_item else "",
        )
        self.touched[person.pk] = person
        return assignment

    def start_manager(self, manager: NewManager, keyed: dict[str, Location]) -> None:
        if not manager.locations:
            raise invalid_change(
                "Name the locations each registered manager will manage", "managers"
            )
        person = self.person(manager.person)
        for ref in manager.locations:
            location = keyed.get(ref) or self.registered_location(ref)
            carried = set(location.activities.values_list("code", flat=True))
            unknown = [code for code in manager.activity_codes if code not in carried]
            if unknown:
                raise RegisterError(
                    RegisterErrorCode.UNKNOWN_ACTIVITY,
                    f"{location.name} is not registered for every activity named for "
                    f"{person.full_name}",
                    field="managers",
                )
            for code in manager.activity_codes or (None,):
                self.start_role(
                    person,
                    RoleType.REGISTERED_MANAGER,
                    location,
                    activity(code, self.activities) if code else None,
                )
            if location.registered_manager_absent_date is not None:
                location.registered_manager_absent_date = None
                location.save(update_fields=["registered_manager_absent_date", "updated_at"])

    def end_roles(self, roles: QuerySet[RoleAssignment], *, knock_on: bool = True) -> None:
        """End every role in `roles` still in force (or yet to start) on the day. A manager
        left with nothing to manage at this provider is cancelled too (with `knock_on`, they
        are owed their own notice: see `cancelled`)."""
        ending = list(
            roles.filter(Q(end_date__isnull=True) | Q(end_date__gt=self.day)).select_related(
                "person", "location"
            )
        )
        ended_locations: dict[int, list[str]] = {}
        for assignment in ending:
            start = assignment.start_date
            assignment.end_date = start if start is not None and start > self.day else self.day
            assignment.save(update_fields=["end_date", "updated_at"])
            self.audit(
                RegisterVerb.ROLE_ENDED,
                assignment.person,
                role=assignment.role,
                provider_id=self.provider.id,
                location_id=assignment.location_id or "",
            )
            self.touched[assignment.person_id] = assignment.person
            if assignment.role == RoleType.REGISTERED_MANAGER and assignment.location_id:
                ended_locations.setdefault(assignment.person_id, []).append(assignment.location_id)
        for person_id, location_ids in ended_locations.items():
            person = self.touched[person_id]
            remaining = self.live_roles(person, MANAGER_ROLES)
            if remaining.exists():
                continue
            for condition in Condition.objects.in_force(self.day).filter(
                provider=self.provider, manager=person
            ):
                self.end_condition(condition)
            if knock_on:
                self.cancelled[person_id] = CancelledManager(
                    person=person, location_ids=tuple(dict.fromkeys(location_ids))
                )
        self._note_locations_without_manager(
            {location_id for ids in ended_locations.values() for location_id in ids}
        )

    def _note_locations_without_manager(self, location_ids: set[str]) -> None:
        if not location_ids:
            return
        managed = set(
            RoleAssignment.objects.live(on=self.day)
            .filter(location_id__in=location_ids, role=RoleType.REGISTERED_MANAGER)
            .values_list("location_id", flat=True)
        )
        Location.objects.filter(
            id__in=location_ids - managed,
            registration_status=RegistrationStatus.REGISTERED,
            registered_manager_absent_date__isnull=True,
        ).update(registered_manager_absent_date=self.day, updated_at=timezone.now())

    # Locations

    def registered_location(self, location_id: str) -> Location:
        location = Location.objects.filter(
            provider=self.provider,
            id=location_id,
            registration_status=RegistrationStatus.REGISTERED,
        ).first()
        if location is None:
            raise RegisterError(
                RegisterErrorCode.UNKNOWN_LOCATION,
                f"{self.provider.display_name} has no registered location {location_id}",
                field="location_id",
            )
        return location

    def create_location(self, item: NewLocation) -> Location:
        address = item.address
        location = Location.objects.create(
            id=new_register_id(),
            provider=self.provider,
            name=item.name.strip(),
            address_line_1=address.line_1.strip(),
            address_line_2=address.line_2.strip(),
            town_city=address.town_city.strip(),
            county=address.county.strip(),
            postal_code=address.postal_code.strip().upper(),
            phone=address.phone.strip(),
            care_home=item.care_home,
            number_of_beds=item.number_of_beds,
            sector_type=self.provider.sector_type,
            registration_status=RegistrationStatus.REGISTERED,
            registration_date=self.day,
        )
        activities = [
            activity(code, self.activities) for code in dict.fromkeys(item.activity_codes)
        ]
        location.activities.set(activities)
        self.provider.activities.add(*activities)
        location.service_types.set(
            [ServiceType.objects.get_or_create(name=name)[0] for name in item.service_types]
        )
        location.service_user_bands.set(
            [
                ServiceUserBand.objects.get_or_create(name=name)[0]
                for name in item.service_user_bands
            ]
        )
        self.audit(RegisterVerb.LOCATION_ADDED, location, location_id=location.id)
        self.locations_added.append(location)
        return location

    def deregister_location(self, location: Location) -> None:
        location.registration_status = RegistrationStatus.DEREGISTERED
        location.deregistration_date = self.day
        location.save(update_fields=["registration_status", "deregistration_date", "updated_at"])
        self.end_roles(RoleAssignment.objects.filter(location=location))
        for condition in Condition.objects.in_force(self.day).filter(location=location):
            self.end_condition(condition)
        self.audit(RegisterVerb.LOCATION_REMOVED, location, location_id=location.id)
        self.locations_deregistered.append(location)

    def require_partnership(self) -> None:
        if self.provider.ownership_type != OwnershipType.PARTNERSHIP:
            raise invalid_change("Only a partnership has partners", "partner")

    # Conditions

    def impose(self, item: NewCondition, keyed: dict[str, Location]) -> Condition:
        text = condition_text(item.text)
        location = None
        if item.location:
            location = keyed.get(item.location) or self.registered_location(item.location)
        manager = None
        if item.manager_email:
            manager = self._manager_by_email(item.manager_email)
        condition = Condition.objects.create(
            provider=self.provider,
            location=location,
            activity=activity(item.activity_code, self.activities) if item.activity_code else None,
            manager=manager,
            text=text,
            start_date=self.day,
            imposed_by=self.reference,
        )
        self.audit(
            RegisterVerb.CONDITION_IMPOSED,
            condition,
            provider_id=self.provider.id,
            text=text,
        )
        self.conditions.append(condition)
        return condition

    def _manager_by_email(self, email: str) -> Person:
        try:
            address = canonical_email(email)
        except AddressError:
            address = ""
        role = (
            self.live_roles(None, MANAGER_ROLES)
            .filter(person__email=address)
            .select_related("person")
            .first()
        )
        if role is None:
            raise RegisterError(
                RegisterErrorCode.NOT_A_MANAGER,
                "A condition on a manager's registration must name a registered manager here",
                field="manager_email",
            )
        return role.person

    def condition_in_force(self, condition: Condition) -> Condition:
        current = (
            Condition.objects.select_for_update()
            .in_force(self.day)
            .filter(pk=condition.pk, provider=self.provider)
            .first()
        )
        if current is None:
            raise RegisterError(
                RegisterErrorCode.CONDITION_ENDED,
                "This condition no longer applies: it has already been varied or removed",
                field="condition",
            )
        return current

    def end_condition(self, condition: Condition) -> None:
        start = condition.start_date
        condition.end_date = start if start is not None and start > self.day else self.day
        condition.changed_by = self.reference
        condition.save(update_fields=["end_date", "changed_by", "updated_at"])

    def finish(self) -> RegisterChangeOutcome:
        """Emit the register-change event of everyone whose roles changed (accounts and
        delegation follow in the worker) and say what the change did."""
        # The certificate of the new register state, made once in the worker.
        request_certificate(provider=self.provider, reuse_waiting=False)
        for person in self.touched.values():
            person_register_changed(
                person=person,
                reason="registration changed",
                data={"provider_id": self.provider.id, "reference": self.reference},
            )
        return RegisterChangeOutcome(
            provider=self.provider,
            locations_added=tuple(self.locations_added),
            locations_deregistered=tuple(self.locations_deregistered),
            conditions=tuple(self.conditions),
            cancelled_managers=tuple(self.cancelled.values()),
            people=tuple(self.touched.values()),
        )
