"""Breached passwords are refused (ASVS 6.2.12). The Pwned Passwords API lies outside the
system, so a small HTTP server on loopback plays it, answering the way the real range API
does (padded, "SUFFIX:COUNT" lines); the portal's own client code runs for real."""

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.accounts import breached
from tests.accounts.conftest import PASSWORD, sign_in

BREACHED = "correct horse battery staple"


def _sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


class RangeApi(BaseHTTPRequestHandler):
    corpus = {_sha1(BREACHED): 3_903, _sha1("padding only entry"): 0}
    seen_paths: list[str] = []
    delay = 0.0
    status = 200

    def do_GET(self):
        type(self).seen_paths.append(self.path)
        time.sleep(self.delay)
        prefix = self.path.rsplit("/", 1)[-1].upper()
        lines = [
            f"{digest[5:]}:{count}" for digest, count in self.corpus.items() if digest[:5] == prefix
        ]
        lines += [f"{'0' * 30}{n:05X}:0" for n in range(50)]  # padding, as the real API adds
        body = "\r\n".join(lines).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def range_api(settings):
    RangeApi.seen_paths = []
    RangeApi.delay = 0.0
    RangeApi.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), RangeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BREACHED_PASSWORDS_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.BREACHED_PASSWORDS_TIMEOUT_SECONDS = 0.5
    yield RangeApi
    server.shutdown()
    server.server_close()


def test_only_five_characters_of_the_hash_leave_the_portal(range_api):
    assert breached.times_seen(BREACHED) == 3_903
    assert range_api.seen_paths == [f"/range/{_sha1(BREACHED)[:5]}"]
    assert breached.times_seen("a password nobody has used anywhere 81x") == 0


def test_padding_entries_do_not_count(range_api):
    assert breached.times_seen("padding only entry") == 0


@pytest.mark.django_db
def test_a_breached_password_is_refused_when_changing_it(client, account, range_api):
    sign_in(client, account)
    response = client.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": BREACHED}
    )
    assert response.status_code == 200
    assert "appeared in a data breach" in response.content.decode()
    response = client.post(
        "/account/password/",
        {"current_password": PASSWORD, "new_password": "tangerine quokka velvet"},
    )
    assert response["Location"] == "/account/"


@pytest.mark.django_db
def test_when_the_service_is_slow_the_password_is_accepted_and_logged(
    client, account, range_api, caplog
):
    range_api.delay = 1.0
    sign_in(client, account)
    response = client.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": BREACHED}
    )
    assert response["Location"] == "/account/"
    assert "Breached-password check unavailable" in caplog.text
    assert BREACHED not in caplog.text


@pytest.mark.django_db
def test_when_the_service_fails_the_password_is_accepted(client, account, range_api):
    range_api.status = 503
    assert breached.times_seen(BREACHED) is None


def test_unreachable_service_is_not_checked(settings):
    settings.BREACHED_PASSWORDS_URL = "http://127.0.0.1:9/"  # discard port: nothing listens
    settings.BREACHED_PASSWORDS_TIMEOUT_SECONDS = 0.5
    assert breached.times_seen(BREACHED) is None


def test_not_configured_means_not_checked(settings):
    settings.BREACHED_PASSWORDS_URL = ""
    assert breached.times_seen(BREACHED) is None
