"""`make run`'s server (serve_dev): web, worker and mail catcher start together, answer, and
all stop on Ctrl-C."""

import contextlib
import json
import os
import signal
import smtplib
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.demo.management.commands.serve_dev import (
    browse_url,
    child_environment,
    mail_catcher_command,
    prepare_maildir,
)
from tests.support.processes import ROOT, run_python
from tests.support.smtp import free_port
from tests.support.worker import wait_until


def descendants(pid):
    """Every process started (directly or not) by `pid`, from /proc."""
    found = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (
                (task / "children").read_text().split() if (task / "children").exists() else []
            )
            for child in map(int, children):
                found.append(child)
                pending.append(child)
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def health(base):
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())
    except OSError:
        return {}


def test_the_mail_catcher_keeps_what_it_receives(tmp_path):
    maildir = tmp_path / "mailbox"
    prepare_maildir(maildir)
    port = free_port()
    catcher = subprocess.Popen(mail_catcher_command("127.0.0.1", port, maildir))
    try:

        def send():
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
                    smtp.sendmail(
                        "portal@regulator.example",
                        ["a@care.example"],
                        b"Subject: Hi\r\n\r\nA code: 123456\r\n",
                    )
            except OSError:
                return False
            return True

        wait_until(send, timeout=20, what="the catcher to accept mail")
        (saved,) = list((maildir / "new").iterdir())
        assert "A code: 123456" in saved.read_text()
    finally:
        catcher.terminate()
        catcher.wait(timeout=10)


def test_emailed_links_use_the_address_people_are_told_to_browse(monkeypatch):
    """The banner says localhost; links to 127.0.0.1 would lose the sign-in (cookies are per
    host name) and passkeys (refused on a bare IP address)."""
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    assert browse_url(8123) == "http://localhost:8123"
    assert child_environment(8123)["PUBLIC_BASE_URL"] == "http://localhost:8123"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://portal.example")
    assert child_environment(8123)["PUBLIC_BASE_URL"] == "https://portal.example"
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.development"
    shown = run_python(
        "-c", "from django.conf import settings; print(settings.PUBLIC_BASE_URL)", env=env
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == browse_url(8000)


@contextlib.contextmanager
def serve_dev(tmp_path):
    """`manage.py serve_dev` on free ports with its own SQLite database, once it has shown its
    banner: yields (server process, base URL, log path, its child processes)."""
    web_port, mail_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.development",
            "PORTAL_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
            "EMAIL_PORT": str(mail_port),
            "WORKER_HEARTBEAT_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    log_path = tmp_path / "serve_dev.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [*manage, "serve_dev", "--port", str(web_port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    children: list[int] = []
    try:
        base = f"http://127.0.0.1:{web_port}"
        wait_until(lambda: http_status(f"{base}/") == 200, timeout=60, what="the start page")
        wait_until(
            lambda: http_status(f"{base}/healthz") == 200, timeout=60, what="a healthy worker"
        )
        wait_until(lambda: "Press Ctrl-C" in log_path.read_text(), timeout=30, what="the banner")
        children = descendants(server.pid)
        assert len(children) >= 3  # catcher, worker, web (and runserver's reloader child)
        yield server, base, log_path, children
    finally:
        # If an assertion failed midway, stop what this test started (each has its own group).
        for pid in [server.pid, *children]:
            if alive(pid):
                os.killpg(pid, signal.SIGKILL)
        server.wait(timeout=10)
        log.close()


@pytest.mark.slow
def test_serve_dev_runs_web_worker_and_catcher_and_ctrl_c_stops_all(tmp_path):
    with serve_dev(tmp_path) as (server, base, log_path, children):
        assert http_status(f"{base}/dev/emails/") == 200
        # ClamAV's daemon runs beside the worker, on the socket under var/ (if installed).
        if Path("/usr/sbin/clamd").exists():
            wait_until(lambda: health(base).get("scanner") == "ok", timeout=60, what="clamd")
            assert (tmp_path / "clamd" / "clamd.sock").exists()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        wait_until(
            lambda: not any(alive(pid) for pid in children), timeout=20, what="children to exit"
        )
        output = log_path.read_text()
        assert "Demo sign-ins:" in output
        # The banner names localhost: browsers refuse passkeys on a bare IP address.
        port = base.rsplit(":", 1)[1]
        assert f"http://localhost:{port}/dev/emails/" in output
        assert "Stopping the web server, worker, mail catcher and virus scanner" in output
        assert http_status(f"{base}/") is None  # nothing listens any more


@pytest.mark.slow
def test_repeated_sigterm_still_stops_everything(tmp_path):
    """`make` passes SIGTERM on, so serve_dev may get it twice or more while it is already
    stopping its children: that must not cut the shutdown short."""
    with serve_dev(tmp_path) as (server, base, log_path, children):
        server.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        while server.poll() is None and time.monotonic() < deadline:
            server.send_signal(signal.SIGTERM)
            time.sleep(0.02)
        server.wait(timeout=30)
        wait_until(
            lambda: not any(alive(pid) for pid in children), timeout=20, what="children to exit"
        )
        output = log_path.read_text()
        assert "Traceback" not in output, output[-2000:]
        assert server.returncode == 0
        assert http_status(f"{base}/") is None  # the port is free again
