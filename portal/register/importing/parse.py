"""Reading the register's source formats into staging rows, one whole record at a time.

Formats, detected per file:
- CQC public API JSON: location and provider detail bodies, and list pages;
- the change-feed manifest (`changes.json`, see docs/register-contact-feed.md);
- the regulator's private contact feed (CSV, header `person_ref,title,...`);
- the CQC care-directory CSV export (header with "Location ID" and "Registered manager").

A record is validated completely before any of its rows are staged, so a rejected record
leaves nothing behind. Records whose content hash equals what the register holds are not
staged at all: re-importing unchanged data costs a parse and a comparison, nothing more.
"""

import csv
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from portal.register.importing import validation as v
from portal.register.importing.report import ImportReport
from portal.register.importing.staging import Stager
from portal.register.models import (
    PUBLIC_PERSON_REF_PREFIX,
    DetailLevel,
    OwnershipType,
    RegistrationStatus,
    RoleType,
    person_name_key,
)

CONTACT_FEED_COLUMNS = [
    "person_ref",
    "title",
    "given_name",
    "family_name",
    "role",
    "provider_id",
    "location_id",
    "activity_code",
    "email",
    "start_date",
    "end_date",
]
DIRECTORY_REQUIRED_COLUMNS = {"Location ID", "Location Name", "Provider ID", "Provider Name"}
# Role names as the public API writes them in personRoles.
PUBLIC_ROLE_NAMES = {
    "registered manager": RoleType.REGISTERED_MANAGER,
    "nominated individual": RoleType.NOMINATED_INDIVIDUAL,
    "responsible individual": RoleType.RESPONSIBLE_INDIVIDUAL,
    "main partner": RoleType.MAIN_PARTNER,
    "partner": RoleType.PARTNER,
}
LOCATION_ROLES = {RoleType.REGISTERED_MANAGER}
ROLES_BY_VALUE = {role.value: role for role in RoleType}
STATUS_VALUES = frozenset(RegistrationStatus.values)
OWNERSHIP_VALUES = frozenset(OwnershipType.values)
ROW_DIGEST = "\x00digest"  # where _csv_rows hands a row's hash to contact_row
MAX_JSON_BYTES = 20 * 1024 * 1024  # a detail body is a few KB; a list page at most a few MB
MAX_CSV_FIELD = 10_000


# What prepare_json hands to apply_json: a tag, the file's label, then the tag's details.
Prepared = tuple[Any, ...]


class _Identical(v.RecordError):
    """The same record again, unchanged: not an error, nothing to do."""


def public_person_ref(name_key: str) -> str:
    """A person known only by name from public data gets a reference made from that name.

    Deterministic, so every run and every file gives the same person the same reference.
    """
    digest = hashlib.blake2b(name_key.encode(), digest_size=8).hexdigest().upper()
    return f"{PUBLIC_PERSON_REF_PREFIX}{digest}"


def content_hash(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@dataclass
class Existing:
    """What the register holds before the run, to tell new, changed and unchanged apart."""

    provider_hashes: dict[str, tuple[str, int]] = field(default_factory=dict)
    location_hashes: dict[str, str] = field(default_factory=dict)
    person_hashes: dict[str, str] = field(default_factory=dict)
    location_by_hash: dict[str, str] = field(default_factory=dict)
    provider_by_hash: dict[str, str] = field(default_factory=dict)
    role_hashes: set[str] = field(default_factory=set)


@dataclass
class Seen:
    """What this run has already read, to catch duplicate IDs across records."""

    # id -> (content hash or None if recognised unchanged unparsed, label, path)
    providers: dict[str, tuple[str | None, str, Path | None]] = field(default_factory=dict)
    locations: dict[str, tuple[str | None, str, Path | None]] = field(default_factory=dict)
    directory_providers: dict[str, list[Any] | None] = field(default_factory=dict)
    listed_locations: dict[str, str] = field(default_factory=dict)  # id -> where
    listed_providers: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # id -> (name, where)
    manifest_locations: dict[str, str] = field(default_factory=dict)
    manifest_providers: dict[str, str] = field(default_factory=dict)
    public_people: set[str] = field(default_factory=set)
    full_location_files: set[str] = field(default_factory=set)
    feed_people: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    feed_roles: dict[tuple[str, ...], str] = field(default_factory=dict)


def _list(body: dict[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise v.RecordError(f"{key} must be a list")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
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
    categories = _list(body, "inspectionCategories")
    for category in categories:
        category = _object(category, "inspectionCategories item")
        if str(category.get("primary", "")).lower() == "true":
            return v.text(category.get("name"), "inspectionCategories name", 100)
    return ""


class Parser:
    """Reads files into the stager, reporting every record it rejects."""

    def __init__(
        self,
        *,
        stager: Stager,
        report: ImportReport,
        existing: Existing,
        activity_codes: set[str],
    ) -> None:
        self.stager = stager
        self.report = report
        self.existing = existing
        self.activity_codes = activity_codes
        self.seen = Seen()

    # --- dispatch -------------------------------------------------------------------------

    def parse_file(self, path: Path, label: str) -> None:
        suffix = path.suffix.lower()
        if suffix == ".json":
            self._json_file(path, label)
        elif suffix == ".csv":
            self.report.files += 1
            self._csv_file(path, label)
        else:
            self.report.skipped_files.append(label)

    def _json_file(self, path: Path, label: str) -> None:
        self.apply_json(self.prepare_json(path, label))

    def prepare_json(self, path: Path, label: str, recognise_unchanged: bool = True) -> Prepared:
        """Everything about a JSON file that needs no run state: reading, hashing, parsing and
        validating. Safe to run in a worker process (see run.py)."""
        try:
            if path.stat().st_size > MAX_JSON_BYTES:
                return ("reject", label, "", f"file is larger than {MAX_JSON_BYTES // 2**20} MB")
            raw = path.read_bytes()
        except OSError as error:
            return ("reject", label, "", f"cannot be read ({error.strerror})")
        # The stored hash of a body is the hash of its bytes: an unchanged file is recognised
        # without parsing it, which keeps re-imports of the whole register quick.
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        if recognise_unchanged and (
            digest in self.existing.location_by_hash or digest in self.existing.provider_by_hash
        ):
            return ("unchanged", label, path, digest)
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            where = f"line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
            return ("reject", label, where, f"malformed JSON ({error.__class__.__name__})")
        except RecursionError:
            return ("reject", label, "", "malformed JSON (nested too deeply)")
        if not isinstance(body, dict):
            return ("reject", label, "", "JSON is not a register record (not an object)")
        try:
            if "locationId" in body and "providerId" in body:
                return ("location", label, path, digest, *self.location_record(body))
            if "providerId" in body and (
                body.get("organisationType") == "Provider" or "locationIds" in body
            ):
                return ("provider", label, path, digest, *self.provider_record(body))
        except v.RecordError as error:
            return ("reject", label, "", str(error))
        return ("body", label, path, digest, body)

    def apply_json(self, prepared: Prepared) -> None:
        """The part that needs the run's state: duplicates, what is unchanged, staging."""
        self.report.files += 1
        kind, label = prepared[0], prepared[1]
        if kind == "reject":
            self.report.reject(label, prepared[2], prepared[3])
        elif kind == "unchanged":
            path, digest = prepared[2], prepared[3]
            if not self._unchanged_file(digest, path, label):
                # Its ID already came earlier in this run: compare in full.
                self.report.files -= 1
                self.apply_json(self.prepare_json(path, label, recognise_unchanged=False))
        elif kind == "location":
            _, _, path, digest, row, children = prepared
            self.seen.full_location_files.add(label)
            self._record(
                label, "", partial(self._stage_location, row, children, label, digest, path)
            )
        elif kind == "provider":
            _, _, path, digest, row, children = prepared
            self._record(
                label, "", partial(self._apply_provider, row, children, label, path, digest)
            )
        else:
            body = prepared[4]
            if isinstance(body.get("locations"), list) and "from" in body and "to" in body:
                self._manifest(body, label)
            elif isinstance(body.get("locations"), list):
                self._list_page(body["locations"], label, self._listed_location)
            elif isinstance(body.get("providers"), list):
                self._list_page(body["providers"], label, self._listed_provider)
            else:
                self.report.reject(label, "", "JSON is not a register record or list page")

    def _unchanged_file(self, digest: str, path: Path, label: str) -> bool:
        for kind, by_hash, seen in (
            ("locations", self.existing.location_by_hash, self.seen.locations),
            ("providers", self.existing.provider_by_hash, self.seen.providers),
        ):
            record_id = by_hash.get(digest)
            if record_id is not None and record_id not in seen:
                seen[record_id] = (None, label, path)
                if kind == "locations":
                    self.seen.full_location_files.add(label)
                self.report.count(kind, "unchanged")
                return True
        return False

    def _record(self, file: str, where: str, apply: Callable[[], None]) -> None:
        try:
            apply()
        except _Identical:
            pass
        except v.RecordError as error:
            self.report.reject(file, where, str(error))

    # --- list pages and change manifests --------------------------------------------------

    def _list_page(
        self,
        items: list[Any],
        label: str,
        handle: Callable[[dict[str, Any], str], None],
    ) -> None:
        for number, item in enumerate(items, start=1):
            where = f"item {number}"
            self._record(label, where, partial(handle, item, where))

    def _listed_location(self, item: Any, where: str) -> None:
        item = _object(item, "list item")
        location_id = v.regulator_id(item.get("locationId"), "locationId")
        if location_id in self.seen.listed_locations:
            raise v.RecordError(f"duplicate location ID {location_id} in the list")
        self.seen.listed_locations[location_id] = where
        self.report.count("list page entries", "listed")

    def _listed_provider(self, item: Any, where: str) -> None:
        item = _object(item, "list item")
        provider_id = v.regulator_id(item.get("providerId"), "providerId")
        name = v.text(item.get("providerName"), "providerName", required=True)
        if provider_id in self.seen.listed_providers:
            raise v.RecordError(f"duplicate provider ID {provider_id} in the list")
        self.seen.listed_providers[provider_id] = (name, where)
        self.report.count("list page entries", "listed")

    def _manifest(self, body: dict[str, Any], label: str) -> None:
        for key, target in (
            ("providers", self.seen.manifest_providers),
            ("locations", self.seen.manifest_locations),
        ):
            for number, item in enumerate(_list(body, key), start=1):
                try:
                    target[v.regulator_id(item, f"{key} item")] = label
                except v.RecordError as error:
                    self.report.reject(label, f"{key} item {number}", str(error))

    def finish(self) -> None:
        """Checks that need the whole run: list pages and manifests against detail records."""
        for location_id, where in self.seen.listed_locations.items():
            if location_id not in self.seen.locations and (
                location_id not in self.existing.location_hashes
            ):
                self.report.reject(
                    "list page", where, f"location {location_id} is listed but has no detail record"
                )
        # Partial provider records (care directory rows, list pages) only where no full body
        # came in this run; the richest source wins.
        for provider_id, row in self.seen.directory_providers.items():
            if row is None:  # only named by unchanged rows
                continue
            if provider_id not in self.seen.providers:
                self._stage_provider(row, ())
        for provider_id, (name, _where) in self.seen.listed_providers.items():
            if provider_id in self.seen.providers or provider_id in self.seen.directory_providers:
                continue
            row = self._provider_row(
                provider_id, name=name, detail_level=DetailLevel.LIST_PAGE, replace=False
            )
            self._stage_provider(row, ())
        for ids, seen, kind in (
            (self.seen.manifest_locations, self.seen.locations, "location"),
            (self.seen.manifest_providers, self.seen.providers, "provider"),
        ):
            for record_id, label in ids.items():
                if record_id not in seen:
                    self.report.reject(
                        label, "", f"changed {kind} {record_id} has no detail record in the feed"
                    )

    # --- providers ------------------------------------------------------------------------

    def _provider_row(
        self,
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

    def _stage_provider(
        self,
        row: list[Any],
        children: tuple[tuple[str, tuple[Any, ...]], ...],
        digest: str | None = None,
    ) -> None:
        provider_id = row[0]
        digest = digest or content_hash(row, children)
        row[-2] = digest
        known = self.existing.provider_hashes.get(provider_id)
        if known and known[0] == digest:
            self.report.count("providers", "unchanged")
            return
        if known and known[1] > row[-3]:
            # The register already holds a richer record for this provider.
            self.report.count("providers", "unchanged")
            return
        self.report.count("providers", "changed" if known else "added")
        self.stager.add("stg_provider", row)
        self._stage_children(children)

    def _apply_provider(
        self,
        row: list[Any],
        children: tuple[tuple[str, tuple[Any, ...]], ...],
        label: str,
        path: Path,
        digest: str,
    ) -> None:
        self._check_duplicate(
            self.seen.providers, row[0], content_hash(row, children), label, "provider", path
        )
        self._stage_provider(row, children, digest)

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
        row = self._provider_row(
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
        for activity in _list(body, "regulatedActivities"):
            activity = _object(activity, "regulatedActivities item")
            code = self._activity_code(activity.get("code"))
            children.append(("stg_provider_activity", (provider_id, code)))
            nominated = activity.get("nominatedIndividual")
            if nominated:
                names = _person_names(
                    _object(nominated, "nominatedIndividual"), "nominatedIndividual"
                )
                people.append((RoleType.NOMINATED_INDIVIDUAL, code, *names))
        for contact in _list(body, "contacts"):
            contact = _object(contact, "contacts item")
            names = _person_names(contact, "contact")
            for role in self._roles(contact.get("personRoles")):
                if role in LOCATION_ROLES:
                    raise v.RecordError(f"a provider contact cannot be a {role.label.lower()}")
                people.append((role, "", *names))
        for relationship in _list(body, "relationships"):
            relationship = _object(relationship, "relationships item")
            children.append(
                (
                    "stg_provider_relationship",
                    (
                        provider_id,
                        v.regulator_id(relationship.get("relatedProviderId"), "relatedProviderId"),
                        v.text(relationship.get("relatedProviderName"), "relatedProviderName"),
                        v.text(relationship.get("type"), "relationship type", 50, required=True),
                        v.text(relationship.get("reason"), "relationship reason"),
                    ),
                )
            )
        children.extend(self._public_roles(people, provider_id, None))
        return row, tuple(dict.fromkeys(children))

    # --- locations ------------------------------------------------------------------------

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
        for activity in _list(body, "regulatedActivities"):
            activity = _object(activity, "regulatedActivities item")
            code = self._activity_code(activity.get("code"))
            children.append(("stg_location_activity", (location_id, code)))
            for contact in _list(activity, "contacts"):
                contact = _object(contact, "contacts item")
                names = _person_names(contact, "contact")
                for role in self._roles(contact.get("personRoles")):
                    if role not in LOCATION_ROLES:
                        raise v.RecordError(f"a location contact cannot be a {role.label.lower()}")
                    people.append((role, code, *names))
        for service in _list(body, "gacServiceTypes"):
            service = _object(service, "gacServiceTypes item")
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
        for band in _list(body, "specialisms"):
            band = _object(band, "specialisms item")
            children.append(
                (
                    "stg_location_band",
                    (location_id, v.text(band.get("name"), "specialism name", 200, required=True)),
                )
            )
        for relationship in _list(body, "relationships"):
            relationship = _object(relationship, "relationships item")
            children.append(
                (
                    "stg_location_relationship",
                    (
                        location_id,
                        v.regulator_id(relationship.get("relatedLocationId"), "relatedLocationId"),
                        v.text(relationship.get("relatedLocationName"), "relatedLocationName"),
                        v.text(relationship.get("type"), "relationship type", 50, required=True),
                        v.text(relationship.get("reason"), "relationship reason"),
                    ),
                )
            )
        children.extend(self._public_roles(people, provider_id, location_id))
        return row, tuple(dict.fromkeys(children))

    def _stage_location(
        self,
        row: list[Any],
        children: tuple[tuple[str, tuple[Any, ...]], ...],
        label: str,
        digest: str,
        path: Path | None,
    ) -> None:
        location_id = row[0]
        normalised = content_hash(row, children)
        self._check_duplicate(self.seen.locations, location_id, normalised, label, "location", path)
        row[-1] = digest
        known = self.existing.location_hashes.get(location_id)
        if known == digest:
            self.report.count("locations", "unchanged")
            return
        self.report.count("locations", "changed" if known else "added")
        self.stager.add("stg_location", row)
        self._stage_children(children)

    def _stage_children(self, children: tuple[tuple[str, tuple[Any, ...]], ...]) -> None:
        for table, child in children:
            if table == "_person":
                # A person named in public data, staged once per run whatever records name them.
                if child[0] not in self.seen.public_people:
                    self.seen.public_people.add(child[0])
                    self.stager.add("stg_public_person", child)
            else:
                self.stager.add(table, child)

    def _check_duplicate(
        self,
        seen: dict[str, tuple[str | None, str, Path | None]],
        record_id: str,
        digest: str,
        label: str,
        kind: str,
        path: Path | None,
    ) -> None:
        """The same ID twice in a run: fine if the content is the same (whatever the order
        of its keys), a rejection otherwise."""
        earlier = seen.get(record_id)
        if earlier is None:
            seen[record_id] = (digest, label, path)
            return
        earlier_digest = earlier[0]
        if earlier_digest is None and earlier[2] is not None:
            # The earlier file was recognised as unchanged without parsing: parse it now.
            build = self.location_record if kind == "location" else self.provider_record
            earlier_digest = content_hash(*build(json.loads(earlier[2].read_bytes())))
        if earlier_digest == digest:
            self.report.count(f"{kind}s", "duplicate in run (identical)")
            raise _Identical
        raise v.RecordError(
            f"duplicate {kind} ID {record_id} with different content (also in {earlier[1]})"
        )

    # --- people named in public data ------------------------------------------------------

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

    # --- CSV files ------------------------------------------------------------------------

    def _csv_file(self, path: Path, label: str) -> None:
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            self.report.reject(label, "", f"cannot be read ({error.strerror})")
            return
        with handle:
            try:
                reader = csv.reader(handle)
                header = next(reader, None)
            except (UnicodeDecodeError, csv.Error) as error:
                self.report.reject(label, "line 1", f"malformed CSV ({error})")
                return
            if header is None:
                self.report.reject(label, "", "the file is empty")
                return
            header = [column.strip() for column in header]
            if header == CONTACT_FEED_COLUMNS:
                handler: Callable[[dict[str, str], str, int], None] = self.contact_row
            elif set(header) >= DIRECTORY_REQUIRED_COLUMNS:
                handler = self.directory_row
            else:
                self.report.reject(
                    label,
                    "line 1",
                    "unrecognised CSV header (not a contact feed or care directory)",
                )
                return
            self._csv_rows(reader, header, label, handler)

    def _csv_rows(
        self,
        reader: Any,
        header: list[str],
        label: str,
        handler: Callable[[dict[str, str], str, int], None],
    ) -> None:
        csv.field_size_limit(MAX_CSV_FIELD)
        is_feed = handler == self.contact_row
        rows = iter(reader)
        while True:
            line = reader.line_num + 1
            try:
                values = next(rows)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as error:
                self.report.reject(label, f"line {line}", f"malformed CSV ({error})")
                if isinstance(error, UnicodeDecodeError):
                    return
                continue
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                self.report.reject(
                    label,
                    f"line {line}",
                    f"has {len(values)} fields, the header has {len(header)}",
                )
                continue
            row = dict(zip(header, values, strict=True))
            if is_feed:
                digest = content_hash(tuple(values))
                if digest in self.existing.role_hashes:
                    # An unchanged contact-feed row: recognised before any other work.
                    self.report.count("roles (contact feed)", "unchanged")
                    continue
                row[ROW_DIGEST] = digest
            self._record(label, f"line {line}", partial(handler, row, label, line))

    def directory_row(self, row: dict[str, str], label: str, line: int) -> None:
        digest = content_hash(tuple(row.values()))
        raw_id = row["Location ID"].strip()
        if (
            raw_id not in self.seen.locations
            and self.existing.location_hashes.get(raw_id) == digest
        ):
            self.seen.locations[raw_id] = (None, label, None)
            self.report.count("locations", "unchanged")
            self.seen.directory_providers.setdefault(row["Provider ID"].strip(), None)
            return
        location_id = v.regulator_id(row["Location ID"], "Location ID")
        provider_id = v.regulator_id(row["Provider ID"], "Provider ID")
        start = v.iso_date(row.get("Location HSCA start date"), "Location HSCA start date")
        end = v.iso_date(row.get("Location HSCA end date"), "Location HSCA end date")
        v.dates_in_order(start, end, "the registration")
        category = v.text(
            row.get("Primary inspection category"), "Primary inspection category", 100
        )
        region = v.text(row.get("Location ADASS Region"), "Location ADASS Region", 100)
        region = region.removesuffix(" (ADASS Region)")
        brand_id = v.text(row.get("Brand ID"), "Brand ID", 20)
        brand_name = v.text(row.get("Brand Name"), "Brand Name")
        location_row = [
            location_id,
            provider_id,
            v.text(row["Location Name"], "Location Name", required=True),
            "",
            "",
            "",
            v.text(row.get("Location UPRN"), "Location UPRN", 20),
            category == "Residential social care",
            v.whole_number(row.get("Care homes beds"), "Care homes beds"),
            v.yes_no(row.get("Dormant"), "Dormant"),
            None,
            None,
            RegistrationStatus.DEREGISTERED if end else RegistrationStatus.REGISTERED,
            start,
            end,
            None,
            "",
            "",
            category,
            brand_id,
            brand_name,
            "",
            "",
            "",
            "",
            "",
            region,
            v.text(row.get("Location Local Authority"), "Location Local Authority", 100),
            v.text(row.get("Location telephone number"), "Location telephone number", 30),
            v.text(row.get("Location Web Address"), "Location Web Address"),
            "",
        ]
        children: list[tuple[str, tuple[Any, ...]]] = []
        for service in v.text(row.get("Service Types"), "Service Types", 2000).split(", "):
            if service:
                children.append(("stg_location_service_type", (location_id, service, service)))
        users = v.text(row.get("Service users supported"), "Service users supported", 2000)
        for band in users.split(", "):
            if band:
                children.append(("stg_location_band", (location_id, band)))
        manager = v.text(row.get("Registered manager"), "Registered manager", 400)
        if manager:
            parts = [part.strip() for part in manager.split(",")]
            if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
                raise v.RecordError(
                    "Registered manager must be written 'Family, Given names, Title'"
                )
            title = parts[2] if len(parts) == 3 else ""
            children.extend(
                self._public_roles(
                    [(RoleType.REGISTERED_MANAGER, "", title, parts[1], parts[0])],
                    provider_id,
                    location_id,
                )
            )
        provider_row = self._provider_row(
            provider_id,
            name=v.text(row["Provider Name"], "Provider Name", required=True),
            detail_level=DetailLevel.CARE_DIRECTORY,
            replace=False,
            ownership_type=self._directory_ownership(row.get("Provider Ownership Type", "")),
            companies_house_number=v.text(
                row.get("Provider Companies House Number"), "Provider Companies House Number", 20
            ),
            brand_id=brand_id,
            brand_name=brand_name,
            registration_date=v.iso_date(
                row.get("Provider HSCA start date"), "Provider HSCA start date"
            ),
        )
        earlier = self.seen.locations.get(location_id)
        if earlier and earlier[1] in self.seen.full_location_files:
            # Files are read JSON first: a full API body for this location came in this run,
            # and a partial care-directory row does not overwrite it.
            self.report.count("locations", "care-directory row superseded by full record")
        else:
            self._stage_location(
                location_row, tuple(dict.fromkeys(children)), f"{label}, line {line}", digest, None
            )
        # Staged at the end of the run, and only if no full provider body came with it.
        if self.seen.directory_providers.get(provider_id) is None:
            self.seen.directory_providers[provider_id] = provider_row

    def _directory_ownership(self, value: str) -> str:
        cleaned = value.strip()
        if cleaned and cleaned not in OWNERSHIP_VALUES:
            raise v.RecordError(
                "Provider Ownership Type must be Organisation, Individual, Partnership or NHS Body"
            )
        return cleaned

    def contact_row(self, row: dict[str, str], label: str, line: int) -> None:
        row_digest = row.pop(ROW_DIGEST, None) or content_hash(tuple(row.values()))
        if row_digest in self.existing.role_hashes:
            self.report.count("roles (contact feed)", "unchanged")
            return
        where = f"line {line}"
        reference = v.person_ref(row["person_ref"])
        title = v.text(row["title"], "title", 30)
        given = v.text(row["given_name"], "given_name", 150, required=True)
        family = v.text(row["family_name"], "family_name", 150, required=True)
        role_value = row["role"].strip().lower()
        role = ROLES_BY_VALUE.get(role_value)
        if role is None:
            raise v.RecordError(
                f"role {row['role'][:40]!r} is not one of {', '.join(ROLES_BY_VALUE)}"
            )
        provider_id = v.regulator_id(row["provider_id"], "provider_id")
        location_id = v.optional_regulator_id(row["location_id"], "location_id")
        if role in LOCATION_ROLES and not location_id:
            raise v.RecordError(f"a {role.label.lower()} role needs a location_id")
        if role not in LOCATION_ROLES and location_id:
            raise v.RecordError(
                f"a {role.label.lower()} role is for the provider: leave location_id empty"
            )
        code = row["activity_code"].strip().upper()
        if code and code not in self.activity_codes:
            raise v.RecordError(f"unknown regulated activity code {row['activity_code'][:20]!r}")
        address = v.email(row["email"])
        start = v.iso_date(row["start_date"], "start_date")
        end = v.iso_date(row["end_date"], "end_date")
        v.dates_in_order(start, end, "the role")
        person = (title, given, family, address)
        earlier = self.seen.feed_people.get(reference)
        if earlier and earlier[0] != person:
            raise v.RecordError(
                f"person {reference} has different names or email here than in {earlier[1]}"
            )
        key = (reference, role.value, provider_id, location_id or "", code)
        if key in self.seen.feed_roles:
            raise v.RecordError(f"duplicate role row (also {self.seen.feed_roles[key]})")
        self.seen.feed_roles[key] = where
        if earlier is None:
            self.seen.feed_people[reference] = (person, where)
            digest = content_hash(person)
            known = self.existing.person_hashes.get(reference)
            if known == digest:
                self.report.count("people (contact feed)", "unchanged")
            else:
                self.report.count("people (contact feed)", "changed" if known else "added")
                name_key = person_name_key(given, family)
                self.stager.add(
                    "stg_feed_person", (reference, title, given, family, name_key, address, digest)
                )
        self.stager.add(
            "stg_feed_role",
            (
                label,
                line,
                reference,
                role.value,
                provider_id,
                location_id,
                code or None,
                start,
                end,
                row_digest,
            ),
        )
