"""Building registration changes for tests of the register effects."""

from portal.register.models import Location, Person, Provider
from portal.register.registration_changes import (
    NamedPerson,
    NewCondition,
    NewLocation,
    NewManager,
    NewProviderRegistration,
    PostalAddress,
    RegisterChangeOutcome,
    RegisterDecision,
    register_new_provider,
)
from tests.support.register_changes import process_register_changes

HOME = PostalAddress(line_1="1 Mill Lane", town_city="Oldham", postal_code="ol1 1aa")


def location(key: str, name: str, *codes: str, **extra: object) -> NewLocation:
    return NewLocation(
        key=key,
        name=name,
        address=PostalAddress(line_1=f"{key} Road", town_city="Oldham", postal_code="OL2 2BB"),
        activity_codes=codes or ("RA1",),
        **extra,  # type: ignore[arg-type]
    )


def organisation(**overrides: object) -> NewProviderRegistration:
    fields: dict[str, object] = {
        "name": "O'Brien & Sons <Care>",
        "ownership_type": "Organisation",
        "address": HOME,
        "locations": (
            location("first", "Mill House", "RA1", "RA2", service_types=("Care home service",)),
            location("second", "Brook Lodge", "RA1"),
        ),
        "nominated_individual": NamedPerson("Nora", "Nominee", "Nora@Example.com"),
        "managers": (
            NewManager(NamedPerson("Mo", "Manager", "mo@example.com"), ("first",)),
            NewManager(NamedPerson("Bea", "Both", "bea@example.com"), ("first", "second")),
        ),
        "conditions": (
            NewCondition("Accommodate no more than 12 people", location="first"),
            NewCondition("Complete medicines training by March", manager_email="mo@example.com"),
        ),
        "companies_house_number": "01234567",
    }
    fields.update(overrides)
    return NewProviderRegistration(**fields)  # type: ignore[arg-type]


def registered(**overrides: object) -> RegisterChangeOutcome:
    return register_new_provider(
        registration=organisation(**overrides),
        decision=RegisterDecision(actor=None, reference="APP-1"),
    )


def registered_partnership() -> Provider:
    """A partnership on the register: Pat Partner its main partner, Sam Second the other."""
    return registered(
        ownership_type="Partnership",
        nominated_individual=None,
        main_partner=NamedPerson("Pat", "Partner", "pat@example.com"),
        partners=(NamedPerson("Sam", "Second", "sam@example.com"),),
    ).provider


def process_all_changes() -> None:
    """Process every waiting register change, as the worker would; each must succeed."""
    assert all(outcome == "processed" for outcome in process_register_changes())


def person(email: str) -> Person:
    return Person.objects.get(email=email)


def named_location(provider: Provider, name: str) -> Location:
    return provider.locations.get(name=name)
