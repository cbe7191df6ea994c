"""CPU per API request in one process: how much of a web worker one notification submission
and one replay (the same Idempotency-Key again) cost, without gunicorn, threads or other load
in the way (CPU time is what decides how many requests a second two cores can serve; wall
time on a shared machine says little).

What runs: a fresh PostgreSQL database (created and dropped by this script), the same seed as
bench/api.py (a provider, its locations, one key for the whole provider), then `--requests`
submissions of a death notification through Django's test client (the full middleware and
django-ninja stack, DEBUG off), each followed by its replay. `time.process_time()` is summed
separately for submissions and replays; the first `--warm-up` pairs are left out (imports and
first-use caches). `--profile FILE` also writes a cProfile of the measured requests.

Metrics: api_submit_cpu_ms and api_replay_cpu_ms (mean per request).

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api_cpu.py \\
      --requests 200
"""

import argparse
import cProfile
import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import emit  # noqa: E402
from bench.api import RATE_LIMIT_FOR_BENCH, Seeded, seeded_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="submissions (and replays)")
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--locations", type=int, default=5)
    parser.add_argument("--profile", default="", help="write a cProfile here")
    args = parser.parse_args()

    # Django is set up in this process by the seed: these are read then.
    os.environ.update(
        ALLOWED_HOSTS="testserver", API_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT_FOR_BENCH)
    )
    with seeded_database("portal_bench_api_cpu", args.locations) as seeded:
        return measure(args, seeded)


def measure(args: argparse.Namespace, seeded: Seeded) -> int:
    from django.db import connections
    from django.test import Client

    try:
        client = Client()
        path = f"/api/v1/providers/{seeded.provider_id}/notifications"
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        spent = {"submit": 0.0, "replay": 0.0}
        for index in range(args.warm_up + args.requests):
            body = json.dumps(
                {
                    "type": "death",
                    "location_id": seeded.location_ids[index % len(seeded.location_ids)],
                    "answers": seeded.answers,
                }
            )
            headers = {
                "Authorization": f"Bearer {seeded.secret}",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            measured = index >= args.warm_up
            for attempt in ("submit", "replay"):
                if measured and profiler:
                    profiler.enable()
                began = time.process_time()
                response = client.post(path, body, content_type="application/json", headers=headers)
                took = time.process_time() - began
                if measured and profiler:
                    profiler.disable()
                if response.status_code != 201:
                    raise SystemExit(f"{attempt}: {response.status_code} {response.content!r}")
                if attempt == "replay" and response.headers.get("Idempotent-Replayed") != "true":
                    raise SystemExit("the retry was not a replay")
                if measured:
                    spent[attempt] += took
        if profiler:
            profiler.dump_stats(args.profile)
        config = {"requests": args.requests, "warm_up": args.warm_up}
        emit("api_submit_cpu_ms", spent["submit"] * 1000 / args.requests, "ms", **config)
        emit("api_replay_cpu_ms", spent["replay"] * 1000 / args.requests, "ms")
        return 0
    finally:
        connections.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
