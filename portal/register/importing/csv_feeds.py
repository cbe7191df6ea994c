"""The two CSV formats: the regulator's private contact feed (header `person_ref,title,...`)
and the CQC care-directory export (header with "Location ID" and "Registered manager")."""

import csv
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from portal.register.importing import validation as v
from portal.register.importing.api_records import (
    LOCATION_ROLES,
    OWNERSHIP_VALUES,
    content_hash,
    provider_row,
)
from portal.register.importing.record_staging import RecordStaging
from portal.register.models import DetailLevel, RegistrationStatus, RoleType, person_name_key

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
ROLES_BY_VALUE = {role.value: role for role in RoleType}
ROW_DIGEST = "\x00digest"  # where _csv_rows hands a row's hash to contact_row
MAX_CSV_FIELD = 10_000


class CsvFeeds(RecordStaging):
    """Reads CSV files row by row, each row one record."""

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
        provider_fields = provider_row(
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
            self.seen.directory_providers[provider_id] = provider_fields

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
