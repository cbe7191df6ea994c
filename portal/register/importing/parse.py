"""Reading the register's source formats into staging rows, one whole record at a time.

Formats, detected per file:
- CQC public API JSON: location and provider detail bodies (api_records.py), and list pages;
- the change-feed manifest (`changes.json`, see docs/register-contact-feed.md);
- the regulator's private contact feed and the CQC care-directory CSV export (csv_feeds.py).

A record is validated completely before any of its rows are staged, so a rejected record
leaves nothing behind. Records whose content hash equals what the register holds are not
staged at all: re-importing unchanged data costs a parse and a comparison, nothing more
(record_staging.py).
"""

import hashlib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from portal.register.importing import validation as v
from portal.register.importing.api_records import as_object, list_field, provider_row
from portal.register.importing.csv_feeds import CsvFeeds
from portal.register.importing.record_staging import Existing
from portal.register.models import DetailLevel

__all__ = ["Existing", "Parser", "Prepared"]

MAX_JSON_BYTES = 20 * 1024 * 1024  # a detail body is a few KB; a list page at most a few MB


# What prepare_json hands to apply_json: a tag, the file's label, then the tag's details.
Prepared = tuple[Any, ...]


class Parser(CsvFeeds):
    """Reads files into the stager, reporting every record it rejects."""

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
        item = as_object(item, "list item")
        location_id = v.regulator_id(item.get("locationId"), "locationId")
        if location_id in self.seen.listed_locations:
            raise v.RecordError(f"duplicate location ID {location_id} in the list")
        self.seen.listed_locations[location_id] = where
        self.report.count("list page entries", "listed")

    def _listed_provider(self, item: Any, where: str) -> None:
        item = as_object(item, "list item")
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
            for number, item in enumerate(list_field(body, key), start=1):
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
            row = provider_row(
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
