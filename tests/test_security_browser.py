"""The Content-Security-Policy in a real browser: the nonce'd script runs, nothing is blocked."""

import pytest

from tests.support.test_site.fixture import use_test_site


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_csp_and_injected_scripts_are_refused(page, settings):
    use_test_site(settings)
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    for path in ("/", "/test-only/every-field/"):
        page.goto(path)
        # The layout's inline script (allowed only by its nonce) marks the body.
        assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    page.locator("#id_description").fill("x" * 10)
    assert console == []  # GOV.UK Frontend and our script run with nothing blocked
    # A script injected without the nonce is refused by the browser.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.injected === undefined")
    violations = [line for line in console if "CSP violation" in line]
    assert len(violations) == 1
    assert "script-src" in violations[0]
