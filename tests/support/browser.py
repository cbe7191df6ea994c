"""Playwright on Debian's chromium, with axe-core (from node_modules) and keyboard checks."""

import base64
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# WCAG 2.2 1.4.10 Reflow: content fits 320 CSS pixels wide without scrolling sideways.
REFLOW_WIDTH = 320


def sign_in_with_session(page: Page, live_server: Any, user: Any) -> Page:
    """A real session for `user` in the browser, as if they had signed in (the sign-in pages
    themselves have their own browser tests in tests/accounts)."""
    client = Client()
    client.force_login(user)
    return use_session_of(page, live_server, client)


def use_session_of(page: Page, live_server: Any, client: Client) -> Page:
    """The browser takes over the test client's session (and nothing else it held)."""
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def assert_accessible(page: Page) -> None:
    """Fail on any WCAG 2.2 A or AA violation axe finds on the page as it is now, or if the
    page scrolls sideways at 320 CSS pixels wide."""
    _assert_axe_passes(page)
    assert_reflows(page)


def assert_reflows(page: Page, width: int = REFLOW_WIDTH) -> None:
    """At `width` CSS pixels the document must be no wider than the viewport. The viewport is
    put back afterwards, so the test carries on as it was."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": original["height"] if original else 720})
    try:
        _settle(page, width)
        overflow = page.evaluate(
            """() => {
                const root = document.documentElement;
                const sticksOut = el => el.getClientRects().length
                    && el.getBoundingClientRect().right > root.clientWidth + 0.5;
                // The innermost elements that stick out, where the cause usually is.
                const wide = [...document.querySelectorAll('body *')]
                    .filter(el => sticksOut(el) && ![...el.children].some(sticksOut))
                    .slice(0, 4)
                    .map(el => el.outerHTML.slice(0, 200));
                return {scroll: root.scrollWidth, viewport: root.clientWidth, wide};
            }"""
        )
    finally:
        if original:
            page.set_viewport_size(original)
            _settle(page, original["width"])
    assert overflow["scroll"] <= overflow["viewport"], (
        f"{page.url} scrolls sideways at {width} CSS pixels: the document is "
        f"{overflow['scroll']} px wide in a {overflow['viewport']} px viewport. Widest parts:\n"
        + "\n".join(overflow["wide"])
    )


def _settle(page: Page, width: int) -> None:
    """Wait until the page has the new width and its scripts have reacted to it (the service
    navigation shows or hides its menu button on a media query's change event)."""
    page.wait_for_function("(width) => window.innerWidth === width", arg=width)
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def _assert_axe_passes(page: Page) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's strict CSP stays in force.
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, (
        f"axe found violations on {page.url}:\n{json.dumps(violations, indent=2)}"
    )


def assert_keyboard_reaches_every_link(page: Page, max_tabs: int = 400) -> None:
    """Tab from the top of the page; every visible link and control must receive focus."""
    # A group of radios is one tab stop (arrow keys move within it), so it counts once.
    targets = page.evaluate(
        """() => [...new Set(Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea'))
              .filter(el => el.offsetParent !== null || el.getClientRects().length)
              .map((el, i) => {
                el.dataset.kbTarget = el.type === 'radio' && el.name ? `radio:${el.name}` : String(i);
                return el.dataset.kbTarget;
              }))]"""
    )
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0,0); }"
    )
    page.locator("body").focus()
    reached: set[str] = set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        marker = page.evaluate(
            "() => document.activeElement && document.activeElement.dataset.kbTarget"
        )
        if marker is not None:
            if marker in reached and len(reached) == len(targets):
                break
            reached.add(marker)
        if len(reached) == len(targets):
            break
    missing = set(targets) - reached
    if missing:
        names = page.evaluate(
            "(ids) => ids.map(i => document.querySelector(`[data-kb-target='${CSS.escape(i)}']`).outerHTML.slice(0, 120))",
            sorted(missing),
        )
        raise AssertionError(f"Keyboard did not reach on {page.url}: {names}")


def expect_heading(page: Page, text: str, *, starts: bool = False) -> None:
    """Wait for the page's main heading to read `text` (or start with it). A click that
    submits a form returns before the next page has replaced this one, so reading the heading
    at once can read the page being left."""
    wanted = re.compile(r"^\s*" + re.escape(text)) if starts else text
    expect(page.locator("h1").first).to_have_text(wanted, use_inner_text=True)


def authenticator_key(page: Page) -> str:
    """The authenticator key (hex) from the set-up page's "enter this key" text, as a person
    without a camera would copy it into their app."""
    manual = str(page.locator("#manual-key").inner_text()).replace(" ", "")
    return base64.b32decode(manual + "=" * (-len(manual) % 8)).hex()


def finish_sign_up(page: Page) -> None:
    """From the authenticator set-up page to "Account created": a code from the key shown,
    then the recovery codes saved; each page accessible."""
    from tests.accounts.conftest import totp_now

    expect_heading(page, "Set up an authenticator app")
    assert_accessible(page)
    key = authenticator_key(page)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_now(key))
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Save your recovery codes")
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect_heading(page, "Account created", starts=True)
    assert_accessible(page)


def check_page(page: Page, titled: str | None = None) -> None:
    """The checks every page of a browser journey gets: axe (WCAG 2.2 AA) and reflow, and
    every link reached with the Tab key; with `titled`, that the page's heading starts so."""
    if titled is not None:
        expect_heading(page, titled, starts=True)
    assert_accessible(page)
    assert_keyboard_reaches_every_link(page)


def assert_first_tab_reaches_skip_link(page: Page) -> None:
    """From the top of the page, the first Tab focuses the "Skip to main content" link, which
    then shows (it is hidden until focused) with a visible focus indicator. Call it on a page
    just loaded, before anything else has moved the focus."""
    page.keyboard.press("Tab")
    focused = page.evaluate(
        r"""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const style = getComputedStyle(el);
            const rect = el.getBoundingClientRect();
            return {
                html: el.outerHTML.slice(0, 160),
                skipLink: el.matches('a.govuk-skip-link[href="#main-content"]'),
                target: !!document.getElementById('main-content'),
                focusVisible: el.matches(':focus-visible'),
                shown: rect.width > 1 && rect.height > 1,
                outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
                boxShadow: style.boxShadow,
                background: style.backgroundColor,
                indicator: style.boxShadow !== 'none'
                    || (style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
                        && !/^rgba\(.*,\s*0\)$/.test(style.outlineColor)),
            };
        }"""
    )
    assert focused, f"{page.url}: the first Tab focused nothing"
    assert focused["skipLink"], f"{page.url}: the first Tab reached {focused['html']}"
    assert focused["target"], f"{page.url}: the skip link's #main-content is missing"
    unseen = [check for check in ("focusVisible", "shown", "indicator") if not focused[check]]
    assert not unseen, f"{page.url}: the focused skip link fails {unseen}: {focused}"
