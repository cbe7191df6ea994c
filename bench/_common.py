"""What the benchmarks share: Django set-up, JSON-line output, percentiles, and helpers for
those that run their own servers (scripts/bench.sh skips this file)."""

import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

View = TypeVar("View")


# The in-process test client (query counts, sessions) calls itself "testserver".
TEST_CLIENT_HOSTS = "127.0.0.1,localhost,testserver"


def django_setup(database_url: str = "", **environment: str) -> None:
    """Set Django up in this process on `database_url` (else DATABASE_URL's), with
    `environment` added to this process's and the benchmark settings unless others are given,
    creating the PostgreSQL database when it does not exist yet, so a benchmark runs on a
    fresh machine without anyone creating `portal_bench` by hand."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    ensure_database(os.environ.get("DATABASE_URL", ""))
    import django

    django.setup()


def django_setup_for_test_client(database_url: str) -> None:
    """`django_setup` on the benchmark's own database, with its servers' settings, for
    Django's test client in this process (query counts, sessions)."""
    django_setup(
        database_url,
        DJANGO_SETTINGS_MODULE="portal.settings.bench",
        ALLOWED_HOSTS=TEST_CLIENT_HOSTS,
    )


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names if the server lacks it (nothing for SQLite)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    base, name = url.split("?", 1)[0].rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def note(message: str) -> None:
    """A progress line on stderr (stdout carries only the JSON lines)."""
    print(f"# {message}", file=sys.stderr, flush=True)


def scalar(sql: str, params: list[Any] | None = None) -> Any:
    """The first column of the first row `sql` returns (None for no row)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    return row[0] if row else None


def emit(metric: str, value: float | int | str, unit: str, **extra: object) -> None:
    """One result as a JSON line: metric, value, unit, then anything else worth saying."""
    if isinstance(value, float):
        value = round(value, 3)
    print(json.dumps({"metric": metric, "value": value, "unit": unit, **extra}), flush=True)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_urls(name: str) -> tuple[str, str]:
    """The server from DATABASE_URL (scripts/bench.sh sets one), our own database on it."""
    configured = os.environ.get("DATABASE_URL", "")
    base = "postgres://postgres@127.0.0.1:5432"
    if configured.startswith(("postgres://", "postgresql://")):
        base = configured.rsplit("/", 1)[0]
    return f"{base}/postgres", f"{base}/{name}"


@contextlib.contextmanager
def own_database(prefix: str) -> Iterator[str]:
    """A new, empty database `{prefix}_{pid}` on DATABASE_URL's server for one run: its URL,
    and the database dropped again afterwards, however the run ends."""

    name = f"{prefix}_{os.getpid()}"
    admin_url, database_url = database_urls(name)
    create_database(admin_url, name)
    try:
        yield database_url
    finally:
        drop_database(admin_url, name)


def create_database(admin_url: str, name: str) -> None:
    """A new, empty database `name` on the server of `admin_url` (one an earlier run left
    under that name is dropped first)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def load_averages() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages (how busy others kept it)."""
    return [round(value, 2) for value in os.getloadavg()]


def cpu_seconds(root_pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wait_for_http(port: int, path: str, timeout: float = 60) -> None:
    """Until the server on `port` answers 200 at `path` (it has started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def server_environment(database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of the servers and workers a benchmark starts on its own database,
    with the benchmark settings (`overrides` add to it or change it)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **overrides,
    }


def migrate(environment: dict[str, str]) -> None:
    """Create the tables in the benchmark's own database, as `manage.py migrate` does."""
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )


def make_staff(users: "list[Any]", roles: "tuple[str, ...] | None" = None) -> None:
    """Give benchmark staff accounts what real staff need to hold permissions: a staff record
    with roles (every role unless told) and a confirmed authenticator. `is_staff` alone grants
    nothing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.staff.models import StaffMember
    from portal.staff.roles import StaffRole

    held = list(roles or StaffRole.values)
    StaffMember.objects.bulk_create(
        [StaffMember(user=user, roles=held) for user in users], ignore_conflicts=True
    )
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(
                user=user,
                name="bench",
                confirmed=True,
                key="3132333435363738393031323334353637383930",
            )
            for user in users
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ]
    )


def timed_calls(call: Callable[[], object], requests: int) -> list[float]:
    """Milliseconds each of `requests` calls took, after one call to warm templates, caches and
    connections (what the call returns is the caller's to check)."""
    call()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def timed_calls_and_queries(
    call: Callable[[], object], requests: int
) -> tuple[list[float], list[str]]:
    """`timed_calls`, then the SQL statements of one more call, as Django logs them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = timed_calls(call, requests)
    with CaptureQueriesContext(connection) as queries:
        call()
    return samples, [query["sql"] for query in queries.captured_queries]


def gunicorn_threaded(port: int, workers: int, threads: int) -> list[str]:
    """The command line of gunicorn serving the portal on `port` with threaded workers."""
    return [
        GUNICORN,
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
    ]


def stop_process_groups(processes: Iterable["subprocess.Popen[bytes]"]) -> None:
    """Stop servers and workers started with `start_new_session=True`: SIGTERM to each one's
    process group, then SIGKILL to any that has not ended within 15 seconds."""
    started = list(processes)
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def drop_database(admin_url: str, name: str) -> None:
    """Drop the benchmark's own database, closing this process's connections to it first
    (when Django was set up) and any other session's (FORCE)."""
    import psycopg

    try:
        from django.db import connections as open_connections

        open_connections.close_all()
    except Exception:  # noqa: S110 - Django may never have been set up
        pass
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def emit_view_times(
    prefix: str, view: str, samples: list[float], queries: int, target_ms: float
) -> float:
    """A page's median, 95th percentile (against `target_ms`) and query count as
    `{prefix}_p50_ms`, `{prefix}_p95_ms` and `{prefix}_queries` (target 12); the p95 back."""
    p95 = percentile(samples, 0.95)
    emit(f"{prefix}_p50_ms", statistics.median(samples), "ms", view=view)
    emit(f"{prefix}_p95_ms", p95, "ms", view=view, target=target_ms)
    emit(f"{prefix}_queries", queries, "queries", view=view, target=12)
    return p95


def chosen_views(views: dict[str, View], subset: str) -> dict[str, View]:
    """The views a `--views` option names (comma-separated), or all of them when it names
    none."""
    chosen = {name.strip() for name in subset.split(",") if name.strip()}
    return {name: view for name, view in views.items() if not chosen or name in chosen}


def emit_worst(prefix: str, p95s: dict[str, float], target_ms: float, **extra: object) -> None:
    """The slowest page's p95 of `p95s` (a view's p95 by its name) as
    `{prefix}_worst_p95_ms`, with the machine's load average."""
    view, p95 = max(p95s.items(), key=lambda item: item[1], default=("", 0.0))
    emit(
        f"{prefix}_worst_p95_ms",
        p95,
        "ms",
        view=view,
        target=target_ms,
        **extra,
        load_average=round(os.getloadavg()[0], 2),
    )
