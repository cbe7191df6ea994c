"""The certificate PDF is made once per register state (in the worker for a large provider),
stored, and served from storage; a register change never lets the old file be served."""

import dataclasses
import datetime as dt
import hashlib
import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from portal.frontend.pdf import render_document_html
from portal.register import certificate_files, certificate_jobs
from portal.register.certificate_pages import CACHED_FROM_LOCATIONS
from portal.register.certificates import (
    Certificate,
    CertificateLocation,
    CertifiedPlace,
    certificate_for,
)
from portal.register.models import (
    CertificateJob,
    Condition,
    Location,
    Person,
    Provider,
    RegulatedActivity,
)
from portal.register.registration_changes import (
    NewCondition,
    RegisterDecision,
    cancel_provider_registration,
    impose_condition,
)
from tests.applications.register_effects_helpers import (
    named_location,
    person,
    process_all_changes,
    registered,
)
from tests.factories import accounts as f
from tests.factories.register import certificate_in_memory
from tests.support.browser import assert_accessible, expect_heading, use_session_of
from tests.support.compiled import assert_compiled_on_postgresql
from tests.support.concurrency import run_together

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(autouse=True)
def own_storage(settings: Any, tmp_path: Any) -> None:
    """Each test's certificates in a folder of its own (the "documents" storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The provider of every PDF rendered, counted where the stored file is made."""
    made: list[str] = []
    real = certificate_files.render_pdf

    def counting(template: str, context: dict[str, Any]) -> bytes:
        made.append(context["certificate"].provider.id)
        return real(template, context)

    monkeypatch.setattr(certificate_files, "render_pdf", counting)
    return made


@pytest.fixture
def provider() -> Provider:
    outcome = registered(conditions=(NewCondition("Accommodate no more than 12 people"),))
    process_all_changes()
    return outcome.provider


def run_waiting_jobs() -> list[str]:
    """What the worker does with every waiting certificate job, oldest first."""
    waiting = CertificateJob.objects.filter(done_at__isnull=True).order_by("requested_at")
    return [certificate_jobs.process_job(job_id) for job_id in waiting.values_list("id", flat=True)]


def nora() -> Client:
    """A client signed in as Nora, the nominated individual."""
    return signed_in_as_nora(1)[0]


def signed_in_as_nora(count: int) -> list[Client]:
    user = f.make_user(person=person("nora@example.com"))
    clients = [Client() for _ in range(count)]
    for client in clients:
        client.force_login(user)
    return clients


def stored_names(provider: Provider) -> list[str]:
    try:
        return storages["documents"].listdir(f"certificates/{provider.id}")[1]
    except FileNotFoundError:
        return []


def pdf_url(provider: Provider) -> str:
    return reverse("register:certificate_pdf", args=[provider.id])


def test_a_register_change_has_the_worker_make_the_certificate_once(provider, renders):
    job = CertificateJob.objects.get(provider=provider)  # written with the registration
    assert job.done_at is None
    assert DBTaskResult.objects.filter(
        task_path=certificate_jobs.make_certificate_task.module_path, args_kwargs__args__0=job.pk
    ).exists()
    assert run_waiting_jobs() == ["made"]
    assert renders == [provider.id]
    assert len(stored_names(provider)) == 1
    assert certificate_jobs.process_job(job.pk) == "done or missing"  # idempotent
    client = nora()
    for _ in range(3):
        download = client.get(pdf_url(provider))
        assert download.status_code == 200
        assert "Accommodate no more than 12 people" in pdf_text(download.content)
    assert renders == [provider.id]  # served from storage, never rendered again


def test_after_a_register_change_the_old_certificate_is_never_served(provider, renders):
    run_waiting_jobs()
    client = nora()
    assert "Staff training" not in pdf_text(client.get(pdf_url(provider)).content)
    impose_condition(
        provider=provider,
        condition=NewCondition("Staff training report each month"),
        decision=RegisterDecision(actor=None, reference="APP-9"),
    )
    # Before the worker has run: the new state is rendered in the request (a small provider).
    assert "Staff training report each month" in pdf_text(client.get(pdf_url(provider)).content)
    assert run_waiting_jobs() == ["made"]  # finds it stored: no second render
    assert renders == [provider.id, provider.id]
    assert len(stored_names(provider)) == 1  # the old state's file is gone


def test_a_large_provider_waits_for_the_worker_and_never_gets_the_old_file(
    provider, renders, settings
):
    settings.CERTIFICATE_SYNC_MAX_LOCATIONS = 1  # the provider's two locations make it large
    run_waiting_jobs()
    client = nora()
    assert client.get(pdf_url(provider)).status_code == 200
    impose_condition(
        provider=provider,
        condition=NewCondition("Staff training report each month"),
        decision=RegisterDecision(actor=None, reference="APP-9"),
    )
    for _ in range(3):  # pressing again asks for nothing more
        waiting = client.get(pdf_url(provider))
        assert waiting.status_code == 202
        assert waiting["Content-Type"].startswith("text/html")
        assert waiting["Retry-After"] == "30"
        page = waiting.content.decode()
        assert "Your certificate is being prepared" in page
        assert pdf_url(provider) in page
    assert CertificateJob.objects.filter(provider=provider, done_at__isnull=True).count() == 1
    assert run_waiting_jobs() == ["made"]
    assert renders == [provider.id, provider.id]
    download = client.get(pdf_url(provider))
    assert download["Content-Type"] == "application/pdf"
    assert "Staff training report each month" in pdf_text(download.content)


def test_a_failed_job_is_kept_and_the_sweeper_tries_it_again(provider, monkeypatch):
    def broken(template: str, context: dict[str, Any]) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(certificate_files, "render_pdf", broken)
    job = CertificateJob.objects.get(provider=provider)
    assert certificate_jobs.process_job(job.pk) == "retry"
    job.refresh_from_db()
    assert job.done_at is None
    assert job.attempts == 1
    assert job.last_error == "OSError: disk full"
    assert job.next_attempt_at > timezone.now()
    assert certificate_jobs.replay_due_jobs() == 0  # not due yet
    CertificateJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert certificate_jobs.replay_due_jobs() == 0  # its task is still waiting
    DBTaskResult.objects.all().delete()  # the task was lost
    assert certificate_jobs.replay_due_jobs() == 1
    monkeypatch.undo()
    assert run_waiting_jobs() == ["made"]
    assert len(stored_names(provider)) == 1


def test_a_cancelled_registration_loses_its_stored_certificate(provider):
    run_waiting_jobs()
    assert len(stored_names(provider)) == 1
    cancel_provider_registration(
        provider=provider, decision=RegisterDecision(actor=None, reference="APP-3")
    )
    assert run_waiting_jobs() == ["made"]
    assert stored_names(provider) == []


def test_the_key_names_the_register_state_not_the_day(provider):
    found = certificate_for(provider.id)
    assert found is not None
    key = certificate_files.state_key(found)
    assert key.startswith(f"certificates/{provider.id}/")
    assert key.endswith(".pdf")
    found.issued_on = found.issued_on.replace(year=found.issued_on.year + 1)
    assert certificate_files.state_key(found) == key
    found.provider_conditions = []
    found.state_digest = ""  # changed after it was read: no longer the rows' certificate
    assert certificate_files.state_key(found) != key


def html_key(certificate: Certificate) -> str:
    """The key digested from the HTML drawn now, as state_key found it before it kept keys."""
    undated = dataclasses.replace(certificate, issued_on=dt.date.min)
    html = render_document_html(
        certificate_files.TEMPLATE, {"certificate": undated, "generated_at": None}
    )
    return f"certificates/{certificate.provider.id}/{hashlib.sha256(html.encode()).hexdigest()}.pdf"


def test_a_state_seen_before_is_keyed_without_drawing_its_html(provider, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("states are named by PostgreSQL's row versions; elsewhere keys are drawn")
    drawn: list[str] = []
    real = certificate_files.render_document_html

    def counting(template: str, context: dict[str, Any]) -> str:
        drawn.append(template)
        return real(template, context)

    monkeypatch.setattr(certificate_files, "render_document_html", counting)
    certificate_files._KEYS_BY_STATE.clear()
    found, again = certificate_for(provider.id), certificate_for(provider.id)
    assert found is not None
    assert again is not None
    assert found.state_digest == again.state_digest != ""
    assert certificate_files.state_key(found) == html_key(found)
    assert len(drawn) == 1
    assert certificate_files.state_key(again) == html_key(found)
    assert len(drawn) == 1  # the same rows: the key kept, nothing drawn


def change_what_the_certificate_shows(
    provider: Provider, mill: Location, changed: Callable[[str], None]
) -> None:
    """Change the register, by a service and by plain updates, in ways the certificate shows,
    calling `changed` with what it should now show after each (also used by
    test_certificate_state.py)."""
    changed("Accommodate no more than 12 people")
    impose_condition(
        provider=provider,
        condition=NewCondition("Staff training report each month"),
        decision=RegisterDecision(actor=None, reference="APP-9"),
    )
    changed("Staff training report each month")
    Condition.objects.filter(text="Staff training report each month").update(
        text="Staff training report each week"
    )
    changed("Staff training report each week")
    Provider.objects.filter(pk=provider.pk).update(name="Renamed & Co")
    changed("Renamed &amp; Co")
    Provider.objects.filter(pk=provider.pk).update(postal_code="OL9 9ZZ")
    changed("OL9 9ZZ")
    provider.activities.remove(*provider.activities.all()[:1])
    changed("Regulated activities")
    Location.objects.filter(pk=mill.pk).update(address_line_1="2 New Road")
    changed("2 New Road")
    Person.objects.filter(pk=person("nora@example.com").pk).update(given_name="Norah")
    changed("Norah")


def test_every_change_the_certificate_shows_gives_another_key(provider):
    """However the register changes (a service or a plain update), a certificate that reads
    differently has another state digest and another key, and the key is always the digest
    of the HTML drawn now."""
    mill = named_location(provider, "Mill House")
    states: set[str] = set()
    keys: set[str] = set()

    def changed(shown: str) -> None:
        found = certificate_for(provider.id)
        assert found is not None
        key = certificate_files.state_key(found)
        assert key == html_key(found)
        if connection.vendor == "postgresql":  # elsewhere no state is named (no row versions)
            assert found.state_digest not in states
            states.add(found.state_digest)
        assert key not in keys
        keys.add(key)
        assert shown in render_document_html(certificate_files.TEMPLATE, {"certificate": found})

    change_what_the_certificate_shows(provider, mill, changed)


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_render_once(provider, renders, monkeypatch):
    CertificateJob.objects.all().delete()  # nothing made beforehand: both find no file
    counting = certificate_files.render_pdf

    def slow(template: str, context: dict[str, Any]) -> bytes:
        time.sleep(1)  # long enough for the other request to arrive meanwhile
        return counting(template, context)

    monkeypatch.setattr(certificate_files, "render_pdf", slow)

    def downloader(client: Client) -> Callable[[], bytes]:
        def download() -> bytes:
            response = client.get(pdf_url(provider))
            assert response.status_code == 200
            return response.content

        return download

    first, second = run_together([downloader(client) for client in signed_in_as_nora(2)])
    assert isinstance(first, bytes), first  # not an exception the request raised
    assert first == second
    assert renders == [provider.id]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_being_prepared_page_is_accessible(page, live_server, provider, settings):
    settings.CERTIFICATE_SYNC_MAX_LOCATIONS = 0
    use_session_of(page, live_server, nora())
    page.goto(pdf_url(provider))
    expect_heading(page, "Your certificate is being prepared")
    assert_accessible(page)
    page.get_by_role("link", name="read the certificate as a web page").click()
    assert page.locator("h1").inner_text().startswith("Certificate of registration")


def _large_certificate(size: int) -> Certificate:
    """A certificate of `size` locations, in memory (only rendered, never saved)."""
    care = RegulatedActivity(code="RA1", name="Personal care")
    places = [
        CertificateLocation(
            CertifiedPlace(f"1-{n:09d}", f"Home {n}", [f"{n} Mill Lane", "York"]),
            [care],
            [Person(id=n, given_name="Mo", family_name=f"Manager {n}")] if n % 3 else [],
        )
        for n in range(size)
    ]
    return certificate_in_memory(
        Provider(id="1-000000042", name="Big Group"), places, activities=[care]
    )


def test_a_large_providers_key_is_the_digest_of_its_whole_html():
    # The key reuses the web page's drawn locations table; it must name the same HTML the
    # template draws by itself, or a stored PDF would never be found again.
    found = _large_certificate(CACHED_FROM_LOCATIONS + 5)
    undated = dataclasses.replace(found, issued_on=dt.date.min)
    html = render_document_html(
        certificate_files.TEMPLATE, {"certificate": undated, "generated_at": None}
    )
    expected = hashlib.sha256(html.encode()).hexdigest()
    assert certificate_files.state_key(found).endswith(f"/{expected}.pdf")
    assert certificate_files.state_key(found).endswith(f"/{expected}.pdf")  # from the cache
    found.locations[1].managers = []
    assert not certificate_files.state_key(found).endswith(f"/{expected}.pdf")


def test_the_waiting_job_is_the_orms(provider):
    """The compiled read of the job a download reuses finds what the ORM finds."""
    other = registered(name="Second Care", companies_house_number="07654321").provider

    def compare() -> None:
        for which in (provider, other):
            by_orm = list(certificate_jobs._waiting(which.pk))
            found = certificate_jobs.waiting_job(which.pk)
            assert [found] == by_orm if by_orm else found is None
            if found is not None:
                assert (found.provider_id, found.attempts, found.done_at) == (which.pk, 0, None)

    compare()  # each has the job its registration wrote
    assert certificate_jobs.waiting_job(other.pk) is not None
    first = certificate_jobs.waiting_job(provider.pk)
    assert certificate_jobs.request_certificate(provider=provider) == first  # reused
    certificate_jobs.request_certificate(provider=provider, reuse_waiting=False)
    compare()  # two waiting: the first
    assert certificate_jobs.waiting_job(provider.pk) == first
    CertificateJob.objects.filter(provider=provider).update(attempts=1)
    compare()  # tried: none waiting
    assert certificate_jobs.waiting_job(provider.pk) is None
    CertificateJob.objects.filter(provider=other).update(done_at=timezone.now())
    compare()
    assert certificate_jobs.waiting_job(other.pk) is None
    assert certificate_jobs.request_certificate(provider=other) != first  # a new one
    compare()
    assert_compiled_on_postgresql(certificate_jobs._WAITING)
