"""What the benchmarks share: Django set-up, JSON-line output, percentiles, and helpers for
those that run their own servers (scripts/bench.sh skips this file)."""

import http.client
import json
import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup() -> None:
    """Set Django up with the benchmark settings (unless others are given), creating the
    PostgreSQL database DATABASE_URL names when it does not exist yet, so a benchmark runs on a
    fresh machine without anyone creating `portal_bench` by hand."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    ensure_database(os.environ.get("DATABASE_URL", ""))
    import django

    django.setup()


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
