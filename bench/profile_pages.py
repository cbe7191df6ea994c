"""Where a signed-in page's time goes: the heaviest pages under cProfile, in process.

Builds its own database (created and dropped here) with the world of
tests/support/signed_in_pages.py and a provider of `--locations-at-p` locations, times every
page a few times through Django's test client (DEBUG off, the benchmark settings), then
profiles the `--top` slowest: each for `--requests` requests. The time of every function is
put in one bucket by where its code lives:

- templates: Jinja2, the compiled templates and macros, govuk-frontend-jinja, markupsafe;
- database: Django's ORM and SQL compiler, psycopg, the connection;
- sessions and users: Django's sessions and auth, our session middleware and accounts;
- middleware: Django's middleware and ours (security headers, CSP, request IDs);
- our code: everything else under portal/ (views, selectors, forms, access);
- Django: the rest of Django (URL resolving, request and response);
- other: the standard library and the remaining packages.

Each page's cost (and first the trivial view's and the signed-out start page's, the floors
bench/signed_in_pages.py compares pages with) is this process's CPU time per request (`time.process_time()`: the
Python side of a request, which a shared machine's load does not inflate the way it does wall
time; PostgreSQL's own time is not in it), beside the wall time. Prints one JSON object per
line (metric, value, unit, page) and, with --text, the 15 functions with the most own time per
page. Run:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/profile_pages.py

With `--keep NAME` the database NAME is built once (with the world pickled beside it, in the
temporary directory) and kept, and later runs with the same NAME and volume reuse it: profile,
change the code, profile again, without minutes of building in between.
"""

import argparse
import cProfile
import gc
import os
import pickle
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    create_database,
    database_urls,
    django_setup_for_test_client,
    drop_database,
    emit,
)

BUCKETS: list[tuple[str, tuple[str, ...]]] = [
    (
        "templates",
        ("/jinja2/", "govuk_frontend_jinja", "markupsafe", ".html", "/portal/frontend/govuk_"),
    ),
    ("database", ("/django/db/", "/psycopg", "/psycopg_pool")),
    (
        "sessions and users",
        ("/django/contrib/sessions", "/django/contrib/auth", "/portal/accounts/"),
    ),
    ("middleware", ("/django/middleware/", "middleware", "/csp/")),
    ("our code", ("/portal/",)),
    ("Django", ("/django/",)),
]


def bucket_of(filename: str) -> str:
    for name, markers in BUCKETS:
        if any(marker in filename for marker in markers):
            return name
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--locations-at-p", type=int, default=1_000)
    parser.add_argument("--notifications", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=8, help="how many of the slowest pages")
    parser.add_argument("--requests", type=int, default=30, help="profiled requests per page")
    parser.add_argument("--only", default="", help="only pages whose label contains this")
    parser.add_argument("--text", action="store_true", help="also print the top functions")
    parser.add_argument("--keep", default="", help="build this database once, keep and reuse it")
    args = parser.parse_args()

    name = args.keep or f"portal_bench_profile_{os.getpid()}"
    admin_url, database_url = database_urls(name)
    saved_world = Path(tempfile.gettempdir()) / (
        f"{name}-{args.locations_at_p}-{args.notifications}.world.pickle"
    )
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    reuse = bool(args.keep and exists and saved_world.exists())
    if not reuse:
        create_database(admin_url, name)
    try:
        django_setup_for_test_client(database_url)
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client

        from portal.casework.dashboards import snapshots
        from portal.organisations.access import forget_access
        from tests.support.signed_in_pages import (
            Volume,
            add_volume,
            build_world,
            get_visits,
            sign_in,
            url_of,
        )

        call_command("migrate", verbosity=0)
        if reuse:
            world = pickle.loads(saved_world.read_bytes())  # noqa: S301 - our own file
        else:
            world = build_world()
            add_volume(
                world,
                Volume(
                    locations_at_p=args.locations_at_p,
                    notifications=args.notifications,
                    other_providers=300,
                    members=300,
                    invitations=300,
                    audit_events=20_000,
                ),
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            if args.keep:
                # Access worked out while building is kept on the user objects; pickled, it
                # would tie the saved world to today's shape of that cache.
                forget_access(*world.users.values())
                saved_world.write_bytes(pickle.dumps(world))
        # As the worker would, keep the staff dashboards' snapshot fresh (the pages read it).
        snapshots.refresh()
        connections.close_all()
        # As a gunicorn worker does (portal/wsgi.py): what start-up and the world built is
        # frozen, so a full collection walks only what requests made. Unfrozen, one landed
        # on whichever page crossed the threshold, the same page every run (the certificate
        # as the delegate: 54 ms a request, 23 ms frozen).
        gc.collect()
        gc.freeze()

        client = Client()
        visits = [
            v
            for v in get_visits(world)
            if args.only in v.label and v.method == "GET" and v.repeatable
        ]

        def run(visit: object, times: int) -> tuple[float, float]:
            """CPU and wall milliseconds per request (`visit` may be a signed-out path)."""
            url = visit if isinstance(visit, str) else url_of(visit)  # type: ignore[arg-type]
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(times):
                response = client.get(url)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)  # type: ignore[attr-defined]
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            return cpu / times * 1000, wall / times * 1000

        # The floors every page is compared with (bench/signed_in_pages.py): the trivial view
        # and the layout page (the start page, signed out), each after warming.
        for metric, path in (
            ("trivial_view_cpu_ms", "/bench/trivial"),
            ("layout_page_cpu_ms", "/"),
        ):
            run(path, 5)
            emit(metric, round(run(path, 200)[0], 3), "ms", page=f"GET {path} (signed out)")
        timed = []
        for visit in visits:
            sign_in(client, world.users[visit.actor], visit)
            run(visit, 1)  # warm the templates and the connection
            timed.append((run(visit, 3), visit))
        timed.sort(key=lambda pair: pair[0][0], reverse=True)
        for (cpu_ms, wall_ms), visit in timed:
            emit("page_cpu_ms", round(cpu_ms, 2), "ms", page=visit.label, wall_ms=round(wall_ms, 2))
        if timed:
            emit("median_page_cpu_ms", round(timed[len(timed) // 2][0][0], 2), "ms")
        for _times, visit in timed[: args.top]:
            sign_in(client, world.users[visit.actor], visit)
            run(visit, 2)
            unprofiled_cpu, unprofiled_wall = run(visit, args.requests)
            profiler = cProfile.Profile()
            profiler.enable()
            per_request, _wall = run(visit, args.requests)
            profiler.disable()
            stats = pstats.Stats(profiler)
            totals: dict[str, float] = defaultdict(float)
            rows = stats.stats  # type: ignore[attr-defined]
            for (filename, _line, _function), (_cc, _nc, own, _cum, _callers) in rows.items():
                totals[bucket_of(filename)] += own
            whole = sum(totals.values()) or 1.0
            emit(
                "profiled_page_ms",
                round(per_request, 2),
                "ms",
                page=visit.label,
                unprofiled_cpu_ms=round(unprofiled_cpu, 2),
                unprofiled_wall_ms=round(unprofiled_wall, 2),
                shares={k: round(v / whole, 3) for k, v in sorted(totals.items())},
            )
            if args.text:
                stats.sort_stats("tottime").print_stats(15)
        return 0
    finally:
        if not args.keep:
            drop_database(admin_url, name)


if __name__ == "__main__":
    sys.exit(main())
