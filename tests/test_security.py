"""Security baseline: deploy checks, headers, cookies and caching (reference/security.md)."""

import os
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from portal.accounts.models import User
from tests.support.html import Page
from tests.support.processes import run_python
from tests.support.production import (
    production_environment,
    production_values,
    use_production_security,
)
from tests.support.test_site.fixture import use_test_site

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")


@pytest.fixture
def production(settings, monkeypatch):
    use_test_site(settings)
    use_production_security(settings, monkeypatch, DATABASE_URL)


def test_check_deploy_reports_nothing_with_production_settings():
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        **production_environment(DATABASE_URL),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    }
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "DEBUG", env=env, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "CODE_HMAC_KEY", "DATABASE_URL", "ALLOWED_HOSTS"]
)
def test_production_refuses_to_start_without_its_secrets_and_hosts(monkeypatch, missing):
    with pytest.raises(ImproperlyConfigured, match=missing):
        production_values(monkeypatch, DATABASE_URL, unset=missing)


def test_production_security_settings(monkeypatch):
    values = production_values(monkeypatch, DATABASE_URL)
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SHOW_SENT_EMAILS"] is False
    assert values["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    # Importing production must not have switched the suite's own logging to JSON.
    assert django_settings.LOGGING["handlers"]["console"]["formatter"] == "text"


@pytest.mark.django_db
def test_hsts_on_https_responses_in_production(client, production):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"


@pytest.mark.django_db
def test_plain_http_is_redirected_except_the_health_check(client, production):
    response = client.get("/accessibility/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accessibility/"
    assert client.get("/healthz").status_code in (200, 503)  # answered, not redirected


@pytest.mark.django_db
def test_csp_has_a_fresh_script_nonce_that_the_inline_script_carries(client):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        policy = {
            name: value
            for name, _, value in (
                part.strip().partition(" ")
                for part in response["Content-Security-Policy"].split(";")
            )
        }
        assert policy["default-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=_-]+)'", policy["script-src"])
        assert nonce, policy["script-src"]
        scripts = Page(response.content).all("script")
        inline = [s for s in scripts if not s.get("src")]
        assert inline, "the layout's inline script is expected"
        assert all(s.get("nonce") == nonce[1] for s in inline)
        assert all(s.get("src").startswith("/static/") for s in scripts if s.get("src"))
        nonces.append(nonce[1])
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_standard_security_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    # Passkeys must stay allowed for the site itself.
    assert not any(name.startswith("publickey-credentials") for name in features)


@pytest.mark.django_db
def test_error_pages_carry_the_security_headers_too(client, settings):
    use_test_site(settings)
    response = client.post(
        "/test-only/post/", data=b"x=%FF", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "nonce-" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_production_cookies_are_host_prefixed_and_secure(client, production):
    # A form page sets the CSRF cookie; starting a session (as signing in does) the other.
    csrf = client.get("/test-only/every-field/", secure=True).cookies["__Host-csrftoken"]
    session = client.get("/test-only/remember/", secure=True).cookies["__Host-session"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert not cookie["domain"]  # __Host- cookies must not name a domain
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored_but_public_pages_may_be(client, settings):
    use_test_site(settings)
    public = client.get("/accessibility/")
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(User.objects.create_user("manager@care.example", "x" * 12))
    for path in ("/test-only/signed-in/", "/accessibility/"):
        response = client.get(path)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, path
