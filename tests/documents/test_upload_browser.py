"""In a real browser, against the real worker and clamd: a statement of purpose attached to a
notification by keyboard alone, seen "being checked" and then "checked" (the page polls and
says so politely), sent, and downloaded by staff byte for byte; an EICAR file quarantined and
explained on the page; and the same upload with JavaScript off. Every state passes axe."""

import re
import time
from pathlib import Path

import pytest
from django.shortcuts import redirect
from django.urls import reverse

from portal.documents.models import Document, ScanState
from portal.forms import flow
from portal.notifications.models import Notification
from tests.documents.upload_helpers import EICAR, pdf, start_upload_page
from tests.notifications import conftest as notification_fixtures
from tests.support.browser import assert_accessible
from tests.support.browser import sign_in_with_session as sign_in
from tests.support.worker import wait_until

world = notification_fixtures.world  # the notification tests' small register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = pdf(b"Our revised aims and objectives", size=300_000)


def _tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                const label = element.labels && element.labels.length ? element.labels[0] : null;
                return (label && label.innerText) || element.innerText || element.value || "";
            }"""
        )
        if focused.strip().startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _scanning_worker(workers, clamd_socket: str, storage=None):
    environment = storage.environment if storage is not None else {}
    return workers(queues="scanning", CLAMD_ADDRESS=clamd_socket, **environment)


def _open_upload_page(page, live_server, world):
    """The manager's statement-of-purpose draft, open at its upload page."""
    upload = start_upload_page(world.manager, world.locations["Organisation"])
    sign_in(page, live_server, world.manager)
    page.goto(upload.url)
    return upload


def _choose(page, folder: Path, name: str, content: bytes) -> None:
    """Choosing the file is the operating system's dialog: set it on the input."""
    chosen = folder / name
    chosen.write_bytes(content)
    page.locator("input[type=file]").set_input_files(str(chosen))


def test_attach_a_statement_by_keyboard_see_it_checked_send_and_staff_download(
    document_storage,
    page,
    live_server,
    world,
    workers,
    clamd_socket,
    tmp_path: Path,
):
    _open_upload_page(page, live_server, world)
    assert_accessible(page)
    # Everything but the operating system's file dialog is the keyboard.
    _choose(page, tmp_path, "Statement of purpose 2026.pdf", STATEMENT)
    page.locator("input[type=file]").focus()
    _tab_to(page, "Upload file")
    # With script the file goes by XMLHttpRequest, so the page can show its progress.
    with page.expect_request(
        lambda request: request.method == "POST" and request.resource_type == "xhr"
    ):
        page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner")
    banner.wait_for()
    assert "has been uploaded" in banner.inner_text()
    rows = page.locator("[data-file-id]")
    assert rows.count() == 1
    assert "Being checked" in rows.first.inner_text()
    assert_accessible(page)

    # On local disk and on the S3-compatible server: the worker reads where the web wrote.
    _scanning_worker(workers, clamd_socket, document_storage)
    page.locator("[data-file-state=clean]").wait_for(timeout=30_000)
    assert "Checked" in page.locator("[data-file-id]").first.inner_text()
    announcer = page.locator("#portal-file-announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    assert "Statement of purpose 2026.pdf has been checked" in announcer.inner_text()
    assert_accessible(page)

    _tab_to(page, "Save and continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/check/$"))
    main = page.locator("main").inner_text()
    assert "Statement of purpose 2026.pdf" in main
    assert "Checked" in main
    assert_accessible(page)
    _tab_to(page, "I confirm")
    page.keyboard.press("Space")
    _tab_to(page, "Send notification")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sent/$"))
    notification = Notification.objects.get()

    sign_in(page, live_server, world.staff)
    page.goto(reverse("notifications_staff:detail", args=[notification.reference]))
    assert_accessible(page)
    link = page.get_by_role("link", name="Statement of purpose 2026.pdf")
    with page.expect_download() as downloading:
        link.click()
    saved = tmp_path / "downloaded.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes() == STATEMENT


def test_eicar_is_quarantined_and_explained_on_the_page(
    page,
    live_server,
    world,
    workers,
    clamd_socket,
    tmp_path: Path,
):
    _scanning_worker(workers, clamd_socket)
    _open_upload_page(page, live_server, world)
    _choose(page, tmp_path, "eicar.txt", EICAR)
    page.get_by_role("button", name="Upload file").click()
    page.locator("[data-file-state=infected]").wait_for(timeout=30_000)
    row = page.locator("[data-file-id]").first
    assert "Contains a virus – remove it" in row.inner_text()
    assert "eicar.txt contains a virus" in page.locator("#portal-file-announcer").inner_text()
    assert_accessible(page)
    document = Document.objects.get()
    assert document.scan_state == ScanState.INFECTED
    assert document.quarantined
    # Continuing says what to do; removing it clears the way.
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert (
        "‘eicar.txt’ contains a virus. Remove it from this page"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_role("button", name="Remove eicar.txt").click()
    page.wait_for_load_state()
    assert "‘eicar.txt’ has been removed." in page.locator("main").inner_text()
    assert page.locator("[data-file-id]").count() == 0


def test_uploading_works_without_javascript(
    browser,
    live_server,
    world,
    workers,
    clamd_socket,
    tmp_path: Path,
):
    upload = start_upload_page(world.manager, world.locations["Organisation"])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, world.manager)
        page.goto(upload.url)
        _choose(page, tmp_path, "statement.pdf", STATEMENT)
        page.get_by_role("button", name="Upload file").click()
        page.wait_for_load_state()
        assert page.url.endswith(upload.url)
        assert "Being checked" in page.locator("[data-file-id]").first.inner_text()
        _scanning_worker(workers, clamd_socket)
        wait_until(
            lambda: Document.objects.filter(scan_state=ScanState.CLEAN).exists(),
            what="the scan",
        )
        page.reload()
        assert "Checked" in page.locator("[data-file-id]").first.inner_text()
        page.get_by_role("button", name="Remove statement.pdf").click()
        page.wait_for_load_state()
        assert page.locator("[data-file-id]").count() == 0
    finally:
        context.close()


def test_the_check_poll_waits_while_a_file_is_being_sent(
    page, live_server, world, monkeypatch, tmp_path: Path
):
    """With one file being checked the page polls; a second file's upload, answered slowly,
    must not be shown by a poll before its own answer replaces the page (a next file chosen
    on the page in between would be lost)."""
    _open_upload_page(page, live_server, world)
    _choose(page, tmp_path, "first.pdf", STATEMENT)
    page.get_by_role("button", name="Upload file").click()
    page.locator("[data-file-name='first.pdf']").wait_for()  # being checked: the page polls
    page.evaluate(
        """() => {
            window.shownWhileSending = false;
            new MutationObserver(() => {
                const sending = document.querySelector("form[data-upload-form] button[disabled]");
                if (sending && document.querySelector("[data-file-name='second.pdf']")) {
                    window.shownWhileSending = true;
                }
            }).observe(document.body, { subtree: true, childList: true });
        }"""
    )

    def answer_slowly(*args, **kwargs):
        # Stored and committed, the upload's answer leaves the server after two polls.
        time.sleep(6)
        return redirect(*args, **kwargs)

    monkeypatch.setattr(flow, "redirect", answer_slowly)  # the live server's thread too
    _choose(page, tmp_path, "second.pdf", STATEMENT)
    page.get_by_role("button", name="Upload file").click()
    page.locator("[data-file-name='second.pdf']").wait_for(timeout=20_000)
    assert page.locator("[data-file-id]").count() == 2
    assert page.evaluate("() => window.shownWhileSending") is False
    assert not page.locator("form[data-upload-form] [disabled]").count()
