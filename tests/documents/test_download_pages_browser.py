"""The pages a download answers with when the file is not ready, in a real browser: axe finds
nothing, they reflow at 320 px, and a clean file arrives as a download, not a page."""

from functools import partial
from pathlib import Path

import pytest

from portal.documents import scanning
from tests.documents import samples
from tests.documents.conftest import upload_file
from tests.support.browser import assert_accessible, expect_heading
from tests.support.browser import sign_in_with_session as sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


upload = partial(upload_file, question="policies")


def test_not_ready_pages_explain_and_pass_axe(page, live_server, people, local_document_storage):
    pending = upload(people, "statement <img src=x onerror=alert(1)>.pdf", samples.pdf())
    infected = upload(people, "minutes.txt", samples.eicar_in_text())
    scanning.scan(str(infected.pk))
    sign_in(page, live_server, people.uploader)

    page.goto(f"{live_server.url}/documents/{pending.pk}/download/")
    expect_heading(page, "This file is still being checked")
    assert (
        "statement <img src=x onerror=alert(1)>.pdf" in page.locator("main").inner_text()
    )  # shown as text
    assert_accessible(page)

    page.goto(f"{live_server.url}/documents/{infected.pk}/download/")
    expect_heading(page, "This file contained a virus")
    assert "cannot be downloaded" in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_clean_file_downloads_with_its_cleaned_name(
    page, live_server, people, local_document_storage
):
    content = samples.pdf()
    document = upload(people, "../Statement\u202eof purpose.pdf", content)
    scanning.scan(str(document.pk))
    sign_in(page, live_server, people.uploader)
    page.goto(f"{live_server.url}/")  # a page of the site, to click a link from

    with page.expect_download() as started:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.click(); }",
            f"/documents/{document.pk}/download/",
        )
    download = started.value
    assert download.suggested_filename == "Statement of purpose.pdf"
    assert Path(download.path()).read_bytes() == content
