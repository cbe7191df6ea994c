"""Register import at national scale, on PostgreSQL.

Generates a register of 57,000 locations (about 30,000 providers and 77,000 people), imports it
into a database of its own (created and dropped here), then measures against the same rows:
a bare COPY (the floor), a re-import of the unchanged data, a 1% change feed, and that
feed again. Each import runs
as `manage.py register_import` in a child process, so its peak memory is that process's own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
    DJANGO_SETTINGS_MODULE=portal.settings.bench .venv/bin/python bench/register_import.py

Prints one JSON object per line: metric, value, unit (and target where there is one).
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._common import create_database, drop_database, emit  # noqa: E402

PYTHON = sys.executable
# The tables an import fills, for the COPY floor.
TABLES = [
    "register_provider",
    "register_provider_activities",
    "register_providerrelationship",
    "register_location",
    "register_location_activities",
    "register_location_service_types",
    "register_location_service_user_bands",
    "register_locationrelationship",
    "register_person",
    "register_roleassignment",
]


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def phases(output: bytes) -> dict[str, float]:
    """The import's own "Time: phase N s, ..." line, as numbers."""
    for line in output.decode(errors="replace").splitlines():
        if line.startswith("Time: "):
            parts = (part.rsplit(" ", 2) for part in line[len("Time: ") :].split(", "))
            return {name: float(seconds) for name, seconds, _unit in parts}
    return {}


LAST_PHASES: dict[str, float] = {}


def settle(url: str) -> None:
    """Let the disk and the database finish the previous step's work (written files flushed,
    new rows vacuumed and analysed, as autovacuum would between daily runs), so that each
    measurement is of the import alone."""
    os.sync()
    with psycopg.connect(url, autocommit=True) as connection:
        for table in TABLES:
            connection.execute(f"VACUUM (ANALYZE) {table}")


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a manage.py command; return (seconds, peak resident memory in MB).

    The peak is wait4's ru_maxrss: the largest resident set of the command's process or of any
    worker process it started (Linux folds reaped children's peak into it)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    LAST_PHASES.clear()
    LAST_PHASES.update(phases(output))
    if process.returncode != 0:
        sys.stderr.write(output.decode(errors="replace")[-4000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed ({process.returncode})")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def copy_floor(url: str) -> tuple[float, int]:
    """A bare COPY of the rows the import wrote, into plain tables without indexes."""
    rows = 0
    buffers: dict[str, bytes] = {}
    with psycopg.connect(url, autocommit=True) as connection:
        for table in TABLES:
            out = io.BytesIO()
            with connection.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    out.write(chunk)
            buffers[table] = out.getvalue()
            rows += buffers[table].count(b"\n")
            connection.execute(f"DROP TABLE IF EXISTS floor_{table}")
            connection.execute(f"CREATE TABLE floor_{table} (LIKE {table})")
        started = time.perf_counter()
        with connection.transaction():
            for table in TABLES:
                with connection.cursor().copy(f"COPY floor_{table} FROM STDIN") as copy:
                    copy.write(buffers[table])
        seconds = time.perf_counter() - started
        for table in TABLES:
            connection.execute(f"DROP TABLE floor_{table}")
    return seconds, rows


def count(url: str, sql: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(sql).fetchone()
        return int(row[0]) if row else 0


def generate(options: argparse.Namespace, out: Path) -> list[str]:
    """The register_generate command for the register this run measures, written to `out`."""
    return [
        "register_generate",
        "--locations",
        str(options.locations),
        "--seed",
        str(options.seed),
        "--out",
        str(out),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=57_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="portal_register_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    if not base.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    url = database_url(base, options.database)
    admin_url = database_url(base, "postgres")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.bench"),
    }
    # Other work on the machine slows every figure; say how busy it was.
    emit("machine_load_average_1m", os.getloadavg()[0], "load", cores=os.cpu_count())
    create_database(admin_url, options.database)
    try:
        with tempfile.TemporaryDirectory(prefix="register-bench-") as work:
            register = Path(work) / "register"
            changes = Path(work) / "changes"
            run(["migrate", "--no-input", "-v", "0"], env)
            seconds, _ = run(generate(options, register), env)
            emit("register_generate_seconds", seconds, "s", locations=options.locations)
            settle(url)

            seconds, peak = run(["register_import", str(register), "--quiet"], env)
            emit("register_full_import_seconds", seconds, "s", target=60, phases=dict(LAST_PHASES))
            emit("register_full_import_peak_mb", peak, "MB", target=512)
            locations = count(url, "SELECT COUNT(*) FROM register_location")
            providers = count(url, "SELECT COUNT(*) FROM register_provider")
            people = count(url, "SELECT COUNT(*) FROM register_person")
            emit("register_locations", locations, "rows")
            emit("register_providers", providers, "rows")
            emit("register_people", people, "rows")

            floor, rows = copy_floor(url)
            emit("register_copy_floor_seconds", floor, "s", rows=rows)
            emit("register_full_import_copy_ratio", seconds / floor, "x")

            settle(url)
            seconds, _ = run(["register_import", str(register), "--quiet"], env)
            emit("register_noop_seconds", seconds, "s", target=10, phases=dict(LAST_PHASES))
            emit("register_noop_copy_ratio", seconds / floor, "x")
            before = count(url, "SELECT COUNT(*) FROM register_registerchange")
            emit("register_noop_people_notified", before, "people")

            run([*generate(options, changes), "--change-feed", "1"], env)
            settle(url)
            seconds, _ = run(["register_import", str(changes), "--quiet"], env)
            delta_phases = dict(LAST_PHASES)
            notified = count(url, "SELECT COUNT(*) FROM register_registerchange") - before
            emit("register_delta_seconds", seconds, "s", target=5, phases=delta_phases)
            emit("register_delta_people_notified", notified, "people")
            emit("register_delta_copy_ratio", seconds / floor, "x")

            seconds, _ = run(["register_import", str(changes), "--quiet"], env)
            emit("register_delta_replay_seconds", seconds, "s")
            emit("machine_load_average_1m", os.getloadavg()[0], "load", cores=os.cpu_count())
    finally:
        if not options.keep:
            drop_database(admin_url, options.database)


if __name__ == "__main__":
    main()
