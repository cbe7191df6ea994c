"""What a granted application asks of the register, as the register's own plain terms
(portal.register.registration_terms), and the call that puts it into effect.

The register is a lower layer: it never sees an application, only these dataclasses.
"""

from typing import Any

from portal.applications.completeness import matching_condition
from portal.applications.definitions.common import (
    CARE_HOMES,
    SERVICE_TYPE_NAMES,
    SERVICE_USER_BANDS,
)
from portal.applications.definitions.schema import ApplicationType, Effect, whole_number
from portal.applications.errors import ApplicationError, ApplicationErrorCode
from portal.applications.models import Application
from portal.register import registration_changes as register
from portal.register.models import OwnershipType, Person
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

BAND_NAMES = {choice.value: choice.label for choice in SERVICE_USER_BANDS}
OWNERSHIP = {
    "organisation": OwnershipType.ORGANISATION,
    "individual": OwnershipType.INDIVIDUAL,
    "partnership": OwnershipType.PARTNERSHIP,
}


def named(name: str, email: str) -> NamedPerson:
    words = name.split()
    given = " ".join(words[:-1]) if len(words) > 1 else name
    return NamedPerson(given_name=given, family_name=words[-1] if words else name, email=email)


def _person(answers: dict[str, Any], prefix: str) -> NamedPerson:
    """The person named by the answers to `person_questions(prefix, ...)`."""
    return named(str(answers[f"{prefix}_name"]), str(answers[f"{prefix}_email"]))


def _location(answers: dict[str, Any], n: int) -> NewLocation:
    prefix = f"loc_{n}"
    types = [str(v) for v in answers.get(f"{prefix}_service_types") or []]
    care_home = bool(CARE_HOMES & set(types))
    return NewLocation(
        key=f"location-{n}",
        name=str(answers[f"{prefix}_name"]),
        address=PostalAddress(
            line_1=str(answers[f"{prefix}_address_line_1"]),
            line_2=str(answers.get(f"{prefix}_address_line_2") or ""),
            town_city=str(answers[f"{prefix}_town"]),
            postal_code=str(answers[f"{prefix}_postcode"]),
            phone=str(answers.get(f"{prefix}_phone") or ""),
        ),
        activity_codes=tuple(answers.get(f"{prefix}_activities") or ()),
        service_types=tuple(SERVICE_TYPE_NAMES.get(t, t) for t in types),
        service_user_bands=tuple(
            BAND_NAMES.get(b, b) for b in answers.get(f"{prefix}_bands") or ()
        ),
        care_home=care_home,
        number_of_beds=whole_number(answers.get(f"{prefix}_places")) if care_home else None,
    )


def _conditions(application: Application, location: str = "") -> tuple[NewCondition, ...]:
    lines = [line.strip() for line in application.conditions.splitlines() if line.strip()]
    return tuple(NewCondition(text=line, location=location) for line in lines)


def new_provider_terms(application: Application) -> NewProviderRegistration:
    answers = application.answers
    applicant = application.created_by
    kind = str(answers.get("entity_type"))
    locations = tuple(
        _location(answers, n) for n in range(1, whole_number(answers.get("location_count")) + 1)
    )
    managers = tuple(
        NewManager(
            person=_person(answers, f"manager_{n}"),
            locations=tuple(
                f"location-{slot}" for slot in answers.get(f"manager_{n}_locations") or ()
            ),
        )
        for n in range(1, whole_number(answers.get("manager_count")) + 1)
    )
    nominated = responsible = main_partner = None
    partners: tuple[NamedPerson, ...] = ()
    name = ""
    if kind == "organisation":
        name = str(answers.get("legal_name"))
        email = (
            applicant.email if answers.get("ni_is_applicant") == "yes" else str(answers["ni_email"])
        )
        nominated = named(str(answers["ni_name"]), email)
    elif kind == "individual":
        name = str(answers.get("individual_name"))
        responsible = named(name, applicant.email)
    elif kind == "partnership":
        name = str(answers.get("partnership_name"))
        main_partner = named(str(answers.get("applicant_name")), applicant.email)
        partners = tuple(
            _person(answers, f"partner_{n}")
            for n in range(1, whole_number(answers.get("partner_count")) + 1)
        )
    return NewProviderRegistration(
        name=name,
        ownership_type=OWNERSHIP[kind],
        address=PostalAddress(
            line_1=str(answers.get("provider_address_line_1") or ""),
            town_city=str(answers.get("provider_town") or ""),
            postal_code=str(answers.get("provider_postcode") or ""),
            phone=str(answers.get("provider_phone") or ""),
        ),
        locations=locations,
        nominated_individual=nominated,
        responsible_individual=responsible,
        main_partner=main_partner,
        partners=partners,
        managers=managers,
        conditions=_conditions(application),
        companies_house_number=str(answers.get("companies_house_number") or ""),
        charity_number=str(answers.get("charity_number") or ""),
    )


def _new_manager(answers: dict[str, Any], locations: tuple[str, ...]) -> tuple[NewManager, ...]:
    if not answers.get("manager_1_name") or not answers.get("manager_1_email"):
        return ()
    return (
        NewManager(
            person=_person(answers, "manager_1"),
            locations=locations,
            activity_codes=tuple(answers.get("manager_activities") or ()),
        ),
    )


def put_into_effect(
    application: Application, definition: ApplicationType, *, actor: Any
) -> RegisterChangeOutcome:
    """Change the register as the granted application says (in the caller's transaction)."""
    answers = application.answers
    decision = RegisterDecision(actor=actor, reference=application.reference)
    provider = application.provider
    location_id = application.location_id or ""
    effect = definition.effect
    if effect == Effect.REGISTER_PROVIDER:
        return register.register_new_provider(
            registration=new_provider_terms(application), decision=decision
        )
    assert provider is not None
    if effect == Effect.ADD_LOCATION:
        managers = _new_manager(answers, ("location-1",))
        return register.add_location(
            provider=provider,
            location=_location(answers, 1),
            managers=managers,
            conditions=_conditions(application, "location-1"),
            decision=decision,
        )
    if effect == Effect.REMOVE_LOCATION:
        return register.remove_location(
            provider=provider, location_id=location_id, decision=decision
        )
    if effect == Effect.REGISTER_MANAGER:
        (manager,) = _new_manager(answers, (location_id,))
        return register.register_manager(provider=provider, manager=manager, decision=decision)
    if effect in (Effect.ADD_ACTIVITY, Effect.REMOVE_ACTIVITY):
        return _activities(application, effect, provider, location_id, decision)
    if effect == Effect.VARY_CONDITION:
        condition = matching_condition(application)
        if condition is None:
            raise ApplicationError(
                ApplicationErrorCode.REGISTER_REFUSED,
                "The condition this application quotes is no longer in force.",
            )
        if answers.get("condition_change") == "remove":
            return register.remove_condition(condition=condition, decision=decision)
        return register.vary_condition(
            condition=condition, text=str(answers.get("condition_new_wording")), decision=decision
        )
    if effect == Effect.ADD_PARTNER:
        partner = _person(answers, "partner_1")
        return register.add_partner(provider=provider, partner=partner, decision=decision)
    if effect == Effect.REMOVE_PARTNER:
        person = Person.objects.get(person_ref=answers["partner_person"])
        return register.remove_partner(provider=provider, person=person, decision=decision)
    if effect == Effect.CANCEL_PROVIDER:
        return register.cancel_provider_registration(provider=provider, decision=decision)
    if effect == Effect.CANCEL_MANAGER:
        leaving = Person.objects.get(pk=application.created_by.person_id or 0)
        return register.cancel_manager(
            provider=provider, person=leaving, location_ids=(location_id,), decision=decision
        )
    raise ValueError(f"No register effect for {effect}")  # pragma: no cover - exhaustive


def _activities(
    application: Application,
    effect: Effect,
    provider: Any,
    location_id: str,
    decision: RegisterDecision,
) -> RegisterChangeOutcome:
    codes = list(application.answers.get("activities") or [])
    outcome: RegisterChangeOutcome | None = None
    cancelled: list[CancelledManager] = []
    for index, code in enumerate(codes):
        if effect == Effect.ADD_ACTIVITY:
            managers = _new_manager(application.answers, (location_id,)) if index == 0 else ()
            outcome = register.add_activity(
                provider=provider,
                activity_code=code,
                location_ids=(location_id,),
                managers=managers,
                decision=decision,
            )
        else:
            outcome = register.remove_activity(
                provider=provider,
                activity_code=code,
                location_ids=(location_id,),
                decision=decision,
            )
            cancelled.extend(outcome.cancelled_managers)
    assert outcome is not None
    if cancelled:
        return RegisterChangeOutcome(
            provider=outcome.provider,
            cancelled_managers=tuple(cancelled),
            people=outcome.people,
        )
    return outcome
