"""Benchmark: uploading documents over HTTP until they are checked clean, and the memory a web
worker needs for a large upload.

What runs (all on loopback, on this machine):
- a fresh PostgreSQL database, created and dropped by this script;
- ClamAV's daemon (`clamd`, Debian's clamav-daemon) with a signature database made here (the
  EICAR test signature: portal/documents/clamd_daemon.py), on its own socket;
- gunicorn serving portal.wsgi (one sync worker, so its memory is the worker's) with
  DJANGO_SETTINGS_MODULE=portal.settings.bench, documents stored on local disk in a directory
  of this run under var/;
- the task worker (`manage.py run_worker`) taking the scanning queue.

The client signs in (a session made the way the test client makes one), opens the
statement-of-purpose notification's upload page for its CSRF token, and posts each file to
that page's form exactly as a browser does (multipart, "Upload file"), streamed from disk. It
uploads `--files` files (default 200) of 1 to 20 MB, one after another, each to a fresh draft
once a draft holds its limit of files; after each upload's answer it watches the database until
the file's virus check is done. Files are PDFs with text bodies (random letters), so the
portal accepts them by content and clamd reads every byte.

Prints JSON lines:
  documents_upload_to_clean_p95_seconds   from the start of the request to "clean", all files
                                          (target <= 5 s for 20 MB files; the 20 MB figure is
                                          documents_upload_to_clean_20mb_p95_seconds)
  documents_upload_mb_per_s               bytes posted / time to the upload's answer
  documents_disk_copy_mb_per_s            a plain copy of the same files to the same disk, now
  documents_web_peak_mb                   the web worker's peak resident memory while it takes
                                          a 50 MB upload (target <= 150 MB)
  documents_load_average                  /proc/loadavg before and after

Run: scripts/bench.sh (BENCH=documents), or alone (any PostgreSQL server):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/documents.py
"""

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    GUNICORN,
    TEST_CLIENT_HOSTS,
    django_setup,
    emit,
    free_port,
    migrate,
    own_database,
    percentile,
    server_environment,
    wait_for_http,
)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
MB = 1_000_000
CHUNK = 1024 * 1024
BOUNDARY = "----portal-bench-boundary-7d1f"
QUESTION = "revised_statement_file"
PAGE = "statement"


def load_average() -> str:
    return Path("/proc/loadavg").read_text().strip()


def make_pdf(path: Path, size: int, rng: random.Random) -> None:
    """A PDF header, lines of random letters up to `size` bytes, and the PDF trailer."""
    head, tail = b"%PDF-1.7\n", b"\n%%EOF\n"
    letters = (string.ascii_letters + string.digits).encode()
    line = bytes(rng.choice(letters) for _ in range(4095)) + b"\n"
    block = line * (CHUNK // len(line)) + line[: CHUNK % len(line)]
    with path.open("wb") as out:
        out.write(head)
        remaining = size - len(head) - len(tail)
        while remaining > 0:
            # Shift the block each time so no two megabytes are the same.
            offset = rng.randrange(len(line))
            piece = (block[offset:] + block[:offset])[: min(CHUNK, remaining)]
            out.write(piece)
            remaining -= len(piece)
        out.write(tail)


class Session:
    """A signed-in browser: cookies, and posting the upload page's form."""

    def __init__(self, port: int, cookie_name: str, session_cookie: str):
        self.port = port
        self.cookies = {cookie_name: session_cookie}

    def _cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def get(self, path: str) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path, headers={"Cookie": self._cookie_header()})
        response = connection.getresponse()
        body = response.read().decode()
        self._remember(response)
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return body

    def upload(self, path: str, token: str, revision: str, file: Path) -> tuple[int, str]:
        """Post the page's form with one file, streamed from disk: (status, Location)."""
        fields = {"csrfmiddlewaretoken": token, "revision": revision, "upload_file": QUESTION}
        preamble = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        preamble += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{QUESTION}"; '
            f'filename="{file.name}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        epilogue = f"\r\n--{BOUNDARY}--\r\n".encode()
        head = preamble.encode()
        length = len(head) + file.stat().st_size + len(epilogue)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        connection.putheader("Content-Length", str(length))
        connection.putheader("Cookie", self._cookie_header())
        connection.putheader("Origin", f"http://127.0.0.1:{self.port}")
        connection.putheader("Referer", f"http://127.0.0.1:{self.port}{path}")
        connection.endheaders()
        connection.send(head)
        with file.open("rb") as source:
            while chunk := source.read(CHUNK):
                connection.send(chunk)
        connection.send(epilogue)
        response = connection.getresponse()
        body = response.read()
        self._remember(response)
        connection.close()
        if response.status != 302:
            errors = re.findall(r'govuk-error-message">.*?</span>\s*(.*?)\s*</p>', body.decode())
            raise RuntimeError(f"upload answered {response.status}: {errors or body[:300]!r}")
        return response.status, response.headers.get("Location", "")


def form_fields(html: str) -> tuple[str, str]:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    revision = re.search(r'name="revision" value="(\d+)"', html)
    if not token or not revision:
        raise RuntimeError("The upload page has no form")
    return token.group(1), revision.group(1)


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200, help="files to upload")
    parser.add_argument("--smallest-mb", type=int, default=1)
    parser.add_argument("--largest-mb", type=int, default=20)
    parser.add_argument("--big-mb", type=int, default=50, help="the file for the memory peak")
    args = parser.parse_args()
    with own_database("portal_bench_documents") as database_url:
        return measure_uploads(args, database_url)


def measure_uploads(args: argparse.Namespace, database_url: str) -> int:
    run_dir = Path(tempfile.mkdtemp(prefix="bench-documents-", dir=ROOT / "var"))
    stored = run_dir / "stored"
    sources = run_dir / "sources"
    sources.mkdir()
    loads = {"before": load_average()}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        environment = server_environment(
            database_url,
            ALLOWED_HOSTS=TEST_CLIENT_HOSTS,
            DOCUMENTS_DIR=str(stored),
            CLAMD_ADDRESS=str(run_dir / "clamd" / "clamd.sock"),
        )
        os.environ.update(environment)
        migrate(environment)
        django_setup()
        from django.conf import settings
        from django.db import connections
        from django.test import Client

        from bench.notifications import build_register
        from portal.documents import clamd_daemon
        from portal.documents.models import Document, ScanState
        from portal.notifications import services
        from portal.notifications.catalogue import CATALOGUE

        (run_dir / "clamd").mkdir()
        clamd = clamd_daemon.start(run_dir / "clamd")
        processes.append(clamd)
        provider, locations, user, _staff = build_register(os.urandom(4).hex())
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        definition = CATALOGUE.require("statement-of-purpose")
        question = definition.question(QUESTION)
        if question is None or not question.max_files:
            raise RuntimeError("The statement of purpose has no file question with a limit")
        per_draft = question.max_files

        def new_draft() -> str:
            draft = services.start_draft(
                user=user, provider=provider, location=locations[0], definition=definition
            )
            return str(draft.pk)

        rng = random.Random(13)
        sizes = [
            int(
                (
                    args.smallest_mb
                    + (args.largest_mb - args.smallest_mb) * i / max(1, args.files - 1)
                )
                * MB
            )
            for i in range(args.files)
        ]
        rng.shuffle(sizes)
        files = []
        for number, size in enumerate(sizes):
            path = sources / f"statement-{number:03d}.pdf"
            make_pdf(path, size, rng)
            files.append(path)
        big = sources / "statement-big.pdf"
        make_pdf(big, args.big_mb * MB, rng)
        connections.close_all()

        port = free_port()
        gunicorn = subprocess.Popen(
            [
                GUNICORN,
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
        )
        processes.append(gunicorn)
        worker = subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "run_worker",
                "--queues",
                settings.TASK_QUEUE_SCANNING,
                "--interval",
                "0.05",
            ],
            cwd=ROOT,
            env=environment,
        )
        processes.append(worker)
        wait_for_http(port, "/healthz")
        browser = Session(port, settings.SESSION_COOKIE_NAME, session_cookie)

        to_clean: list[float] = []
        to_clean_20mb: list[float] = []
        upload_seconds = 0.0
        uploaded_bytes = 0
        draft_id = ""
        for number, path in enumerate(files):
            if number % per_draft == 0:
                draft_id = new_draft()
            page = f"/notifications/drafts/{draft_id}/{PAGE}/"
            token, revision = form_fields(browser.get(page))
            known = set(Document.objects.filter(owner_id=draft_id).values_list("pk", flat=True))
            started = time.perf_counter()
            browser.upload(f"/uploads{page}", token, revision, path)
            answered = time.perf_counter()
            upload_seconds += answered - started
            uploaded_bytes += path.stat().st_size
            document = Document.objects.filter(owner_id=draft_id).exclude(pk__in=known).get()
            while True:
                state = Document.objects.filter(pk=document.pk).values_list(
                    "scan_state", flat=True
                )[0]
                if state != ScanState.PENDING:
                    break
                if time.perf_counter() - started > 300:
                    raise RuntimeError(f"{path.name} was not checked within 5 minutes")
                time.sleep(0.02)
            if state != ScanState.CLEAN:
                raise RuntimeError(f"{path.name} was checked {state}")
            seconds = time.perf_counter() - started
            to_clean.append(seconds)
            if path.stat().st_size >= (args.largest_mb - 1) * MB:
                to_clean_20mb.append(seconds)
            if number and number % 25 == 0:
                print(f"# {number} files uploaded and checked", file=sys.stderr, flush=True)

        # The same bytes copied on the same disk, now, for comparison.
        copies = run_dir / "copies"
        copies.mkdir()
        started = time.perf_counter()
        for path in files:
            shutil.copyfile(path, copies / path.name)
        copy_seconds = time.perf_counter() - started
        shutil.rmtree(copies)

        # The web worker's memory while it takes a 50 MB file.
        pid = worker_pid(gunicorn.pid)
        before_mb = rss_mb(pid)
        peak = [before_mb]
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                peak[0] = max(peak[0], rss_mb(pid))
                time.sleep(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        draft_id = new_draft()
        page = f"/notifications/drafts/{draft_id}/{PAGE}/"
        token, revision = form_fields(browser.get(page))
        browser.upload(f"/uploads{page}", token, revision, big)
        sampling.set()
        sampler.join()
        loads["after"] = load_average()

        total_mb = uploaded_bytes / MB
        emit(
            "documents_upload_to_clean_p95_seconds",
            percentile(to_clean, 0.95),
            "s",
            files=len(to_clean),
            median=round(percentile(to_clean, 0.5), 3),
            sizes_mb=f"{args.smallest_mb}-{args.largest_mb}",
            target=5,
        )
        if to_clean_20mb:
            emit(
                "documents_upload_to_clean_20mb_p95_seconds",
                percentile(to_clean_20mb, 0.95),
                "s",
                files=len(to_clean_20mb),
                target=5,
            )
        emit(
            "documents_upload_mb_per_s", total_mb / upload_seconds, "MB/s", total_mb=round(total_mb)
        )
        emit(
            "documents_disk_copy_mb_per_s",
            total_mb / copy_seconds,
            "MB/s",
            total_mb=round(total_mb),
        )
        emit(
            "documents_web_peak_mb",
            peak[0],
            "MB",
            upload_mb=args.big_mb,
            before_mb=round(before_mb, 1),
            lifetime_peak_mb=round(rss_mb(pid, "VmHWM"), 1),
            target=150,
        )
        emit("documents_load_average", loads["after"], "loadavg", before=loads["before"])
    finally:
        for process in reversed(processes):  # the worker and gunicorn, then clamd
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
