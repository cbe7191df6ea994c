"""The API under load: notification submissions through /api/v1/, each retried once with the
same Idempotency-Key, against gunicorn on PostgreSQL (issue 16's benchmark).

What runs (all on loopback):
- a fresh database, created and dropped by this script: one provider with `--locations`
  locations, its nominated individual and one API key for the whole provider (its rate limit
  raised for the run: every request uses the one key, and the output says so);
- gunicorn serving portal.wsgi (portal.settings.bench), `--web-workers` x `--web-threads`
  (gthread);
- an open-loop load generator in this process: `--rate` submissions a second for `--seconds`,
  each a death notification at one of the locations with a new Idempotency-Key; as soon as
  its answer arrives the same request is sent again with the same key (a client retrying
  after a lost answer).

Metrics: api_submit_p50_ms / api_submit_p99_ms (the first request's latency, client side),
api_retry_p50_ms (the replay), api_duplicates (notifications beyond one per intent, counted
in the database, plus retries that named another reference), api_lost (references the
client was given that the database does not hold), api_unanswered (intents neither attempt
got a 201 for, e.g. client timeouts under overload: a client would retry them again), with
the load average before and after.

Run alone (any PostgreSQL server; the database is its own):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api.py
"""

import argparse
import contextlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    cpu_seconds,
    django_setup,
    emit,
    free_port,
    gunicorn_threaded,
    load_averages,
    migrate,
    own_database,
    percentile,
    server_environment,
    stop_process_groups,
    wait_for_http,
)

RATE_LIMIT_FOR_BENCH = 1_000_000


def seed(database_url: str, locations: int) -> tuple[str, str, list[str], dict[str, object]]:
    """The provider, its locations, a key, and answers to a death notification."""
    django_setup(database_url)
    from django.db import connections

    from portal.accounts.models import User
    from portal.api import keys
    from portal.notifications import engine_contexts
    from portal.notifications.catalogue import CATALOGUE
    from portal.notifications.samples import complete_answers
    from portal.organisations.permissions import DELEGABLE_PERMISSIONS
    from portal.register.models import Location, Person, Provider, RoleAssignment

    provider = Provider.objects.create(
        id="1-900000001", name="Bench Care", ownership_type="Organisation"
    )
    places = Location.objects.bulk_create(
        [
            Location(id=f"1-80000{i:05d}", provider=provider, name=f"Bench House {i}")
            for i in range(locations)
        ]
    )
    person = Person.objects.create(
        person_ref="B1", given_name="Nadia", family_name="Bench", email="ni@bench-care.example"
    )
    RoleAssignment.objects.create(person=person, role="nominated_individual", provider=provider)
    user = User.objects.create_user(
        "ni@bench-care.example", "bench password 1234", full_name="Nadia Bench", person=person
    )
    secret = keys.create_key(
        actor=user,
        provider=provider,
        name="Bench",
        permissions=sorted(DELEGABLE_PERMISSIONS),
        location_ids=[],
        expires_in_days=30,
    ).secret
    definition = CATALOGUE.require("death")
    context = engine_contexts.engine_context(definition, provider.pk, places[0].pk)
    answers = complete_answers(definition, context, {"context.primary_medical": "no"})
    answers = {k: v for k, v in answers.items() if not k.startswith("context.")}
    connections.close_all()
    return provider.pk, secret, [place.pk for place in places], answers


def count_notifications(database_url: str) -> tuple[int, set[str]]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute("SELECT id FROM notifications_notification").fetchall()
    from portal.notifications.references import reference_for

    return len(rows), {reference_for(row[0]) for row in rows}


@dataclass(frozen=True)
class Seeded:
    database_url: str
    environment: dict[str, str]  # for servers run against it
    provider_id: str
    secret: str
    location_ids: list[str]
    answers: dict[str, object]


@contextlib.contextmanager
def seeded_database(prefix: str, locations: int) -> Iterator[Seeded]:
    """A new database (dropped afterwards), migrated and seeded; Django set up on it here."""
    with own_database(prefix) as database_url:
        environment = server_environment(
            database_url, API_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT_FOR_BENCH)
        )
        migrate(environment)
        yield Seeded(database_url, environment, *seed(database_url, locations))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=50.0, help="submissions per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--locations", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()
    with seeded_database("portal_bench_api", args.locations) as seeded:
        return load(args, seeded)


def load(args: argparse.Namespace, seeded: Seeded) -> int:
    total = int(args.rate * args.seconds)
    provider_id, secret = seeded.provider_id, seeded.secret
    location_ids, answers, database_url = seeded.location_ids, seeded.answers, seeded.database_url
    server: subprocess.Popen[bytes] | None = None
    try:
        port = free_port()
        server = subprocess.Popen(
            gunicorn_threaded(port, args.web_workers, args.web_threads),
            cwd=ROOT,
            env=seeded.environment,
            start_new_session=True,
        )
        wait_for_http(port, "/api/v1/openapi.json")
        time.sleep(1.0)
        load_before = load_averages()
        path = f"/api/v1/providers/{provider_id}/notifications"
        lock = threading.Lock()
        first: dict[int, tuple[int, float, str]] = {}
        retry: dict[int, tuple[int, float, str]] = {}
        # Every request is made before the clock starts, so the load generator (on the
        # same two cores as the server) spends its CPU on sending, not building.
        requests = [
            (
                json.dumps(
                    {
                        "type": "death",
                        "location_id": location_ids[index % len(location_ids)],
                        "answers": answers,
                    }
                ).encode(),
                {
                    "Authorization": f"Bearer {secret}",
                    "Idempotency-Key": str(uuid.uuid4()),
                    "Content-Type": "application/json",
                },
            )
            for index in range(total)
        ]
        web_cpu_before, own_cpu_before = cpu_seconds(server.pid), time.process_time()
        begin = time.monotonic() + 0.5

        def call(
            connection: http.client.HTTPConnection, body: bytes, headers: dict[str, str]
        ) -> tuple[int, float, str]:
            at = time.monotonic()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read()
                reference = json.loads(text).get("reference", "") if response.status == 201 else ""
                return response.status, (time.monotonic() - at) * 1000, reference
            except (OSError, ValueError, http.client.HTTPException):
                connection.close()  # the retry opens a new one
                return 0, (time.monotonic() - at) * 1000, ""

        def intent(index: int) -> None:
            due = begin + index / args.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body, headers = requests[index]
            # The retry goes on the same connection when the server keeps it open (a
            # client's pool would), else http.client opens another.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            answered = call(connection, body, headers)
            replayed = call(connection, body, headers)
            connection.close()
            with lock:
                first[index] = answered
                retry[index] = replayed

        with ThreadPoolExecutor(max_workers=200) as pool:
            for index in range(total):
                pool.submit(intent, index)
        load_after = load_averages()
        web_cpu = cpu_seconds(server.pid) - web_cpu_before
        own_cpu = time.process_time() - own_cpu_before

        stored, references = count_notifications(database_url)
        accepted = {i for i, (status, _, _) in first.items() if status == 201}
        # A duplicate: more notifications than intents, or a retry naming another reference.
        other_reference = sum(
            1 for i in accepted if retry[i][0] == 201 and retry[i][2] and retry[i][2] != first[i][2]
        )
        duplicates = max(0, stored - total) + other_reference
        # Lost: the client was told a reference (first answer or retry) that does not exist.
        told = {
            answer[2]
            for answers in (first.values(), retry.values())
            for answer in answers
            if answer[0] == 201
        }
        lost = len(told - references)
        unanswered = sum(
            1 for i in range(total) if first.get(i, (0,))[0] != 201 and retry.get(i, (0,))[0] != 201
        )
        latencies = [ms for status, ms, _ in first.values() if status == 201]
        replays = [ms for status, ms, _ in retry.values() if status == 201]
        config = {
            "rate": args.rate,
            "seconds": args.seconds,
            "submissions": total,
            "web": f"gunicorn {args.web_workers} workers x {args.web_threads} threads",
            "rate_limit_raised_to_per_minute": RATE_LIMIT_FOR_BENCH,
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        }
        emit(
            "api_submit_p50_ms",
            percentile(latencies, 0.50) if latencies else float("nan"),
            "ms",
            **config,
        )
        emit("api_submit_p99_ms", percentile(latencies, 0.99) if latencies else float("nan"), "ms")
        emit("api_retry_p50_ms", percentile(replays, 0.50) if replays else float("nan"), "ms")
        emit("api_submit_errors", total - len(accepted), "requests")
        emit("api_unanswered", unanswered, "intents", note="neither attempt answered 201")
        emit("api_stored", stored, "notifications")
        sent = max(len(first) + len(retry), 1)
        emit("api_web_cpu_ms_per_request", round(web_cpu * 1000 / sent, 2), "ms")
        emit("api_load_generator_cpu_ms_per_request", round(own_cpu * 1000 / sent, 2), "ms")
        emit("api_duplicates", duplicates, "notifications")
        emit("api_lost", lost, "notifications")
        return 0 if lost == 0 and duplicates == 0 else 1
    finally:
        if server is not None:
            stop_process_groups([server])


if __name__ == "__main__":
    raise SystemExit(main())
