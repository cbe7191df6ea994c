"""Serve the portal with real gunicorn against the test database, for what only a real WSGI
server shows (Django's test client never encodes response headers, so it cannot see a
header that is not Latin-1)."""

import http.client
import re
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from types import TracebackType

from tests.support.worker import ROOT, worker_environment

_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class GunicornServer:
    def __init__(self, log_path: Path, smtp_port: int):
        self.log_path = log_path
        self.env = worker_environment(smtp_port)
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def __enter__(self) -> "GunicornServer":
        log = self.log_path.open("ab")
        # Port 0: the system picks a free one and gunicorn says which in its log.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = _LISTENING.search(self.log())
            if found:
                self.port = int(found.group(1))
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise AssertionError(f"gunicorn did not start:\n{self.log()}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Browser:
    """Just enough of a browser: keeps cookies, sends the CSRF token back, no redirects."""

    def __init__(self, server: GunicornServer):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def submit(self, path: str, form: dict[str, str]) -> http.client.HTTPResponse:
        page = self.request("GET", path)
        token = _CSRF.search(page.body.decode())  # type: ignore[attr-defined]
        assert token, f"no CSRF token on {path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **form})
