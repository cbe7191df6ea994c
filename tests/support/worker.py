"""Run the real task worker (`manage.py run_worker`) as a subprocess against the test database."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def current_test_database_url() -> str:
    """The URL of the database this test is using (the test database, not the real one)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, log_path: Path, env: dict[str, str], queues: str):
        self.log_path = log_path
        self.env = env
        self.queues = queues
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Worker":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--queues",
                self.queues,
                "--interval",
                "0.05",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when a machine or container dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def worker_environment(smtp_port: int, **overrides: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": current_test_database_url(),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            # Small timings so recovery takes seconds, not minutes.
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_STALE_SECONDS": "2",
            "EMAIL_SWEEP_SECONDS": "1",
            "EMAIL_RETRY_BASE_SECONDS": "1",
            "EMAIL_TIMEOUT": "30",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({name: str(value) for name, value in overrides.items()})
    return env


def wait_until(condition: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for {what or condition}")
        time.sleep(0.1)
