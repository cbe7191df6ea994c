"""Fixtures every test can use: a checking client, real SMTP on loopback, a real browser."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.support.database import allow_flushing_the_audit_table
from tests.support.html_checks import check_html_page
from tests.support.smtp import MailStore, SmtpServer
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.worker import Worker, worker_environment

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM
# calls from that thread (they are ordinary synchronous calls).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")

# Transactional tests end with a flush; see tests/support/database.py.
allow_flushing_the_audit_table()


class CheckedClient(Client):
    """Django's test client, checking every HTML page it receives (see html_checks)."""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith("text/html")
            and not getattr(response, "streaming", False)
            and response.status_code not in (204, 301, 302, 303, 304, 307, 308)
            and response.content
        ):
            check_html_page(response.content.decode(), request.get("PATH_INFO", "?"))
        return response


@pytest.fixture
def client() -> CheckedClient:
    return CheckedClient()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _mail_goes_to_loopback_smtp(settings: Any, smtp_server: SmtpServer) -> None:
    """Every test sends real mail to the loopback SMTP server, never to memory."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    smtp_server.store.clear()
    smtp_server.store.data_delay = 0.0


@pytest.fixture
def workers(transactional_db: Any, smtp_server: SmtpServer, tmp_path: Path) -> Iterator[Any]:
    """Starts real workers (`start(queues="*", **environment)`); every one still running is
    stopped before the database is emptied."""
    started: list[Worker] = []

    def start(queues: str = "*", **env: Any) -> Worker:
        worker = Worker(
            tmp_path / f"worker-{len(started)}.log",
            worker_environment(smtp_server.port, **env),
            queues,
        )
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    """A care-record system's webhook endpoint on loopback, recording what it is sent."""
    running = WebhookReceiver().start()
    yield running
    running.stop()


@pytest.fixture
def mail(smtp_server: SmtpServer) -> MailStore:
    """Mail delivered to the loopback SMTP server during this test."""
    return smtp_server.store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    marker = pytest.mark.skip(reason="NO BROWSER: /usr/bin/chromium is not installed")
    skipped = 0
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)
            skipped += 1
    if skipped:
        print(f"\n!!! {skipped} BROWSER TESTS WILL BE SKIPPED: /usr/bin/chromium is missing !!!\n")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
