"""The certificate PDF's route names the register state by the versions of the rows the
certificate is read from (certificates.certificate_state), without reading the certificate:
every change to any of those rows names a new state, and a download of a state this process
has seen before reads no certificate yet never serves an older one."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from portal.frontend.pdf import render_document_html
from portal.register import certificate_files, certificate_jobs
from portal.register.certificates import Certificate, certificate_for, certificate_state
from portal.register.models import (
    Location,
    Person,
    Provider,
    RegulatedActivity,
    RoleAssignment,
    RoleType,
)
from portal.register.registration_changes import (
    NewCondition,
    RegisterDecision,
    cancel_provider_registration,
)
from tests.applications.register_effects_helpers import (
    named_location,
    person,
    process_all_changes,
    registered,
)
from tests.register.test_certificate_files import (
    change_what_the_certificate_shows,
    html_key,
    nora,
    own_storage,  # noqa: F401 - an autouse fixture: each test's certificates in a folder of its own
    pdf_text,
    pdf_url,
    run_waiting_jobs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider() -> Provider:
    outcome = registered(conditions=(NewCondition("Accommodate no more than 12 people"),))
    process_all_changes()
    return outcome.provider


@pytest.fixture
def row_versions() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row versions are PostgreSQL's; elsewhere each download draws the HTML")


def test_the_state_is_read_with_the_certificate(provider, row_versions):
    state = certificate_state(provider.id)
    found = certificate_for(provider.id)
    assert state is not None
    assert found is not None
    assert state.provider == found.provider
    assert state.provider.display_name == found.provider.display_name
    assert state.locations == len(found.locations) == 2
    assert state.digest == found.state_digest != ""
    assert certificate_state(provider.id) == state  # nothing changed: the same state
    cancel_provider_registration(
        provider=provider, decision=RegisterDecision(actor=None, reference="APP-3")
    )
    assert certificate_state(provider.id) is None  # as certificate_for: no certificate


def test_every_change_to_a_row_the_certificate_reads_names_a_new_state(provider, row_versions):
    """Plain updates as well as services, to every table the certificate reads, and the
    day (a role ending): each names a state never named before, and the key kept for a
    state is always the digest of the HTML drawn now."""
    states: set[str] = set()
    keys: set[str] = set()

    def changed(shown: str = "", *, same_file: bool = False) -> None:
        state = certificate_state(provider.id)
        found = certificate_for(provider.id)
        assert state is not None
        assert found is not None
        assert state.digest == found.state_digest
        assert state.digest not in states
        states.add(state.digest)
        key = certificate_files.state_key(found)
        assert key == html_key(found)
        assert (key in keys) is same_file  # a certificate that reads differently: another file
        keys.add(key)
        assert shown in render_document_html(certificate_files.TEMPLATE, {"certificate": found})

    mill = named_location(provider, "Mill House")
    change_what_the_certificate_shows(provider, mill, changed)
    Location.objects.filter(pk=mill.pk).update(address_line_1="2 New Road")  # the same value
    changed(same_file=True)  # a write that changes nothing shown
    Person.objects.filter(pk=person("mo@example.com").pk).update(family_name="Mannering")
    changed("Mannering")
    first_activity = mill.activities.order_by("code").first()
    assert first_activity is not None
    RegulatedActivity.objects.filter(pk=first_activity.pk).update(name="Renamed activity")
    changed("Renamed activity")
    mill.activities.remove(first_activity)
    changed()
    # A role that ends tomorrow: tomorrow's certificate is another state, without a write.
    today = timezone.localdate()
    RoleAssignment.objects.filter(
        person=person("mo@example.com"), role=RoleType.REGISTERED_MANAGER
    ).update(end_date=today + dt.timedelta(days=1))
    changed(same_file=True)  # still the manager today
    tomorrow = certificate_state(provider.id, today + dt.timedelta(days=1))
    assert tomorrow is not None
    assert tomorrow.digest not in states


def test_a_download_of_a_state_seen_before_reads_no_certificate(
    provider, monkeypatch, row_versions
):
    run_waiting_jobs()
    certificate_files._KEYS_BY_STATE.clear()
    reads: list[str] = []
    real = certificate_jobs.certificate_for

    def counting(provider_id: str) -> Certificate | None:
        reads.append(provider_id)
        return real(provider_id)

    monkeypatch.setattr(certificate_jobs, "certificate_for", counting)
    client = nora()
    first = client.get(pdf_url(provider))
    assert first.status_code == 200
    assert reads == [provider.id]  # a state this process had not seen: read and drawn
    for _ in range(3):
        again = client.get(pdf_url(provider))
        assert again.content == first.content
        assert again["Content-Disposition"] == first["Content-Disposition"]
        assert provider.id in again["Content-Disposition"]
    assert reads == [provider.id]
    # A plain update: a new state, read again, and the new PDF made (a small provider).
    mill = named_location(provider, "Mill House")
    Location.objects.filter(pk=mill.pk).update(address_line_1="2 New Road")
    changed = client.get(pdf_url(provider))
    assert "2 New Road" in pdf_text(changed.content)
    assert reads == [provider.id, provider.id]


def test_a_large_providers_waiting_page_names_it_and_its_locations(provider, settings):
    settings.CERTIFICATE_SYNC_MAX_LOCATIONS = 1  # the provider's two locations make it large
    client = nora()
    for _ in range(2):  # the state unseen, then seen
        waiting = client.get(pdf_url(provider))
        assert waiting.status_code == 202
        page = waiting.content.decode()
        assert (
            "We are making the PDF of the certificate of registration for "
            "O&#39;Brien &amp; Sons &lt;Care&gt;. It lists 2 locations, so it takes a little while."
        ) in page
        assert (
            '<span class="govuk-visually-hidden"> for O&#39;Brien &amp; Sons &lt;Care&gt;</span>'
        ) in page


def test_without_row_versions_the_key_is_drawn_every_time(provider, monkeypatch):
    """Where the database keeps no row versions (SQLite, for development), the state has no
    digest: the PDF's key is the digest of the HTML drawn for each download, none kept."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    certificate_files._KEYS_BY_STATE.clear()
    state = certificate_state(provider.id)
    assert state is not None
    assert state.digest == ""
    assert state.locations == 2
    found = certificate_for(provider.id)
    assert found is not None
    assert found.state_digest == ""
    assert certificate_files.known_key(state.digest) is None
    assert certificate_files.state_key(found) == html_key(found)
    assert certificate_files._KEYS_BY_STATE == {}
