"""The certificate of registration: a page and a tagged PDF made from the same template,
listing provider, nominated individual, managers, locations, activities and conditions."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from portal.frontend import pdf
from portal.register.certificates import certificate_for
from portal.register.models import Provider
from portal.register.registration_changes import (
    NamedPerson,
    NewCondition,
    RegisterDecision,
    cancel_provider_registration,
    remove_location,
)
from tests.applications import helpers
from tests.applications.register_effects_helpers import (
    named_location,
    person,
    process_all_changes,
    registered,
)
from tests.factories import accounts as f
from tests.support.browser import assert_accessible, assert_reflows, sign_in_with_session

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "O'Brien & Sons <x>"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def signed_in(email: str) -> Client:
    return helpers.signed_in(f.make_user(person=person(email)))


@pytest.fixture
def provider() -> Provider:
    outcome = registered(
        name=HOSTILE_NAME,
        nominated_individual=NamedPerson("Nora", "O'Neil <b>", "nora@example.com"),
        conditions=(
            NewCondition("Accommodate no more than 12 people", location="first"),
            NewCondition("Complete medicines training by March", manager_email="mo@example.com"),
            NewCondition("Report quarterly on staffing & <agency> use"),
        ),
    )
    process_all_changes()
    return outcome.provider


def test_the_certificate_pdf_is_tagged_and_says_everything_literally(provider):
    certificate = certificate_for(provider.id)
    assert certificate is not None
    data = pdf.render_pdf("register/certificate.html", {"certificate": certificate})
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        HOSTILE_NAME,
        provider.id,
        "Nora O'Neil <b>",
        "Mo Manager",
        "Bea Both",
        "Mill House",
        "Brook Lodge",
        "Personal care",
        "Accommodation for persons who require nursing or personal care",
        "Accommodate no more than 12 people",
        "Complete medicines training by March",
        "Report quarterly on staffing & <agency> use",
    ):
        assert expected in " ".join(text.split()), expected
    assert "&amp;" not in text
    assert "&lt;" not in text
    reader = PdfReader(io.BytesIO(data))
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata is not None
    assert HOSTILE_NAME in str(reader.metadata.title)


def test_a_document_fetches_nothing_whatever_its_text_says(tmp_path, settings):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not include")
    html = (
        f'<html lang="en"><title>T</title><img src="file://{secret}">'
        f'<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>ok</p></html>'
    )
    from weasyprint import HTML  # type: ignore[import-untyped]

    data = HTML(string=html, url_fetcher=pdf.fetch_nothing(), base_url="about:blank").write_pdf(
        pdf_variant=pdf.PDF_VARIANT
    )
    assert "do not include" not in pdf_text(data)
    assert "ok" in pdf_text(data)


def test_the_nominated_individual_sees_conditions_and_downloads_the_certificate(provider):
    client = signed_in("nora@example.com")
    page = client.get(reverse("register:your_registration")).content.decode()
    assert "Accommodate no more than 12 people" in page
    assert "On the registration of Mo Manager, registered manager" in page
    assert reverse("register:certificate", args=[provider.id]) in page
    certificate_page = client.get(reverse("register:certificate", args=[provider.id]))
    assert certificate_page.status_code == 200
    html = certificate_page.content.decode()
    assert "O&#39;Brien &amp; Sons &lt;x&gt;" in html
    assert "Report quarterly on staffing &amp; &lt;agency&gt; use" in html
    download = client.get(reverse("register:certificate_pdf", args=[provider.id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="certificate-of-registration-{provider.id}.pdf"'
    )
    assert HOSTILE_NAME in pdf_text(download.content)


def test_a_manager_sees_only_the_conditions_of_what_they_manage(provider):
    brook_only = registered(name="Other provider", conditions=()).provider
    assert brook_only
    client = signed_in("bea@example.com")  # manages both locations, no conditions of her own
    page = client.get(reverse("register:your_registration")).content.decode()
    assert "Accommodate no more than 12 people" in page  # at her location
    assert "Report quarterly" in page  # on the provider
    assert "Complete medicines training" not in page  # Mo's own registration


def test_no_certificate_for_strangers_or_a_cancelled_registration(provider, client):
    stranger = helpers.signed_in(f.make_user())
    for name in ("register:certificate", "register:certificate_pdf"):
        url = reverse(name, args=[provider.id])
        assert client.get(url).status_code == 302  # sign in first
        assert stranger.get(url).status_code == 404
        assert stranger.get(reverse(name, args=["..%2F..%2Fetc"])).status_code == 404
        assert stranger.get(reverse(name, args=["1-1' OR '1'='1"])).status_code == 404
    nora = signed_in("nora@example.com")
    mill = named_location(provider, "Mill House")
    remove_location(
        provider=provider,
        location_id=mill.id,
        decision=RegisterDecision(actor=None, reference="APP-2"),
    )
    text = pdf_text(nora.get(reverse("register:certificate_pdf", args=[provider.id])).content)
    assert "Mill House" not in text
    assert "Accommodate no more than 12 people" not in text
    cancel_provider_registration(
        provider=provider, decision=RegisterDecision(actor=None, reference="APP-3")
    )
    # Her roles ended with the registration: no access, and no certificate to give.
    assert nora.get(reverse("register:certificate", args=[provider.id])).status_code == 404
    staff = helpers.signed_in(f.staff_member())
    page = staff.get(reverse("register:staff_certificate", args=[provider.id]))
    assert page.status_code == 404
    assert "There is no current certificate of registration" in page.content.decode()
    assert (
        staff.get(reverse("register:staff_certificate_pdf", args=[provider.id])).status_code == 404
    )
    assert nora.get(reverse("register:certificate_pdf", args=[provider.id])).status_code == 404


def test_staff_open_any_provider_certificate(provider):
    staff = helpers.signed_in(f.staff_member())
    assert staff.get(reverse("register:staff_certificate", args=[provider.id])).status_code == 200
    download = staff.get(reverse("register:staff_certificate_pdf", args=[provider.id]))
    assert HOSTILE_NAME in pdf_text(download.content)
    provider_page = staff.get(reverse("register:provider", args=[provider.id])).content.decode()
    assert reverse("register:staff_certificate", args=[provider.id]) in provider_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_certificate_page_is_accessible_and_reflows(page, live_server, provider):
    sign_in_with_session(page, live_server, f.make_user(person=person("nora@example.com")))
    page.goto(reverse("register:your_registration"))
    assert_accessible(page)
    page.get_by_role("link", name=f"Certificate of registration for {HOSTILE_NAME}").click()
    assert page.locator("h1").inner_text().startswith("Certificate of registration")
    assert_accessible(page)
    assert_reflows(page)
    # Printed, the page is the certificate alone.
    page.emulate_media(media="print")
    assert not page.locator(".govuk-header").is_visible()
    assert not page.locator(".portal-document-actions").is_visible()
    assert page.locator(".portal-document").is_visible()


def test_the_demo_conditions_are_added_once():
    from portal.demo.registration import add_demo_conditions

    provider = registered(conditions=()).provider
    assert add_demo_conditions(provider) == 2
    assert add_demo_conditions(provider) == 0
    certificate = certificate_for(provider.id)
    assert certificate is not None
    assert len(certificate.provider_conditions) == 1
    assert sum(len(entry.conditions) for entry in certificate.locations) == 1
