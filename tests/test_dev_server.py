"""`make run`'s server (serve_dev): web, worker and mail catcher start together, answer, and
all stop on Ctrl-C."""

import os
import signal
import smtplib
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from portal.demo.management.commands.serve_dev import mail_catcher_command, prepare_maildir
from tests.support.smtp import free_port
from tests.support.worker import wait_until

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.mark.slow
def test_serve_dev_runs_web_worker_and_catcher_and_ctrl_c_stops_all(tmp_path):
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
    log = (tmp_path / "serve_dev.log").open("wb")
    server = subprocess.Popen(
        [*manage, "serve_dev", "--port", str(web_port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    children = []
    try:
        base = f"http://127.0.0.1:{web_port}"
        wait_until(lambda: http_status(f"{base}/") == 200, timeout=60, what="the start page")
        wait_until(
            lambda: http_status(f"{base}/healthz") == 200, timeout=60, what="a healthy worker"
        )
        assert http_status(f"{base}/dev/emails/") == 200
        log_path = tmp_path / "serve_dev.log"
        wait_until(lambda: "Press Ctrl-C" in log_path.read_text(), timeout=30, what="the banner")
        children = descendants(server.pid)
        assert len(children) >= 3  # catcher, worker, web (and runserver's reloader child)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        wait_until(
            lambda: not any(alive(pid) for pid in children), timeout=20, what="children to exit"
        )
        output = log_path.read_text()
        assert "Demo sign-ins:" in output
        # The banner names localhost: browsers refuse passkeys on a bare IP address.
        assert f"http://localhost:{web_port}/dev/emails/" in output
        assert "Stopping the web server, worker and mail catcher" in output
        assert http_status(f"{base}/") is None  # nothing listens any more
    finally:
        # If an assertion failed midway, stop what this test started (each has its own group).
        for pid in [server.pid, *children]:
            if alive(pid):
                os.killpg(pid, signal.SIGKILL)
        server.wait(timeout=10)
        log.close()
