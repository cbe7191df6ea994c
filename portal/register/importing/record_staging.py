"""Staging what the parser read: each record once per run, unchanged records skipped, and
the same ID seen twice with different content rejected."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.register.importing import validation as v
from portal.register.importing.api_records import RecordReader, content_hash
from portal.register.importing.report import ImportReport
from portal.register.importing.staging import Stager


class _Identical(v.RecordError):
    """The same record again, unchanged: not an error, nothing to do."""


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


class RecordStaging(RecordReader):
    """The run's state (what the register holds, what this run has seen) and the staging of
    whole records into it."""

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

    def _record(self, file: str, where: str, apply: Callable[[], None]) -> None:
        try:
            apply()
        except _Identical:
            pass
        except v.RecordError as error:
            self.report.reject(file, where, str(error))

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
