"""The whole journey in a real browser: sign up (code read from the SMTP server), set up
TOTP, sign out, sign in again; axe and keyboard checks on every page; the timeout dialog."""

import pytest

from tests import factories as f
from tests.accounts.conftest import browser_sign_in, code_in, deliver_pending, totp_now
from tests.factories.register import give_role, make_person, person_with_several_roles
from tests.support.browser import (
    assert_accessible,
    authenticator_key,
    check_page,
    expect_heading,
)

EMAIL = "browser.manager@sunrise.example"
PASSWORD = "orchid tramline pebble"

# tests/staff/test_browser.py imports the key reader under its old name.


def assert_keyboard_reaches_every_control_of_a_radio_page(page, max_tabs: int = 200) -> None:
    """Like the shared helper, but a radio group is one Tab stop (arrow keys move within it,
    as browsers do), so each group counts as reached when any of its radios has focus."""
    targets = page.evaluate(
        """() => { const seen = new Set(); return Array.from(document.querySelectorAll(
              'a[href], button, input:not([type=hidden]), select, textarea'))
              .filter(el => el.offsetParent !== null || el.getClientRects().length)
              .map(el => el.type === 'radio' ? 'radio:' + el.name : 'el:' + (el.dataset.kb = Math.random()))
              .filter(key => !seen.has(key) && seen.add(key)); }"""
    )
    page.locator("body").focus()
    reached = set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "() => { const el = document.activeElement; if (!el) return null;"
            " return el.type === 'radio' ? 'radio:' + el.name : (el.dataset.kb ? 'el:' + el.dataset.kb : null); }"
        )
        if key:
            reached.add(key)
        if reached >= set(targets):
            break
    assert set(targets) <= reached, set(targets) - reached
    # Within the group, the arrow key reaches the other choice.
    page.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "refuse"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_up_set_up_totp_sign_out_and_in_again(page, mail):
    person_with_several_roles(EMAIL, "Priya", "Shah")

    page.goto("/")
    check_page(page, "Deal with the")
    page.get_by_role("button", name="Start now").click()
    check_page(page, "What is your email address?")
    page.get_by_label("What is your email address?").fill(EMAIL)
    page.get_by_role("button", name="Continue").click()

    check_page(page, "Check your email")
    deliver_pending()
    code = code_in(mail.wait_for(EMAIL)[-1].body)
    page.get_by_label("Enter the 6-digit code").fill(f"{code[:3]} {code[3:]}")
    page.get_by_role("button", name="Continue").click()

    check_page(page, "Create a password")
    page.get_by_label("Create a password").fill("password123")
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Create a password")  # error page, also accessible
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Show").click()  # show/hide works
    assert page.get_by_label("Create a password").get_attribute("type") == "text"
    page.get_by_role("button", name="Continue").click()

    check_page(page, "Set up an authenticator app")
    assert page.locator("svg[role=img]").count() == 1
    key = authenticator_key(page)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_now(key))
    page.get_by_role("button", name="Continue").click()

    check_page(page, "Save your recovery codes")
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("button", name="I have saved my recovery codes").click()

    check_page(page, "Account created")
    assert page.get_by_text("Registered manager").count() == 2
    assert page.get_by_text("Nominated individual").count() == 1
    page.get_by_role("button", name="Go to your account").click()
    check_page(page, "Your account")

    page.get_by_role("link", name="Sign out").click()
    check_page(page, "Sign out")
    page.get_by_role("button", name="Sign out").click()
    check_page(page, "You have signed out")

    page.get_by_role("link", name="Sign in again").click()
    check_page(page, "Sign in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Enter the 6-digit code from your authenticator app")
    # The set-up code's time step is spent; the app's next code (one step ahead) works.
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_now(key, 1))
    page.get_by_role("button", name="Sign in").click()
    check_page(page, "Home")  # signing in lands on the home page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_other_account_pages_are_accessible(page, mail, settings):
    """Every other page the journey does not pass through."""
    from tests.accounts.conftest import PASSWORD as ACCOUNT_PASSWORD
    from tests.accounts.conftest import make_account

    account = make_account("pages@example.org")
    for path, heading in [
        ("/sign-in/", "Sign in"),
        ("/password-reset/", "What is your email address?"),
        ("/signed-out/", "You have signed out"),
    ]:
        page.goto(path)
        check_page(page, heading)

    page.goto("/password-reset/")
    page.get_by_label("What is your email address?").fill(account.email)
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Check your email")
    page.get_by_label("Enter the 6-digit code").fill("12")
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Check your email")
    page.goto("/password-reset/new-code/")
    check_page(page, "Request a new code")

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.goto("/sign-in/recovery-code/")
    check_page(page, "Enter one of your recovery codes")
    page.goto("/sign-in/lost-second-factor/")
    check_page(page, "If you cannot use your authenticator app")
    page.goto("/sign-in/authenticator/")
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        totp_now(account.key)
    )
    page.get_by_role("button", name="Sign in").click()
    for path, heading in [
        ("/account/", "Your account"),
        ("/account/password/", "Change your password"),
        ("/account/recovery-codes/", "Get new recovery codes"),
        ("/account/confirm-it-is-you/", "Confirm it is you"),
        ("/account/sessions/", "Where you are signed in"),
        ("/account/passkeys/", "Passkeys"),
    ]:
        page.goto(path)
        check_page(page, heading)


def _sign_in_with_timeouts(page, settings, email: str, *, idle: int, warning: int) -> None:
    """A new account signed in through the pages, its session ending after `idle` seconds
    without activity and warned of `warning` seconds in."""
    from tests.accounts.conftest import make_account

    settings.SESSION_IDLE_SECONDS = idle
    settings.SESSION_WARNING_SECONDS = warning
    browser_sign_in(page, make_account(email))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_timeout_warning_dialog_is_accessible_and_extends_the_session(page, settings):
    _sign_in_with_timeouts(page, settings, "timeout@example.org", idle=40, warning=37)
    expect_heading(page, "Home")

    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    dialog.wait_for(state="visible", timeout=10_000)
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Stay signed in"
    assert "we will sign you out in" in dialog.inner_text()
    assert page.locator("[data-announce]").inner_text().startswith("You will be signed out in")
    assert_accessible(page)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=5_000)
    page.reload()
    expect_heading(page, "Home")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_timeout_without_action_signs_out(page, settings):
    _sign_in_with_timeouts(page, settings, "timeout2@example.org", idle=6, warning=5)
    page.wait_for_url("**/signed-out/", timeout=15_000)
    page.goto("/account/")
    assert "/sign-in/" in page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_and_recovery_pages_are_accessible(page, mail):

    from portal.accounts.models import SecondFactorResetRequest
    from portal.accounts.services.accounts import new_recovery_codes  # noqa: F401
    from tests.accounts.conftest import KNOWN_KEY, make_account
    from tests.accounts.conftest import PASSWORD as ACCOUNT_PASSWORD

    account = make_account("lost@example.org")
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.goto("/sign-in/lost-second-factor/")
    page.get_by_role("button", name="Send me a code").click()
    check_page(page, "Check your email")
    deliver_pending()
    code = code_in(mail.wait_for(account.email)[-1].body)
    page.get_by_label("Enter the 6-digit code").fill(code)
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Why can you not use your authenticator app")
    page.get_by_role("button", name="Send request").click()
    check_page(page, "Why can you not use your authenticator app")  # error state
    page.get_by_label("Why can you not use your authenticator app or recovery codes?").fill(
        "Phone replaced"
    )
    page.get_by_role("button", name="Send request").click()
    check_page(page, "Request sent")

    staff = f.make_user(
        "staff@regulator.example", is_staff=True, password=ACCOUNT_PASSWORD, second_factor=False
    )
    f.give_authenticator(staff)
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password", exact=True).fill(ACCOUNT_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(
        totp_now(KNOWN_KEY, 1)
    )
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Second factor requests").click()
    check_page(page, "Second factor reset requests")
    page.get_by_role("link", name=account.email).click()
    assert_accessible(page)
    assert_keyboard_reaches_every_control_of_a_radio_page(page)
    page.get_by_role("button", name="Record decision").click()
    assert_accessible(page)  # errors
    page.get_by_label("Yes, remove their second factor").check()
    page.get_by_label("Reason for your decision").fill("Phoned the care home; confirmed")
    page.get_by_role("button", name="Record decision").click()
    check_page(page, "Second factor reset requests")
    assert SecondFactorResetRequest.objects.get().status == "approved"

    page.get_by_role("link", name="Accounts", exact=True).click()
    check_page(page, "Find an account")
    page.get_by_role("button", name="Find account").click()
    check_page(page, "Find an account")  # the error
    page.get_by_label("Email address of the account").fill(account.email)
    page.get_by_role("button", name="Find account").click()
    check_page(page, f"Account: {account.email}")
    # An account signed in somewhere (the staff member's own) offers "sign out everywhere".
    page.goto("/staff/accounts/")
    page.get_by_label("Email address of the account").fill(staff.email)
    page.get_by_role("button", name="Find account").click()
    check_page(page, f"Account: {staff.email}")
    page.get_by_role("button", name="Sign out everywhere").click()
    check_page(page, f"Account: {staff.email}")  # the reason is missing
    assert (
        "Enter why you are signing this person out"
        in page.locator(".govuk-error-summary").inner_text()
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reset_refusal_and_limit_pages_are_accessible(page, mail, settings):
    from tests.accounts.conftest import make_account

    account = make_account("reset.browser@example.org")
    page.goto("/password-reset/")
    page.get_by_label("What is your email address?").fill(account.email)
    page.get_by_role("button", name="Continue").click()
    deliver_pending()
    code = code_in(mail.wait_for(account.email)[-1].body)
    page.get_by_label("Enter the 6-digit code").fill(code)
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Create a new password")
    page.get_by_label("Create a new password").fill("saffron kettle lighthouse")
    page.get_by_role("button", name="Change password").click()
    check_page(page, "Password changed")

    # Proven code, then the register changes before the password: the refusal page.
    person = person_with_several_roles("refused.browser@example.org", "Lee", "Moss")
    page.goto("/sign-up/")
    page.get_by_label("What is your email address?").fill("refused.browser@example.org")
    page.get_by_role("button", name="Continue").click()
    deliver_pending()
    code = code_in(mail.wait_for("refused.browser@example.org")[-1].body)
    page.get_by_label("Enter the 6-digit code").fill(code)
    # A second registered person now holds the address (a role that ended instead would
    # leave an applicant's account to create: issue 14).
    assert person
    give_role(make_person("refused.browser@example.org", "Other", "Holder"))
    page.get_by_role("button", name="Continue").click()
    check_page(page, "We cannot create an account")

    settings.ACCOUNT_CODE_REQUESTS_PER_IP = 0
    page.goto("/sign-up/")
    page.get_by_label("What is your email address?").fill("limited@example.org")
    page.get_by_role("button", name="Continue").click()
    check_page(page, "Too many requests")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signing_out_another_browser(page):
    from django.test import Client

    from tests.accounts.conftest import make_account, sign_in

    account = make_account("two.browsers@example.org")
    elsewhere = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    )
    sign_in(elsewhere, account, ip="10.20.30.40")
    browser_sign_in(page, account, step=1)  # each time step verifies once
    page.get_by_role("link", name="Your account", exact=True).first.click()
    page.get_by_role("link", name="View where you are signed in").click()
    check_page(page, "Where you are signed in")
    assert "Firefox on Windows" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out Firefox on Windows").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page, "Where you are signed in")
    assert (
        "That browser has been signed out"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert elsewhere.get("/account/").status_code == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_of_many_locations_reaches_them_from_the_account_page(page, mail):
    """Past ten locations of one provider, "You can act for" counts them in one row whose
    link goes to that provider on "Your providers": both pages pass axe and the keyboard."""
    from tests.accounts.conftest import browser_sign_in, make_account
    from tests.factories.register import add_many_locations

    account = make_account("many.locations@example.org")
    person = account.user.person
    assert person is not None
    provider = person.roles.get(role="nominated_individual").provider
    for location in add_many_locations(provider, 10):
        give_role(person, "registered_manager", location=location)
    browser_sign_in(page, account)
    page.goto("/account/")
    check_page(page, "Your account")
    table = page.get_by_role("table", name="Your registered roles")
    assert table.get_by_role("row").count() == 3  # the headers, the provider, the 12 locations
    table.get_by_role("link", name=f"12 locations of {provider.name}").click()
    check_page(page, "Your providers")
    assert page.url.endswith(f"/providers/#provider-{provider.pk}")
    assert page.locator(f"#provider-{provider.pk}").is_visible()
