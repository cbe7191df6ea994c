"""The production layout as subprocesses: static files collected by production's storage,
gunicorn with deploy/gunicorn.conf.py and production settings, nginx with
deploy/nginx.conf.template, and a small HTTP client that speaks to them as the load balancer
(which terminates TLS) would."""

import atexit
import functools
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from tests.support.production import production_environment
from tests.support.smtp import free_port
from tests.support.worker import wait_until

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
NGINX = Path("/usr/sbin/nginx")
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
HOST = "portal.regulator.example"


def production_node_environment(var_dir: Path, database_url: str) -> dict[str, str]:
    """What a real web node is given: fresh secrets, its host, its database, nothing else
    that weakens production settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(production_environment(database_url))
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "PORTAL_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": HOST,
            "PUBLIC_BASE_URL": f"https://{HOST}",
            "PASSKEY_RP_ID": HOST,
            "PASSKEY_ORIGINS": f"https://{HOST}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@functools.cache
def var_dir_with_collected_static() -> Path:
    """A temporary PORTAL_VAR_DIR whose static/ is `manage.py collectstatic` with production's
    storage (made once per test run, removed at exit; never the repository's var/)."""
    var_dir = Path(tempfile.mkdtemp(prefix="portal-production-"))
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    env = production_node_environment(var_dir, "postgres://unused@127.0.0.1:1/unused")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    assert (var_dir / "static" / "staticfiles.json").exists()
    return var_dir


def _status_or_none(port: int, path: str) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path, headers={"Host": HOST})
        status = connection.getresponse().status
        connection.close()
    except OSError:
        return None
    return status


@dataclass
class Server:
    """A started process group and where it listens."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _start(command: list[str], env: dict[str, str], log_path: Path, port: int) -> Server:
    log = log_path.open("ab")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    server = Server(process, port, log_path)
    try:
        wait_until(
            lambda: process.poll() is not None or _status_or_none(port, "/healthz") is not None,
            timeout=60,
            what=f"{command[0]} to answer on port {port}",
        )
    except AssertionError:
        server.stop()
        raise
    assert process.poll() is None, f"{command[0]} exited:\n{server.log()}"
    return server


@contextmanager
def gunicorn(env: dict[str, str], log_path: Path) -> Iterator[Server]:
    """The documented production command, listening on a free loopback port."""
    port = free_port()
    server = _start(
        [GUNICORN, "--config", str(GUNICORN_CONFIG), "portal.wsgi"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        log_path,
        port,
    )
    try:
        yield server
    finally:
        server.stop()


def nginx_available() -> bool:
    return NGINX.exists()


def render_nginx_config(runtime_dir: Path, listen_port: int, upstream_port: int) -> Path:
    """deploy/nginx.conf.template with this node's values, as scripts/nginx_conf.py writes it."""
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "nginx_conf.py"),
            "--listen",
            f"127.0.0.1:{listen_port}",
            "--upstream",
            f"127.0.0.1:{upstream_port}",
            "--runtime-dir",
            str(runtime_dir),
            "--load-balancer",
            "127.0.0.1",
            "--output",
            str(runtime_dir / "nginx.conf"),
        ],
        check=True,
        timeout=30,
    )
    return runtime_dir / "nginx.conf"


@contextmanager
def nginx(upstream_port: int) -> Iterator[Server]:
    """Debian's nginx running the repository's configuration in front of `upstream_port`."""
    # Under /tmp and readable: when started as root, nginx's workers drop their privileges.
    runtime_dir = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
    runtime_dir.chmod(0o755)
    port = free_port()
    try:
        config = render_nginx_config(runtime_dir, port, upstream_port)
        subprocess.run([str(NGINX), "-t", "-q", "-c", str(config)], check=True, timeout=30)
        server = _start(
            [str(NGINX), "-c", str(config), "-g", "daemon off;"],
            dict(os.environ),
            runtime_dir / "nginx.log",
            port,
        )
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(runtime_dir, ignore_errors=True)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


@dataclass
class LoadBalancerClient:
    """Speaks plain HTTP to `port` as the TLS-terminating load balancer does: the browser's
    Host, X-Forwarded-Proto: https, and the browser's cookies (kept here, Secure or not)."""

    port: int
    forwarded_proto: str = "https"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = urlencode(form).encode() if form is not None else None
        sent = {"Host": HOST, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) smoke-test"}
        if self.forwarded_proto:
            sent["X-Forwarded-Proto"] = self.forwarded_proto
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"https://{HOST}"
            sent["Referer"] = f"https://{HOST}{path}"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for line in response.set_cookies():
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, form)

    def follow(self, response: Response, limit: int = 5) -> Response:
        """Follow same-site redirects (as a browser would), at most `limit` of them."""
        while response.status in (301, 302, 303, 307, 308) and limit:
            location = urlsplit(response.header("Location"))
            assert location.netloc in ("", HOST), f"redirect off the site: {location.geturl()}"
            response = self.get(location.path + (f"?{location.query}" if location.query else ""))
            limit -= 1
        return response


def csrf_token(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


_ASSET = re.compile(r"""(?:href|src)="(/static/[^"]+)\"""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_JS_IMPORT = re.compile(r"""(?:import|from)\s*["']([^"']+\.js)["']""")


def static_urls_in_page(html: str) -> set[str]:
    return set(_ASSET.findall(html))


def static_urls_inside(url: str, body: str, content_type: str) -> set[str]:
    """What a stylesheet or a module script asks the browser to load next."""
    if content_type.startswith("text/css"):
        found = _CSS_URL.findall(body)
    elif "javascript" in content_type:
        found = _JS_IMPORT.findall(body)
    else:
        return set()
    return {urljoin(url, ref) for ref in found if not ref.startswith(("data:", "http", "#"))}


def assert_static_answers(client: Any, page_urls: set[str]) -> set[str]:
    """Load every static URL (and what stylesheets and scripts pull in); all must answer 200.
    Returns every URL loaded."""
    pending, loaded = set(page_urls), set()
    while pending:
        url = pending.pop()
        loaded.add(url)
        response = client.get(url)
        assert response.status == 200, f"{url} answered {response.status}"
        inside = static_urls_inside(url, response.text, response.header("Content-Type"))
        pending |= inside - loaded
    return loaded
