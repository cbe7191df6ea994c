"""What a registration change says, as plain frozen dataclasses: applications build these,
the register applies them (portal.register.registration_changes)."""

import datetime as dt
from dataclasses import dataclass

from portal.access import Principal
from portal.register.models import Condition, Location, Person, Provider


@dataclass(frozen=True)
class RegisterDecision:
    """What every register change carries: who decided it (None for the system), what caused
    it (an application's reference, for the audit log and the register's history) and the
    day it takes effect (today when None)."""

    actor: Principal | None
    reference: str
    effective_date: dt.date | None = None


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
    people: tuple[Person, ...] = ()
