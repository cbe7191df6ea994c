"""The documented production layout, as configured in deploy/: nginx (deploy/nginx.conf.template,
rendered by scripts/nginx_conf.py) in front of gunicorn (deploy/gunicorn.conf.py, two sync
workers) with production settings. Slow clients do not starve it, and large bodies are refused
early with the styled 413, at nginx's cap and at the portal's own limit."""

import http.client
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from portal.audit.models import AuditEvent
from tests.support.production_server import (
    HOST,
    LoadBalancerClient,
    Server,
    csrf_token,
    gunicorn,
    nginx,
    nginx_available,
    production_node_environment,
    var_dir_with_collected_static,
)
from tests.support.worker import current_test_database_url

MiB = 1024 * 1024
TOO_LARGE_TITLE = "<title>Sorry, what you sent is too large – Provider Portal"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not nginx_available(),
        reason="NO NGINX: /usr/sbin/nginx is not installed (scripts/ensure_nginx.sh installs it)",
    ),
]


@pytest.fixture(scope="module")
def layout(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any
) -> Iterator[tuple[Server, Server]]:
    env = production_node_environment(var_dir_with_collected_static(), current_test_database_url())
    logs = tmp_path_factory.mktemp("logs")
    with gunicorn(env, logs / "gunicorn.log") as app, nginx(app.port) as proxy:
        assert app.process.poll() is None
        yield app, proxy


def open_connection(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def headers(method: str, path: str, **extra: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "X-Forwarded-Proto: https"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in extra.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def sign_in_post(**extra: str) -> bytes:
    """The head of a form sent to the sign-in page."""
    return headers("POST", "/sign-in/", Content_Type="application/x-www-form-urlencoded", **extra)


def slow_clients(port: int, count: int) -> list[socket.socket]:
    """Half stop inside their headers, half inside a form body they said would be longer."""
    clients = []
    for number in range(count):
        connection = open_connection(port)
        if number % 2:
            start = sign_in_post(Content_Length="100000")
            connection.sendall(start + b"email=slow%40client.example&password=")
        else:
            connection.sendall(headers("GET", "/")[:-4] + b"\r\nUser-Agent: slow")
        clients.append(connection)
    return clients


def read_answer(connection: socket.socket, timeout: float) -> bytes:
    """The status line, headers and body of the answer (nginx may keep the connection open
    a little longer, reading and discarding what the client still sends)."""
    connection.settimeout(timeout)
    response = http.client.HTTPResponse(connection)
    response.begin()
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n{response.headers}".encode()
    return head + response.read()


def test_six_slow_clients_do_not_delay_a_seventh_request(layout):
    _app, proxy = layout
    for _warm_up in range(4):  # each worker has loaded its templates before the clock starts
        assert LoadBalancerClient(proxy.port).get("/accessibility/").status == 200
    clients = slow_clients(proxy.port, 6)
    try:
        for _round in range(3):
            time.sleep(1.0)
            for connection in clients:
                connection.sendall(b"x")  # still sending, a byte at a time
            # Three in turn: starved, each would wait; on a busy shared machine one may be
            # slowed by the scheduler alone, so the middle one must be within a second.
            timings = []
            for _attempt in range(3):
                started = time.monotonic()
                response = LoadBalancerClient(proxy.port).get("/accessibility/")
                timings.append(time.monotonic() - started)
                assert response.status == 200
            assert sorted(timings)[1] < 1.0, f"the seventh request took {timings}s"
    finally:
        for connection in clients:
            connection.close()


def assert_styled_413(answer: bytes) -> None:
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert TOO_LARGE_TITLE.encode() in answer


def send_60_mib_upload(port: int) -> tuple[bytes, float]:
    """Declare a 60 MiB upload, send its first 64 KiB, and wait for the answer: the answer and
    how long it took."""
    connection = open_connection(port)
    try:
        started = time.monotonic()
        connection.sendall(
            headers(
                "POST",
                "/sign-in/",
                Content_Type="multipart/form-data; boundary=b",
                Content_Length=str(60 * MiB),
            )
            + b"--b\r\n"
            + b"x" * 65536
        )
        answer = read_answer(connection, timeout=5)
        return answer, time.monotonic() - started
    finally:
        connection.close()


def test_a_60_mib_upload_is_refused_at_the_proxy_before_it_is_sent(layout):
    _app, proxy = layout
    answer, elapsed = send_60_mib_upload(proxy.port)
    assert_styled_413(answer)
    assert b"Strict-Transport-Security" in answer  # the portal's page, with its headers
    assert elapsed < 2.0


def test_a_chunked_body_is_cut_off_at_the_proxy_cap(layout):
    _app, proxy = layout
    connection = open_connection(proxy.port)
    sent = 0
    try:
        connection.sendall(sign_in_post(Transfer_Encoding="chunked"))
        chunk = b"x" * (256 * 1024)
        # Send until nginx answers (it then discards the rest for a while before closing).
        while sent < 20 * MiB and not select.select([connection], [], [], 0.05)[0]:
            connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        answer = read_answer(connection, timeout=5)
    finally:
        connection.close()
    assert_styled_413(answer)
    # Answered once the body passed the 3 MiB cap (plus what the sockets held in between).
    assert 3 * MiB <= sent < 8 * MiB, sent


def test_a_body_over_the_portal_limit_but_under_the_proxy_cap_gets_the_portal_413(layout):
    _app, proxy = layout
    body = b"email=a%40b.example&padding=" + b"x" * int(2.7 * MiB)
    connection = open_connection(proxy.port)
    try:
        connection.sendall(sign_in_post(Content_Length=str(len(body))) + body)
        answer = read_answer(connection, timeout=10)
    finally:
        connection.close()
    assert_styled_413(answer)
    assert "up to 2.5\xa0MB here".encode() in answer


def test_gunicorn_itself_refuses_a_large_declared_body_without_reading_it(layout):
    """If a request reaches gunicorn some other way, the portal still answers from the
    declared length rather than reading 60 MiB first."""
    app, _proxy = layout
    answer, elapsed = send_60_mib_upload(app.port)
    assert_styled_413(answer)
    assert elapsed < 2.0


def test_the_portal_sees_the_client_address_the_load_balancer_gave_and_no_other(layout):
    _app, proxy = layout
    client = LoadBalancerClient(proxy.port)
    # The load balancer appends the address it saw; what the client claimed before it, and
    # an X-Real-IP of its own, are not believed.
    forwarded = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7", "X-Real-IP": "192.0.2.2"}
    page = client.get("/sign-in/", headers=forwarded)
    assert page.status == 200
    token = csrf_token(page.text)
    form = {"csrfmiddlewaretoken": token, "email": "nobody@care.example", "password": "wrong!"}
    answer = client.request("POST", "/sign-in/", form, headers=forwarded)
    assert answer.status == 200  # the sign-in page again, with the error
    failed = AuditEvent.objects.get(verb="accounts.sign_in_failed")
    assert failed.ip_address == "203.0.113.7"
