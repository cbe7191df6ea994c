"""One import run: walk the paths, parse and stage every file, apply, report."""

import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection, transaction

from portal.audit.services import record
from portal.register.activities import ensure_regulated_activities
from portal.register.audit_verbs import RegisterVerb
from portal.register.importing.apply import Applier
from portal.register.importing.parse import Existing, Parser, Prepared
from portal.register.importing.report import ImportReport
from portal.register.importing.staging import Stager
from portal.register.models import (
    Location,
    Person,
    Provider,
    RoleAssignment,
)

SOURCE_LABEL = "register import"
IMPORT_LOCK_KEY = 0x5265_6769  # "Regi": the advisory lock that serialises import runs


def walk(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Every file under the paths, in a stable order, with a readable label."""
    for root in paths:
        if root.is_dir():
            for directory, subdirectories, names in os.walk(root):
                subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    path = Path(directory) / name
                    yield path, str(Path(root.name) / path.relative_to(root))
        else:
            yield root, root.name


def load_existing() -> Existing:
    existing = Existing()
    for provider_id, digest, level in Provider.objects.values_list(
        "id", "source_hash", "detail_level"
    ).iterator(chunk_size=10_000):
        existing.provider_hashes[provider_id] = (digest, level)
        existing.provider_by_hash[digest] = provider_id
    for location_id, digest in Location.objects.values_list("id", "source_hash").iterator(
        chunk_size=10_000
    ):
        existing.location_hashes[location_id] = digest
        existing.location_by_hash[digest] = location_id
    for reference, digest in (
        Person.objects.exclude(source_hash="")
        .values_list("person_ref", "source_hash")
        .iterator(chunk_size=10_000)
    ):
        existing.person_hashes[reference] = digest
    existing.role_hashes = set(
        RoleAssignment.objects.exclude(source_hash="")
        .values_list("source_hash", flat=True)
        .iterator(chunk_size=10_000)
    )
    return existing


# Below this many JSON files a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 2_000
_CHUNK = 250
_worker_parser: Parser | None = None  # set in the parent before the pool forks


def default_workers(json_files: int) -> int:
    if json_files < PARALLEL_MIN_FILES or connection.vendor != "postgresql":
        return 0
    # One more than the cores: reading many small files also waits on the disk.
    return max(2, min(4, (os.cpu_count() or 1) + 1))


def _prepare_chunk(chunk: list[tuple[Path, str]]) -> list[Prepared]:
    assert _worker_parser is not None
    return [_worker_parser.prepare_json(path, label) for path, label in chunk]


def _prepare_json(
    parser: Parser, files: list[tuple[Path, str]], workers: int
) -> Iterator[Prepared]:
    """Read, parse and validate JSON files, in worker processes when there are many: that part
    needs no run state, and CPU-bound Python gains from more than one process. Results come
    back in file order, so what is reported and staged does not depend on the workers."""
    if workers < 2:
        for path, label in files:
            yield parser.prepare_json(path, label)
        return
    global _worker_parser
    _worker_parser = parser
    chunks = [files[start : start + _CHUNK] for start in range(0, len(files), _CHUNK)]
    # Forked workers only read files and compute; they never touch the database connection
    # they inherit, and end without running its finalisers.
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers) as pool:
            for results in pool.imap(_prepare_chunk, chunks):
                yield from results
    finally:
        _worker_parser = None


def run_import(
    paths: list[Path],
    *,
    dry_run: bool = False,
    on_file: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every register file under `paths`. Rejected records are reported and skipped;
    everything accepted is applied in one transaction (or rolled back when `dry_run`)."""
    report = ImportReport(dry_run=dry_run)
    # JSON (full API records) before CSV, so a partial care-directory row never overwrites a
    # full record of the same run; otherwise the order of the paths.
    files = sorted(walk(paths), key=lambda item: item[0].suffix.lower() != ".json")
    for missing in paths:
        if not missing.exists():
            report.reject(str(missing), "", "no such file or directory")
    run_id = uuid.uuid4().hex[:12]
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One import at a time: a second run waits, then sees the first run's result.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        stager = Stager()
        stager.create()
        parser = Parser(
            stager=stager,
            report=report,
            existing=load_existing(),
            activity_codes=ensure_regulated_activities(),
        )
        json_files = [item for item in files if item[0].suffix.lower() == ".json"]
        other_files = [item for item in files if item[0].suffix.lower() != ".json"]
        done = 0
        if workers is None:
            workers = default_workers(len(json_files))
        for prepared in _prepare_json(parser, json_files, workers):
            parser.apply_json(prepared)
            done += 1
            if on_file:
                on_file(done, len(files), prepared[1])
        report.timings["read JSON"] = time.perf_counter() - started
        for path, label in other_files:
            parser.parse_file(path, label)
            done += 1
            if on_file:
                on_file(done, len(files), label)
        parser.finish()
        stager.flush_all()
        report.timings["read and stage"] = time.perf_counter() - started
        Applier(report=report, source_label=f"{SOURCE_LABEL} {run_id}").run()
        report.timings["apply"] = time.perf_counter() - started - report.timings["read and stage"]
        record(
            verb=RegisterVerb.IMPORTED,
            actor_label=SOURCE_LABEL,
            target_type="register_import",
            target_id=run_id,
            data={
                "paths": [str(path) for path in paths][:20],
                **report.summary(),
                "rejections": [str(rejection) for rejection in report.rejections[:100]],
            },
        )
        stager.drop()
        if dry_run:
            transaction.set_rollback(True)
    report.timings["total"] = time.perf_counter() - started
    return report
