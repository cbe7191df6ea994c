"""Addresses outside Latin-1 through a real WSGI server (gunicorn): sign-up and password
reset keep working, and no cookie carries what the person typed."""

from typing import Any

import pytest

from portal.emails.models import OutboxMessage
from tests.accounts.gunicorn_server import Browser, GunicornServer

pytestmark = pytest.mark.django_db(transaction=True)

# Cyrillic domain (an internationalised domain) and a long s, neither of them Latin-1.
ADDRESSES = ["anna@пример.рф", "uſer@example.com"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any, smtp_server: Any, django_db_setup: Any) -> Any:
    running = GunicornServer(tmp_path_factory.mktemp("gunicorn") / "log", smtp_server.port).start()
    yield running
    running.stop()


@pytest.mark.parametrize("path", ["/sign-up/", "/password-reset/"])
@pytest.mark.parametrize("typed", ADDRESSES)
def test_non_latin_1_address_is_not_a_server_error(server: Any, path: str, typed: str) -> None:
    browser = Browser(server)
    response = browser.submit(path, {"email": typed})
    assert response.status in (302, 303), (response.status, server.log()[-3000:])
    for name, value in browser.cookies.items():
        assert value.isascii(), name
        assert typed.split("@")[0] not in value, name

    # The next page shows the address in its stored (normalised) form.
    check = browser.request("GET", response.headers["Location"])
    assert check.status == 200, server.log()[-3000:]
    stored = OutboxMessage.objects.order_by("-created_at").first()
    assert stored is not None
    assert stored.to.isascii()
    assert stored.to.encode() in check.body  # type: ignore[attr-defined]
