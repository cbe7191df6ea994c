"""Serve the portal with real gunicorn against the test database, for what only a real WSGI
server shows (Django's test client never encodes response headers, so it cannot see a
header that is not Latin-1)."""

import http.client
import re
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from tests.support.worker import ROOT, Worker, wait_until, worker_environment

_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class GunicornServer(Worker):
    """Like a task worker (same environment, log and stopping), but serving HTTP."""

    def __init__(self, log_path: Path, smtp_port: int):
        super().__init__(log_path, worker_environment(smtp_port), queues="")
        self.port = 0

    def start(self) -> "GunicornServer":
        with self.log_path.open("ab") as log:
            # Port 0: the system picks a free one and gunicorn says which in its log.
            command = ["gunicorn", "portal.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"]
            self.process = subprocess.Popen(
                [sys.executable, "-m", *command], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        try:
            found = wait_until(lambda: _LISTENING.search(self.log()), 60, "gunicorn to listen")
        except AssertionError:
            self.stop()
            raise AssertionError(f"gunicorn did not start:\n{self.log()}") from None
        self.port = int(found.group(1))
        return self


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
