"""The outbox's rendering and the development-only mail viewer."""

import uuid

import pytest

from portal.emails.models import OutboxMessage
from portal.emails.services import deliver, queue_email
from tests.support.html import Page
from tests.support.test_site.fixture import use_test_site


@pytest.fixture
def site(settings):
    use_test_site(settings)


@pytest.mark.django_db
def test_subject_comes_from_the_template_first_line(site, mail):
    message = queue_email(to="a@care.example", template="test_notice", context={"number": 3})
    assert message.subject == "Test notice 3 from Provider Portal"
    assert message.body.startswith("Hello ,")  # the template's own text, subject line removed
    deliver(str(message.id))
    (received,) = mail.wait_for("a@care.example")
    assert received.subject == message.subject


@pytest.mark.django_db
def test_mail_viewer_escapes_what_it_shows(client, site, mail):
    hostile = '<script>alert("x")</script>'
    message = queue_email(
        to="a@care.example", template="test_notice", context={"number": hostile, "name": hostile}
    )
    # The email is text: it holds the markup as written, so only the viewer can escape it.
    assert hostile in message.subject
    assert hostile in message.body
    escaped = b"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    listing = client.get("/dev/emails/")
    assert hostile.encode() not in listing.content
    assert escaped in listing.content
    links = [a for a in Page(listing.content).all("a") if str(message.id) in (a.get("href") or "")]
    assert len(links) == 1
    detail = client.get(f"/dev/emails/{message.id}/")
    assert detail.status_code == 200
    assert hostile.encode() not in detail.content
    assert escaped in detail.content


@pytest.mark.django_db
def test_mail_viewer_is_not_found_unless_enabled(client, site, settings):
    settings.SHOW_SENT_EMAILS = False
    message = queue_email(to="a@care.example", template="test_notice", context={"number": 1})
    assert client.get("/dev/emails/").status_code == 404
    assert client.get(f"/dev/emails/{message.id}/").status_code == 404


@pytest.mark.django_db
def test_unknown_message_is_not_found(client, site):
    assert client.get(f"/dev/emails/{uuid.uuid4()}/").status_code == 404
    assert client.get("/dev/emails/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_sent_mail_bodies_are_not_kept_outside_development(site, settings, mail):
    settings.SHOW_SENT_EMAILS = False
    message = queue_email(to="a@care.example", template="test_notice", context={"number": 1})
    assert deliver(str(message.id)) == "sent"
    assert OutboxMessage.objects.get(id=message.id).body == ""  # codes must not linger
    assert "This is test notice 1." in mail.wait_for("a@care.example")[0].body
