"""Error pages and the development mail viewer in a real browser: accessible, keyboard
operable."""

import pytest

from portal.emails.models import OutboxMessage
from portal.emails.services import deliver, queue_email
from tests.support.browser import (
    assert_accessible,
    assert_keyboard_reaches_every_link,
    expect_heading,
)
from tests.support.test_site.fixture import use_test_site


def check(page, status, heading, response):
    assert response.status == status
    expect_heading(page, heading)
    assert "Traceback" not in page.content()
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_error_pages_are_accessible(page, settings):
    use_test_site(settings)
    check(page, 404, "Page not found", page.goto("/no/such/page/"))
    check(page, 400, "Sorry, there is a problem with what was sent", page.goto("/?q=%C0%AF"))
    check(
        page,
        403,
        "You do not have permission to see this page",
        page.goto("/test-only/forbidden/"),
    )
    check(page, 500, "Sorry, there is a problem with the service", page.goto("/test-only/boom/"))

    # A form sent after the browser lost its cookies: the CSRF page.
    page.goto("/test-only/every-field/")
    page.context.clear_cookies()
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    check(page, 403, "Sorry, the form you sent has expired", sent.value)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_development_mail_viewer_is_accessible(page, settings, mail):
    use_test_site(settings)
    page.goto("/dev/emails/")
    assert page.get_by_text("No emails have been sent yet.").is_visible()
    assert_accessible(page)

    message = queue_email(to="manager@care.example", template="test_notice", context={"number": 7})
    deliver(str(message.id))
    page.goto("/dev/emails/")
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    page.get_by_role("link", name="Test notice 7 from Provider Portal").click()
    expect_heading(page, "Test notice 7 from Provider Portal")
    assert "This is test notice 7." in page.locator(".portal-email-body").inner_text()
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)
    assert OutboxMessage.objects.get(id=message.id).status == "sent"
