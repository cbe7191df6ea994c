"""Production, for real: static files collected by production's storage, gunicorn started with
deploy/gunicorn.conf.py and production settings (fresh secrets, the test database), every
public page and a signed-in journey loaded through it as the TLS-terminating load balancer
would send them, with every static file each page asks for."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import get_resolver
from django_otp.oath import TOTP

from portal.access import PUBLIC, declared_access
from portal.accounts.models import User
from tests.factories.accounts import give_authenticator
from tests.factories.register import give_role, make_location, make_person, make_provider
from tests.support.production_server import (
    HOST,
    LoadBalancerClient,
    Response,
    Server,
    assert_static_answers,
    csrf_token,
    gunicorn,
    production_node_environment,
    static_urls_in_page,
    var_dir_with_collected_static,
)
from tests.support.url_access import walk
from tests.support.worker import current_test_database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "quartz lantern meadow violet"
TOTP_KEY = "5151525253535454555556565757585859595a5a"
# Production must not show the mail it sent (the development viewer), nor have the demo
# webhook endpoint's receiver.
NOT_IN_PRODUCTION = {"dev/emails/", "dev/webhook-receiver/"}
# Not pages: the health check and the API's schema answer JSON (checked below); nginx shows the
# 413 page for a body over its cap (tests/test_production_proxy.py).
NOT_PAGES = {"healthz", "request-too-large/", "api/v1/openapi.json"}


def public_pages() -> list[str]:
    """Every public URL without parameters, from the URLconf (so new pages are covered)."""
    routes = [
        route
        for route, view in walk(get_resolver())
        if declared_access(view) == PUBLIC
        or declared_access(getattr(view, "view_class", None) or view) == PUBLIC
    ]
    return sorted(
        {"/" + route for route in routes if "<" not in route}
        - {"/" + r for r in NOT_IN_PRODUCTION | NOT_PAGES}
    )


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any) -> Iterator[Server]:
    env = production_node_environment(var_dir_with_collected_static(), current_test_database_url())
    with gunicorn(env, tmp_path_factory.mktemp("logs") / "gunicorn.log") as server:
        yield server


def assert_production_headers(response: Response, path: str) -> None:
    assert response.header("Strict-Transport-Security") == (
        "max-age=63072000; includeSubDomains; preload"
    ), path
    csp = response.header("Content-Security-Policy")
    assert "default-src 'none'" in csp, (path, csp)
    assert "'nonce-" in csp, (path, csp)
    assert response.header("X-Content-Type-Options") == "nosniff", path
    assert response.header("X-Frame-Options") == "DENY", path
    assert response.header("Referrer-Policy") == "same-origin", path
    assert response.header("Cross-Origin-Opener-Policy") == "same-origin", path
    assert "camera=()" in response.header("Permissions-Policy"), path
    assert response.header("X-Request-ID"), path
    for cookie in response.set_cookies():
        name = cookie.split("=", 1)[0]
        assert name.startswith("__Host-"), (path, cookie)
        attributes = cookie.lower()
        assert "; secure" in attributes, (path, cookie)
        assert "; path=/" in attributes, (path, cookie)
        assert "domain=" not in attributes, (path, cookie)
        assert "; httponly" in attributes, (path, cookie)


def load_page(client: LoadBalancerClient, path: str) -> tuple[Response, set[str]]:
    response = client.follow(client.get(path))
    assert response.status == 200, f"{path} answered {response.status}: {response.text[:3000]}"
    assert response.header("Content-Type").startswith("text/html"), path
    assert_production_headers(response, path)
    assets = static_urls_in_page(response.text)
    assert any(url.endswith(".css") for url in assets), f"{path} has no stylesheet"
    return response, assets


def test_every_public_page_answers_with_its_static_files_under_production_settings(node):
    pages = public_pages()
    assert {"/", "/sign-in/", "/sign-up/", "/accessibility/", "/cookies/"} <= set(pages)
    client = LoadBalancerClient(node.port)
    assets: set[str] = set()
    for path in pages:
        client.cookies.clear()
        assets |= load_page(client, path)[1]
    loaded = assert_static_answers(client, assets)
    # The manifest storage fingerprints what the layout links (cacheable for a year).
    stylesheet = next(url for url in loaded if url.startswith("/static/portal/portal."))
    assert stylesheet != "/static/portal/portal.css"
    assert "immutable" in client.get(stylesheet).header("Cache-Control")
    # What the stylesheet and scripts pull in answers too (the GOV.UK crest, the modules).
    assert any(url.startswith("/static/govuk/assets/images/") for url in loaded)
    assert any(url.startswith("/static/govuk/govuk-frontend") for url in loaded)

    schema = client.get("/api/v1/openapi.json")
    assert schema.status == 200
    assert schema.header("Content-Type") == "application/json"
    assert schema.header("Strict-Transport-Security").startswith("max-age=63072000")
    assert schema.header("X-Content-Type-Options") == "nosniff"
    assert client.get("/dev/emails/").status == 404
    assert client.get("/dev/webhook-receiver/").status == 404
    plain = LoadBalancerClient(node.port, forwarded_proto="").get("/accessibility/")
    assert plain.status == 301
    assert plain.header("Location") == f"https://{HOST}/accessibility/"
    health = LoadBalancerClient(node.port, forwarded_proto="").get("/healthz")
    assert health.status in (200, 503)  # answered over plain HTTP; 503 while no worker beats
    assert health.header("Content-Type") == "application/json"


def make_signed_up_manager(email: str) -> User:
    provider = make_provider("Harbour View Care")
    location = make_location(provider, "Harbour View House")
    person = make_person(email, "Priya", "Shah")
    give_role(person, provider=provider, location=location)
    user = User.objects.create_user(email, PASSWORD, person=person, full_name="Priya Shah")
    give_authenticator(user, TOTP_KEY)
    return user


def test_signing_in_with_password_and_authenticator_through_production(node, tmp_path: Path):
    email = "priya.shah@harbour-view.example"
    make_signed_up_manager(email)
    client = LoadBalancerClient(node.port)

    page, assets = load_page(client, "/sign-in/")
    assert "__Host-csrftoken" in client.cookies
    answer = client.post(
        "/sign-in/",
        {"csrfmiddlewaretoken": csrf_token(page.text), "email": email, "password": PASSWORD},
    )
    assert answer.status == 302, answer.text[:3000]
    assert answer.header("Location") == "/sign-in/authenticator/"
    assert "__Host-session" in client.cookies

    page, more = load_page(client, "/sign-in/authenticator/")
    assets |= more
    code = f"{TOTP(bytes.fromhex(TOTP_KEY), step=30, t0=0, digits=6).token():06d}"
    answer = client.post(
        "/sign-in/authenticator/", {"csrfmiddlewaretoken": csrf_token(page.text), "code": code}
    )
    assert answer.status == 302, answer.text[:3000]
    assert answer.header("Location") == "/home/"  # signing in lands on the home page

    page, more = load_page(client, "/home/")
    assets |= more
    assert "Priya Shah" in page.text or email in page.text
    assert "no-store" in page.header("Cache-Control")
    assert "Harbour View House" in load_page(client, "/registration/")[0].text
    assert_static_answers(client, assets)

    answer = client.post("/sign-out/", {"csrfmiddlewaretoken": csrf_token(page.text)})
    assert answer.status == 302
    assert client.get("/account/").status == 302  # signed out: back to sign in
