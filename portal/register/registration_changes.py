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

import datetime as dt
from dataclasses import dataclass, field

from portal.access import Principal
from portal.register.models import Condition, Location, Person, Provider


@dataclass(frozen=True)
class PostalAddress:
    line_1: str
    town_city: str
    postal_code: str
    line_2: str = ""
    county: str = ""
    phone: str = ""


@dataclass(frozen=True)
class NamedPerson:
    """A person an application names. `email` is how they will sign in; an existing register
    person with the same email and name is reused rather than duplicated."""

    given_name: str
    family_name: str
    email: str
    title: str = ""


@dataclass(frozen=True)
class NewLocation:
    key: str
    name: str
    address: PostalAddress
    activity_codes: tuple[str, ...]
    service_types: tuple[str, ...] = ()  # ServiceType names, e.g. "Homecare agencies"
    service_user_bands: tuple[str, ...] = ()
    care_home: bool = False
    number_of_beds: int | None = None


@dataclass(frozen=True)
class NewManager:
    """A registered manager for locations (NewLocation keys or location IDs), optionally only
    for some regulated activities there (empty: every activity at those locations)."""

    person: NamedPerson
    locations: tuple[str, ...]
    activity_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewCondition:
    """A condition on a registration: on the provider, on one location (key or ID), or on a
    registered manager (their email) - for example "Complete medicines training by ..."."""

    text: str
    location: str = ""
    activity_code: str = ""
    manager_email: str = ""


@dataclass(frozen=True)
class NewProviderRegistration:
    """A granted new-provider application, as the register needs it.

    Organisations have a nominated individual; partnerships a main partner and partners;
    an individual provider is the responsible individual themselves."""

    name: str
    ownership_type: str  # an OwnershipType value
    address: PostalAddress
    locations: tuple[NewLocation, ...]
    nominated_individual: NamedPerson | None = None
    responsible_individual: NamedPerson | None = None
    main_partner: NamedPerson | None = None
    partners: tuple[NamedPerson, ...] = ()
    managers: tuple[NewManager, ...] = ()
    conditions: tuple[NewCondition, ...] = ()
    companies_house_number: str = ""
    charity_number: str = ""
    sector_type: str = ""


@dataclass(frozen=True)
class CancelledManager:
    """A registered manager whose registration ended because what they managed went: the
    caller owes them their own notice of decision."""

    person: Person
    location_ids: tuple[str, ...]


@dataclass(frozen=True)
class RegisterChangeOutcome:
    provider: Provider
    locations_added: tuple[Location, ...] = ()
    locations_deregistered: tuple[Location, ...] = ()
    conditions: tuple[Condition, ...] = ()
    cancelled_managers: tuple[CancelledManager, ...] = ()
    # Everyone whose register roles changed (register-change events were emitted for each).
    people: tuple[Person, ...] = field(default=())


# Every function: keyword-only; `actor` is who made the decision (None for the system);
# `reference` names what caused the change (an application's reference) for the audit log
# and the register's history; `effective_date` defaults to today.


def register_new_provider(
    *,
    registration: NewProviderRegistration,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def add_location(
    *,
    provider: Provider,
    location: NewLocation,
    managers: tuple[NewManager, ...] = (),
    conditions: tuple[NewCondition, ...] = (),
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def remove_location(
    *,
    provider: Provider,
    location_id: str,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    """Refuses (RegisterError LAST_LOCATION) to remove the last registered location: that
    is a cancellation of the provider's registration."""
    raise NotImplementedError


def add_activity(
    *,
    provider: Provider,
    activity_code: str,
    location_ids: tuple[str, ...],
    managers: tuple[NewManager, ...] = (),
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def remove_activity(
    *,
    provider: Provider,
    activity_code: str,
    location_ids: tuple[str, ...] = (),  # empty: everywhere the provider carries it on
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def impose_condition(
    *,
    provider: Provider,
    condition: NewCondition,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def vary_condition(
    *,
    condition: Condition,
    text: str,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def remove_condition(
    *,
    condition: Condition,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def add_partner(
    *,
    provider: Provider,
    partner: NamedPerson,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def remove_partner(
    *,
    provider: Provider,
    person: Person,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def register_manager(
    *,
    provider: Provider,
    manager: NewManager,  # locations by location ID
    conditions: tuple[NewCondition, ...] = (),
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def cancel_manager(
    *,
    provider: Provider,
    person: Person,
    location_ids: tuple[str, ...] = (),  # empty: every location they manage for the provider
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    raise NotImplementedError


def cancel_provider_registration(
    *,
    provider: Provider,
    actor: Principal | None,
    reference: str,
    effective_date: dt.date | None = None,
) -> RegisterChangeOutcome:
    """Ends every role, deregisters the provider and its locations; every registered manager
    is returned in `cancelled_managers`."""
    raise NotImplementedError
