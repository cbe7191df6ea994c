"""Request bodies are refused by their declared size before anything reads them (a styled 413),
with a modest default and a limit per URL prefix from settings; behind the node's proxy, the
client's address is the one the proxy passes on."""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.operations.body_limits import body_limit_for
from portal.operations.client_address import ClientAddressMiddleware
from tests.support.html import Page
from tests.support.production_server import ROOT

MiB = 1024 * 1024
TOO_LARGE = "Sorry, what you sent is too large"
NO_LENGTH = "Sorry, your browser did not say how much it was sending"

pytestmark = pytest.mark.django_db


def assert_styled(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = Page(response.content)
    assert page.title.startswith(f"{heading} – Provider Portal"), page.title
    assert page.all("footer", "govuk-footer"), "not the styled layout"
    assert response["X-Request-ID"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    return response.content.decode()


def test_the_default_limit_is_modest_and_within_the_proxy_cap(settings):
    limit = settings.REQUEST_BODY_LIMIT_BYTES
    # Every form's fields (Django's own cap) plus room for multipart framing; no more.
    assert limit == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MiB // 2
    assert body_limit_for("/sign-in/") == limit
    # nginx lets through at least as much, so the portal's styled 413 is what people see.
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    cap = re.findall(r"^    client_max_body_size (\d+)m;", template, re.MULTILINE)[0]
    assert limit <= int(cap) * MiB <= 4 * MiB


def test_the_upload_prefix_takes_one_largest_file_and_nginx_lets_it_through(settings):
    upload_limit = body_limit_for(settings.UPLOAD_URL_PREFIX + "notifications/drafts/x/y/")
    assert upload_limit == settings.DOCUMENTS_MAX_FILE_BYTES + settings.REQUEST_BODY_LIMIT_BYTES
    assert body_limit_for("/notifications/drafts/x/y/") == settings.REQUEST_BODY_LIMIT_BYTES
    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    (cap,) = re.findall(
        r"location /uploads/ \{\s*(?:#.*\s*)*client_max_body_size (\d+)m;", template
    )
    assert upload_limit <= int(cap) * MiB


def test_a_body_declared_larger_than_the_limit_is_refused_unread(client, caplog):
    caplog.set_level(logging.INFO)
    # 60 MiB declared, a few bytes sent: anything that tried to read the body would fail.
    response = client.generic(
        "POST",
        "/sign-in/",
        data=b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * MiB),
    )
    assert_styled(response, 413, TOO_LARGE)
    assert "The service accepts up to 2.5\xa0MB here" in response.content.decode()
    assert any(
        "answered 413: 62914560 bytes declared, limit 2621440" in r.getMessage()
        for r in caplog.records
    )


def test_a_body_just_within_the_limit_reaches_the_page(client, settings):
    body = b"email=a%40b.example&password=" + b"x" * 1000
    response = client.generic(
        "POST", "/sign-in/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # the sign-in page, explaining what is wrong
    settings.REQUEST_BODY_LIMIT_BYTES = len(body) - 1
    response = client.generic(
        "POST", "/sign-in/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_a_url_prefix_can_have_its_own_limit_and_the_longest_prefix_wins(client, settings):
    settings.REQUEST_BODY_LIMITS_BY_PREFIX = {"/sign-": 1024, "/sign-in/": 8 * MiB}
    assert body_limit_for("/sign-in/") == 8 * MiB
    assert body_limit_for("/sign-up/") == 1024
    assert body_limit_for("/account/") == settings.REQUEST_BODY_LIMIT_BYTES

    upload = {"email": "a@b.example", "password": "x"}
    big = client.post("/sign-in/", {**upload, "file": _file("big.pdf", b"%" * (4 * MiB))})
    assert big.status_code == 200  # 4 MiB is within /sign-in/'s own 8 MiB
    small = client.post("/sign-up/", {"email": "a@b.example", "padding": "x" * 2000})
    page = assert_styled(small, 413, TOO_LARGE)
    assert "up to 1.0\xa0KB here" in page


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("declared", "status", "heading"),
    [
        ({"HTTP_TRANSFER_ENCODING": "chunked"}, 411, NO_LENGTH),  # length not declared
        ({"CONTENT_LENGTH": "12abc"}, 400, "Sorry, there is a problem with what was sent"),
        ({"CONTENT_LENGTH": "1²"}, 400, "Sorry, there is a problem with what was sent"),
    ],
)
def test_a_body_without_a_usable_length_is_refused(client, declared, status, heading):
    data = b"" if "HTTP_TRANSFER_ENCODING" in declared else b"email=x"
    response = client.generic(
        "POST", "/sign-in/", data=data, content_type="application/x-www-form-urlencoded", **declared
    )
    assert_styled(response, status, heading)


def test_the_page_nginx_shows_for_a_body_over_its_cap(client, settings):
    settings.REQUEST_BODY_LIMITS_BY_PREFIX = {"/documents/": 55 * MiB}
    page = assert_styled(client.get("/request-too-large/?path=/documents/x"), 413, TOO_LARGE)
    assert "up to 55.0\xa0MB here" in page
    page = assert_styled(client.get("/request-too-large/"), 413, TOO_LARGE)
    assert "up to 2.5\xa0MB here" in page


def _address_seen(settings, remote_addr, **headers):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    settings.CLIENT_ADDRESS_PROXIES = ["127.0.0.1", "::1"]
    middleware = ClientAddressMiddleware(lambda request: HttpResponse(request.META["REMOTE_ADDR"]))
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    return middleware(request).content.decode()


def test_behind_the_node_proxy_the_client_address_is_the_one_it_passes_on(settings):
    assert _address_seen(settings, "127.0.0.1", HTTP_X_REAL_IP="203.0.113.9") == "203.0.113.9"
    assert _address_seen(settings, "::1", HTTP_X_REAL_IP="2001:db8::7") == "2001:db8::7"
    # Only the proxy is believed; anyone else's claim is ignored.
    assert _address_seen(settings, "198.51.100.4", HTTP_X_REAL_IP="203.0.113.9") == "198.51.100.4"
    # A missing or malformed address leaves the proxy's own.
    assert _address_seen(settings, "127.0.0.1") == "127.0.0.1"
    assert _address_seen(settings, "127.0.0.1", HTTP_X_REAL_IP="1.2.3.4, 5.6.7.8") == "127.0.0.1"


def test_without_a_proxy_configured_remote_addr_is_left_alone(settings):
    middleware = ClientAddressMiddleware(lambda request: HttpResponse(request.META["REMOTE_ADDR"]))
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert middleware(request).content.decode() == "127.0.0.1"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_413_and_411_pages_are_accessible(page, client):
    from tests.support.browser import (
        assert_accessible,
        assert_keyboard_reaches_every_link,
        expect_heading,
    )

    response = page.goto("/request-too-large/")
    assert response.status == 413
    expect_heading(page, TOO_LARGE)
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    # A browser never sends a body without its length, so the 411 page is rendered by the
    # server and shown in the same place (same origin: its stylesheet loads).
    refused = client.generic("POST", "/sign-in/", data=b"", HTTP_TRANSFER_ENCODING="chunked")
    assert refused.status_code == 411
    page.set_content(refused.content.decode())
    expect_heading(page, NO_LENGTH)
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


def test_limits_that_are_not_positive_byte_counts_or_paths_stop_the_site(settings):
    from portal.operations.body_limits import check_body_limits

    assert check_body_limits() == []
    settings.REQUEST_BODY_LIMIT_BYTES = 0
    settings.REQUEST_BODY_LIMITS_BY_PREFIX = {"documents/": 10, "/uploads/": "50MB"}
    problems = {(error.id, error.msg) for error in check_body_limits()}
    assert problems == {
        (
            "portal.E413",
            "REQUEST_BODY_LIMIT_BYTES must be a positive whole number of bytes, not 0.",
        ),
        (
            "portal.E413",
            "REQUEST_BODY_LIMITS_BY_PREFIX['/uploads/'] must be a positive whole number of "
            "bytes, not '50MB'.",
        ),
        (
            "portal.E414",
            "REQUEST_BODY_LIMITS_BY_PREFIX: 'documents/' must be a path starting with '/'.",
        ),
    }
