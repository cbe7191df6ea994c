"""Two browsers uploading to one draft at once: both files are kept and both are in the
answer (each upload rewrites the answer from the committed documents under the draft's lock),
and the count limit holds when more arrive together than it allows."""

from collections.abc import Callable

import pytest
from django.test import Client

from tests.documents.upload_helpers import pdf, start_upload_page
from tests.notifications import conftest as notification_fixtures
from tests.support.concurrency import run_together

world = notification_fixtures.world  # the notification tests' small register

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_browsers_uploading_at_once_both_count(world):
    page = start_upload_page(world.manager, world.locations["Organisation"])
    second = Client()
    second.force_login(world.manager)

    def upload(client: Client, name: str):
        return lambda: (
            client.post(
                page.upload_url,
                {
                    "revision": str(page.draft.revision),
                    "upload_file": "revised_statement_file",
                    "revised_statement_file": _file(name),
                },
            ).status_code
        )

    outcomes = run_together([upload(page.client, "first.pdf"), upload(second, "second.pdf")])
    assert outcomes == [302, 302]
    names = sorted(d.original_name for d in page.documents())
    assert names == ["first.pdf", "second.pdf"]
    assert sorted(page.answer()) == sorted(str(d.pk) for d in page.documents())


def test_more_uploads_at_once_than_the_limit_keep_to_it(world):
    page = start_upload_page(world.manager, world.locations["Organisation"])

    def upload(number: int) -> Callable[[], int]:
        client = Client()
        client.force_login(world.manager)
        data = {
            "revision": "1",
            "upload_file": "revised_statement_file",
            "revised_statement_file": _file(f"part {number}.pdf"),
        }
        return lambda: client.post(page.upload_url, data).status_code

    outcomes = run_together([upload(number) for number in range(7)])
    # Five stored; the two over the limit are told so on the page (200 with the error).
    assert sorted(outcomes) == [200, 200, 302, 302, 302, 302, 302]
    assert len(page.documents()) == 5
    assert sorted(page.answer()) == sorted(str(d.pk) for d in page.documents())


def _file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf())
