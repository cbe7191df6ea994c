"""Reading the CQC public API's detail bodies (providers and locations) into staging rows:
validation and shaping only, with no run state, so it can run in a worker process (run.py).

A record that breaks a rule raises `validation.RecordError` naming the field; none of it is
staged (record_staging.py)."""

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from portal.register.importing import validation as v
from portal.register.models import (
    PUBLIC_PERSON_REF_PREFIX,
    DetailLevel,
    OwnershipType,
    RegistrationStatus,
    RoleType,
    person_name_key,
)

# Role names as the public API writes them in personRoles.
PUBLIC_ROLE_NAMES = {
    "registered manager": RoleType.REGISTERED_MANAGER,
    "nominated individual": RoleType.NOMINATED_INDIVIDUAL,
    "responsible individual": RoleType.RESPONSIBLE_INDIVIDUAL,
    "main partner": RoleType.MAIN_PARTNER,
    "partner": RoleType.PARTNER,
}
LOCATION_ROLES = {RoleType.REGISTERED_MANAGER}
STATUS_VALUES = frozenset(RegistrationStatus.values)
OWNERSHIP_VALUES = frozenset(OwnershipType.values)


def public_person_ref(name_key: str) -> str:
    """A person known only by name from public data gets a reference made from that name.

    Deterministic, so every run and every file gives the same person the same reference.
    """
    digest = hashlib.blake2b(name_key.encode(), digest_size=8).hexdigest().upper()
    return f"{PUBLIC_PERSON_REF_PREFIX}{digest}"


def content_hash(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def list_field(body: dict[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise v.RecordError(f"{key} must be a list")
    return value


def as_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise v.RecordError(f"{what} must be an object")
    return value


def _address(body: dict[str, Any]) -> tuple[str, ...]:
    return (
        v.text(body.get("postalAddressLine1"), "postalAddressLine1"),
        v.text(body.get("postalAddressLine2"), "postalAddressLine2"),
        v.text(body.get("postalAddressTownCity"), "postalAddressTownCity", 100),
        v.text(body.get("postalAddressCounty"), "postalAddressCounty", 100),
        v.text(body.get("postalCode"), "postalCode", 10),
        v.text(body.get("region"), "region", 100),
        v.text(body.get("localAuthority"), "localAuthority", 100),
        v.text(body.get("mainPhoneNumber"), "mainPhoneNumber", 30),
        v.text(body.get("website"), "website"),
    )


def _status(value: Any) -> str:
    if value not in STATUS_VALUES:
        raise v.RecordError("registrationStatus must be Registered or Deregistered")
    return str(value)


def _person_names(contact: dict[str, Any], what: str) -> tuple[str, str, str]:
    title = v.text(contact.get("personTitle"), f"{what} personTitle", 30)
    given = v.text(contact.get("personGivenName"), f"{what} personGivenName", 150)
    family = v.text(contact.get("personFamilyName"), f"{what} personFamilyName", 150)
    if not family or not (given or title):
        raise v.RecordError(f"{what} has no name")
    return title, given, family


def _primary_category(body: dict[str, Any]) -> str:
    categories = list_field(body, "inspectionCategories")
    for category in categories:
        category = as_object(category, "inspectionCategories item")
        if str(category.get("primary", "")).lower() == "true":
            return v.text(category.get("name"), "inspectionCategories name", 100)
    return ""


def _relationships(
    body: dict[str, Any], kind: str, own_id: str
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """A provider's or location's links to others ("Provider" or "Location" in the keys)."""
    for relationship in list_field(body, "relationships"):
        relationship = as_object(relationship, "relationships item")
        related_id, related_name = f"related{kind}Id", f"related{kind}Name"
        yield (
            f"stg_{kind.lower()}_relationship",
            (
                own_id,
                v.regulator_id(relationship.get(related_id), related_id),
                v.text(relationship.get(related_name), related_name),
                v.text(relationship.get("type"), "relationship type", 50, required=True),
                v.text(relationship.get("reason"), "relationship reason"),
            ),
        )


def provider_row(
    provider_id: str,
    *,
    name: str,
    detail_level: int,
    replace: bool,
    ownership_type: str = "",
    sector_type: str = "",
    companies_house_number: str = "",
    charity_number: str = "",
    brand_id: str = "",
    brand_name: str = "",
    ods_code: str = "",
    status: str = RegistrationStatus.REGISTERED,
    registration_date: Any = None,
    deregistration_date: Any = None,
    address: tuple[str, ...] = ("",) * 9,
    inspection_directorate: str = "",
    primary_inspection_category: str = "",
) -> list[Any]:
    return [
        provider_id,
        name,
        ownership_type,
        sector_type,
        companies_house_number,
        charity_number,
        brand_id,
        brand_name,
        ods_code,
        status,
        registration_date,
        deregistration_date,
        *address,
        inspection_directorate,
        primary_inspection_category,
        detail_level,
        "",  # source_hash, filled in by _stage_provider
        replace,
    ]


class RecordReader:
    """Turns one provider or location body into its row and child rows."""

    # The regulated activity codes the register knows (set by the parser).
    activity_codes: set[str]

    def provider_record(
        self, body: dict[str, Any]
    ) -> tuple[list[Any], tuple[tuple[str, tuple[Any, ...]], ...]]:
        provider_id = v.regulator_id(body.get("providerId"), "providerId")
        ownership = body.get("ownershipType")
        if ownership not in OWNERSHIP_VALUES:
            raise v.RecordError(
                "ownershipType must be Organisation, Individual, Partnership or NHS Body"
            )
        status = _status(body.get("registrationStatus"))
        registered = v.iso_date(body.get("registrationDate"), "registrationDate")
        deregistered = v.iso_date(body.get("deregistrationDate"), "deregistrationDate")
        v.dates_in_order(registered, deregistered, "the registration")
        row = provider_row(
            provider_id,
            name=v.text(body.get("name"), "name", required=True),
            detail_level=DetailLevel.FULL,
            replace=True,
            ownership_type=str(ownership),
            sector_type=v.text(body.get("type"), "type", 100),
            companies_house_number=v.text(
                body.get("companiesHouseNumber"), "companiesHouseNumber", 20
            ),
            charity_number=v.text(body.get("charityNumber"), "charityNumber", 20),
            brand_id=v.text(body.get("brandId"), "brandId", 20),
            brand_name=v.text(body.get("brandName"), "brandName"),
            ods_code=v.text(body.get("odsCode"), "odsCode", 20),
            status=status,
            registration_date=registered,
            deregistration_date=deregistered,
            address=_address(body),
            inspection_directorate=v.text(
                body.get("inspectionDirectorate"), "inspectionDirectorate", 100
            ),
            primary_inspection_category=_primary_category(body),
        )
        children: list[tuple[str, tuple[Any, ...]]] = []
        people: list[tuple[str, str, str, str, str]] = []
        for activity in list_field(body, "regulatedActivities"):
            activity = as_object(activity, "regulatedActivities item")
            code = self._activity_code(activity.get("code"))
            children.append(("stg_provider_activity", (provider_id, code)))
            nominated = activity.get("nominatedIndividual")
            if nominated:
                names = _person_names(
                    as_object(nominated, "nominatedIndividual"), "nominatedIndividual"
                )
                people.append((RoleType.NOMINATED_INDIVIDUAL, code, *names))
        for contact in list_field(body, "contacts"):
            contact = as_object(contact, "contacts item")
            names = _person_names(contact, "contact")
            for role in self._roles(contact.get("personRoles")):
                if role in LOCATION_ROLES:
                    raise v.RecordError(f"a provider contact cannot be a {role.label.lower()}")
                people.append((role, "", *names))
        children.extend(_relationships(body, "Provider", provider_id))
        children.extend(self._public_roles(people, provider_id, None))
        return row, tuple(dict.fromkeys(children))

    def location_record(
        self, body: dict[str, Any]
    ) -> tuple[list[Any], tuple[tuple[str, tuple[Any, ...]], ...]]:
        location_id = v.regulator_id(body.get("locationId"), "locationId")
        provider_id = v.regulator_id(body.get("providerId"), "providerId")
        status = _status(body.get("registrationStatus"))
        registered = v.iso_date(body.get("registrationDate"), "registrationDate")
        deregistered = v.iso_date(body.get("deregistrationDate"), "deregistrationDate")
        v.dates_in_order(registered, deregistered, "the registration")
        dormancy_start = v.iso_date(body.get("dormancyStartDate"), "dormancyStartDate")
        dormancy_end = v.iso_date(body.get("dormancyEndDate"), "dormancyEndDate")
        v.dates_in_order(dormancy_start, dormancy_end, "the dormancy")
        row = [
            location_id,
            provider_id,
            v.text(body.get("name"), "name", required=True),
            v.text(body.get("alsoKnownAs"), "alsoKnownAs"),
            v.text(body.get("type"), "type", 100),
            v.text(body.get("odsCode"), "odsCode", 20),
            v.text(body.get("uprn"), "uprn", 20),
            v.yes_no(body.get("careHome"), "careHome"),
            v.whole_number(body.get("numberOfBeds"), "numberOfBeds"),
            v.yes_no(body.get("dormancy"), "dormancy"),
            dormancy_start,
            dormancy_end,
            status,
            registered,
            deregistered,
            v.iso_date(body.get("registeredManagerAbsentDate"), "registeredManagerAbsentDate"),
            v.text(body.get("type"), "type", 100),
            v.text(body.get("inspectionDirectorate"), "inspectionDirectorate", 100),
            _primary_category(body),
            v.text(body.get("brandId"), "brandId", 20),
            v.text(body.get("brandName"), "brandName"),
            *_address(body),
            "",
        ]
        children: list[tuple[str, tuple[Any, ...]]] = []
        people: list[tuple[str, str, str, str, str]] = []
        for activity in list_field(body, "regulatedActivities"):
            activity = as_object(activity, "regulatedActivities item")
            code = self._activity_code(activity.get("code"))
            children.append(("stg_location_activity", (location_id, code)))
            for contact in list_field(activity, "contacts"):
                contact = as_object(contact, "contacts item")
                names = _person_names(contact, "contact")
                for role in self._roles(contact.get("personRoles")):
                    if role not in LOCATION_ROLES:
                        raise v.RecordError(f"a location contact cannot be a {role.label.lower()}")
                    people.append((role, code, *names))
        for service in list_field(body, "gacServiceTypes"):
            service = as_object(service, "gacServiceTypes item")
            children.append(
                (
                    "stg_location_service_type",
                    (
                        location_id,
                        v.text(service.get("name"), "service type name", 200, required=True),
                        v.text(service.get("description"), "service type description", 200),
                    ),
                )
            )
        for band in list_field(body, "specialisms"):
            band = as_object(band, "specialisms item")
            children.append(
                (
                    "stg_location_band",
                    (location_id, v.text(band.get("name"), "specialism name", 200, required=True)),
                )
            )
        children.extend(_relationships(body, "Location", location_id))
        children.extend(self._public_roles(people, provider_id, location_id))
        return row, tuple(dict.fromkeys(children))

    def _roles(self, value: Any) -> list[RoleType]:
        if not isinstance(value, list) or not value:
            raise v.RecordError("personRoles must be a non-empty list")
        roles = []
        for name in value:
            role = PUBLIC_ROLE_NAMES.get(str(name).strip().lower())
            if role is None:
                raise v.RecordError(f"unknown person role {str(name)[:40]!r}")
            roles.append(role)
        return roles

    def _activity_code(self, value: Any) -> str:
        code = v.text(value, "regulated activity code", 10, required=True).upper()
        if code not in self.activity_codes:
            raise v.RecordError(f"unknown regulated activity code {code!r}")
        return code

    def _public_roles(
        self,
        people: Sequence[tuple[str, str, str, str, str]],
        provider_id: str,
        location_id: str | None,
    ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        for role, code, title, given, family in people:
            key = person_name_key(given, family)
            reference = public_person_ref(key)
            yield (
                "stg_public_role",
                (role, provider_id, location_id, code or None, reference, key),
            )
            yield ("_person", (reference, title, given, family, key))
