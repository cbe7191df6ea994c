"""Sign-up code delivery: POST /sign-up/ → message accepted by a real SMTP server.

What runs (all on loopback, against PostgreSQL):
- a fresh database, created and dropped by this script, seeded with one eligible registered
  person per request (distinct emails);
- gunicorn serving portal.wsgi (DJANGO_SETTINGS_MODULE=portal.settings.bench);
- two task workers (`manage.py run_worker --queues priority_email`, 20 ms idle poll);
- an aiosmtpd SMTP server inside this process, timestamping each accepted message.

Load is open-loop: request i is sent at start + i / rate whatever earlier responses do.
Each request gets a new connection and no session, like separate people. The per-IP cap on
code requests is raised for the run (every request comes from 127.0.0.1) and printed.

Prints one JSON object per line: metric, value, unit.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    cpu_seconds,
    django_setup,
    emit,
    free_port,
    gunicorn_threaded,
    migrate,
    own_database,
    server_environment,
    stop_process_groups,
    wait_for_http,
)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
PER_IP_CAP_FOR_BENCH = 1_000_000


class Receiver:
    """SMTP handler: when each recipient's message was accepted (time.monotonic())."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}
        self.without_code = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        has_code = re.search(rb"\b\d{6} is your code", envelope.content) is not None
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.accepted.setdefault(rcpt.lower(), now)
            if not has_code:
                self.without_code += 1
        return "250 Message accepted for delivery"


def seed(database_url: str, count: int) -> list[str]:
    """One registered manager per email, in bulk (the register importer is not under test)."""
    django_setup(database_url)
    from portal.register.models import Location, Person, Provider, RoleAssignment

    providers = [
        Provider(id=f"1-9{i:08d}", name=f"Bench Care {i}", ownership_type="Organisation")
        for i in range(count // 10 + 1)
    ]
    Provider.objects.bulk_create(providers)
    locations = [
        Location(id=f"1-8{i:08d}", provider=providers[i // 10], name=f"Bench House {i}")
        for i in range(count)
    ]
    Location.objects.bulk_create(locations)
    emails = [f"manager{i}@bench-care.example" for i in range(count)]
    people = Person.objects.bulk_create(
        [
            Person(person_ref=f"B{i}", given_name="Bench", family_name=f"Manager{i}", email=e)
            for i, e in enumerate(emails)
        ]
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                person=person,
                role="registered_manager",
                provider=locations[i].provider,
                location=locations[i],
            )
            for i, person in enumerate(people)
        ]
    )
    from django.db import connections

    connections.close_all()
    return emails


def csrf_pair(port: int) -> tuple[str, str]:
    """A CSRF cookie and a form token that goes with it (reusable for every POST)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/sign-up/")
    response = connection.getresponse()
    body = response.read().decode()
    cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            cookie = value.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not cookie or not token:
        raise RuntimeError("no CSRF token on /sign-up/")
    return cookie, token.group(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument(
        "--worker-interval", type=float, default=None, help="default: run_worker's own"
    )
    parser.add_argument("--drain-seconds", type=float, default=60.0)
    args = parser.parse_args()
    with own_database("portal_bench_signup") as database_url:
        return measure(args, database_url)


def measure(args: argparse.Namespace, database_url: str) -> int:
    total = int(args.rate * args.seconds)
    processes: list[subprocess.Popen[bytes]] = []
    smtp = None
    try:
        smtp_port, web_port = free_port(), free_port()
        environment = server_environment(
            database_url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            ACCOUNT_CODE_REQUESTS_PER_IP=str(PER_IP_CAP_FOR_BENCH),
            ACCOUNT_CODE_CHECKS_PER_IP=str(PER_IP_CAP_FOR_BENCH),
            ACCOUNT_SIGN_INS_PER_IP=str(PER_IP_CAP_FOR_BENCH),
        )
        migrate(environment)
        emails = seed(database_url, total)

        receiver = Receiver()
        smtp = Controller(receiver, hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        processes.append(
            subprocess.Popen(
                gunicorn_threaded(web_port, args.web_workers, args.web_threads),
                cwd=ROOT,
                env=environment,
                start_new_session=True,
            )
        )
        for number in range(args.task_workers):
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        "manage.py",
                        "run_worker",
                        "--queues",
                        "priority_email",
                        "--worker-id",
                        f"bench-{number}",
                    ]
                    + (
                        ["--interval", str(args.worker_interval)]
                        if args.worker_interval is not None
                        else []
                    ),
                    cwd=ROOT,
                    env=environment,
                    start_new_session=True,
                    stdout=subprocess.DEVNULL,
                )
            )
        wait_for_http(web_port, "/sign-up/")
        cookie, token = csrf_pair(web_port)
        time.sleep(1.0)  # let the worker finish starting

        started: dict[str, float] = {}
        answered: dict[str, tuple[int, float]] = {}
        lateness: list[float] = []
        begin = time.monotonic() + 0.5

        def send(index: int) -> None:
            email = emails[index]
            due = begin + index / args.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email})
            at = time.monotonic()
            lateness.append(at - due)
            started[email] = at
            try:
                connection = http.client.HTTPConnection("127.0.0.1", web_port, timeout=30)
                connection.request(
                    "POST",
                    "/sign-up/",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookie,
                        "Referer": f"http://127.0.0.1:{web_port}/sign-up/",
                    },
                )
                response = connection.getresponse()
                response.read()
                answered[email] = (response.status, time.monotonic() - at)
                connection.close()
            except OSError:
                answered[email] = (0, time.monotonic() - at)

        with ThreadPoolExecutor(max_workers=200) as pool:
            for index in range(total):
                pool.submit(send, index)
        sending_took = max(started.values()) - min(started.values())

        accepted_posts = {e for e, (status, _) in answered.items() if status == 302}
        deadline = time.monotonic() + args.drain_seconds
        while time.monotonic() < deadline:
            with receiver.lock:
                if accepted_posts <= set(receiver.accepted):
                    break
            time.sleep(0.1)

        with receiver.lock:
            delivered = dict(receiver.accepted)
        latencies = sorted(
            (delivered[e] - started[e]) * 1000 for e in accepted_posts if e in delivered
        )
        lost = total - len(latencies)
        http_times = sorted(seconds * 1000 for _, seconds in answered.values())

        def pct(values: list[float], p: float) -> float:
            if not values:
                return float("nan")
            return round(values[min(len(values) - 1, int(len(values) * p / 100))], 1)

        config = {
            "rate": args.rate,
            "seconds": args.seconds,
            "web": f"gunicorn {args.web_workers} workers x {args.web_threads} threads",
            "task_workers": args.task_workers,
            "worker_interval_s": args.worker_interval or "run_worker default (0.02)",
            "per_ip_caps_raised_to": PER_IP_CAP_FOR_BENCH,
            "cpus": os.cpu_count(),
        }
        emit("signup_code_p50_ms", pct(latencies, 50), "ms", **config)
        emit("signup_code_p95_ms", pct(latencies, 95), "ms")
        emit("signup_code_p99_ms", pct(latencies, 99), "ms")
        emit("signup_code_max_ms", round(latencies[-1], 1) if latencies else float("nan"), "ms")
        emit("signup_code_requests_per_s", round(len(started) / sending_took, 1), "requests/s")
        emit("signup_code_lost", lost, "messages")
        emit("signup_code_http_p50_ms", pct(http_times, 50), "ms")
        emit("signup_code_http_p99_ms", pct(http_times, 99), "ms")
        emit(
            "signup_code_http_errors",
            sum(1 for status, _ in answered.values() if status != 302),
            "requests",
        )
        emit("signup_code_send_lateness_max_ms", round(max(lateness) * 1000, 1), "ms")
        emit("signup_code_messages_without_code", receiver.without_code, "messages")
        web_cpu = cpu_seconds(processes[0].pid)
        worker_cpu = sum(cpu_seconds(p.pid) for p in processes[1:])
        emit("signup_code_web_cpu_ms_per_request", round(web_cpu * 1000 / total, 2), "ms")
        emit("signup_code_worker_cpu_ms_per_message", round(worker_cpu * 1000 / total, 2), "ms")
        return 0 if lost == 0 else 1
    finally:
        stop_process_groups(processes)
        if smtp is not None:
            smtp.stop()


if __name__ == "__main__":
    sys.exit(main())
