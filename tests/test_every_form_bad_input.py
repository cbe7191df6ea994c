"""Every form in the portal, sent bad input as its viewer would send it, answers with a page
that says what is wrong, never with a crash. The forms are those on every page of the
every-page walk (tests/support/every_page.py), signed in and signed out, as the person who
saw each one; each is sent empty, with script and SQL, with characters no page can show,
and with 100,000 characters in every field, each also with its hidden fields tampered with.

Each answer must be:
- no 5xx;
- the script never written back as markup;
- an HTML page that passes the checks every page passes (tests/support/html_checks.py);
- with an error summary: a title that starts "Error: " and links that each lead to an
  element on the page (GOV.UK's error summary pattern), and the form again with what was
  typed in each of its text fields (nothing lost; passwords are never shown back);
- a form sent as the page wrote it is never refused with 403, 404 or 405, and has a button
  to send it: a page offers only forms its viewer may send.

Each submission is rolled back, so one form's success does not change the next page.

A second walk asks every page with the query string's names (page, after, before, return,
next…) given bad values; each answer must be a page that passes the same checks. The
walk's own visits use a client that checks nothing, and this found a page that had never
passed them: the assessor's application page, whose title did not start with its h1.

It found: "Stay signed in" (on every signed-in page) answered 500 when its hidden `next`
was not a path (`redirect()` took it for a view's name); control characters written back
into the pages of most forms outside the question engine (Django's CharField refuses only
NUL); errors on hidden fields linking to nothing; pages with their own error summary whose
title did not start "Error: "; and the case queues giving inspectors, who may not reassign
cases, the reassign form (with no button)."""

import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from tests.support import every_page
from tests.support.forms_on_page import Control, PageForm, forms_on
from tests.support.html_checks import check_html_page
from tests.support.signed_in_visits import Visit, sign_in, url_of

pytestmark = pytest.mark.django_db

TYPED = {
    "empty": "",
    "hostile": "<script>alert('x')</script>' OR 1=1; -- ../../../etc/passwd %s{{7*7}}",
    "unprintable": "a\x00b\x07c\x85d\ufffe",
    "huge": "x" * 100_000,
}
SCRIPT = "<script>alert("
REFUSING = {403, 404, 405}
ERROR_LINK = re.compile(r'<div class="govuk-error-summary".*?</div>\s*</div>', re.S)
HREF = re.compile(r'href="#([^"]+)"')


@dataclass(frozen=True)
class Sent:
    visit: Visit
    form: PageForm
    button: Control
    typed: str
    tampered: bool

    def __str__(self) -> str:
        pressed = f" pressing {self.button.name}={self.button.value}" if self.button.name else ""
        how = f"{self.typed}{', hidden fields tampered' if self.tampered else ''}"
        return f"{url_of(self.visit)} as {self.visit.actor}: {self.form.action}{pressed} ({how})"


def _open(client: Client, world, page_visit: every_page.PageVisit) -> None:
    """`client` as the visit's viewer, with what the page needs in the session."""
    visit = page_visit.visit
    if visit.actor != every_page.SIGNED_OUT:
        sign_in(client, world.users[visit.actor], visit)
        return
    client.cookies.clear()
    for name, value in page_visit.cookies.items():
        client.cookies[name] = value
    if visit.session:
        session = client.session
        session.update(every_page.session_values(visit))
        session.save()


def _send(client: Client, sent: Sent):
    data = sent.form.filled(TYPED[sent.typed], button=sent.button, tamper_hidden=sent.tampered)
    action = sent.form.action or url_of(sent.visit)
    if sent.form.method == "post":
        return client.post(action, data, content_type=MULTIPART_CONTENT)
    return client.get(action, data)


def _problems(sent: Sent, response) -> list[str]:
    status = response.status_code
    if status >= 500:
        return [f"{sent}: {status}"]
    if status in REFUSING and not sent.tampered and sent.typed == "empty":
        return [f"{sent}: refused its own viewer ({status})"]
    if 300 <= status < 400 or "text/html" not in response.get("Content-Type", ""):
        return []
    body = response.content.decode()
    if SCRIPT in body:
        return [f"{sent}: wrote the script back as markup"]
    try:
        check_html_page(body, str(sent))
    except AssertionError as error:
        return [str(error)]
    summary = ERROR_LINK.search(body)
    if summary is None:
        return []
    found = []
    if not re.search(r"<title>\s*Error: ", body):
        found.append(f"{sent}: an error summary, but the title does not start 'Error: '")
    for target in HREF.findall(summary.group(0)):
        if f'id="{target}"' not in body:
            found.append(f"{sent}: the error summary links to #{target}, not on the page")
    if sent.typed == "hostile" and not sent.tampered:
        found.extend(_lost(sent, forms_on(body)))
    return found


KEPT = frozenset({"text", "textarea", "email", "tel", "search", "url"})


def _lost(sent: Sent, shown: list[PageForm]) -> list[str]:
    """What was typed into the form and is not in it when it comes back with errors."""
    again = [form for form in shown if form.action == sent.form.action]
    if not again:
        return []
    values = {c.name: c.value.removeprefix("\n") for c in again[0].controls if c.kind in KEPT}
    return [
        f"{sent}: lost what was typed in {control.name!r} ({values[control.name]!r:.40})"
        for control in sent.form.controls
        if control.kind in KEPT
        and control.name in values
        and values[control.name] != TYPED["hostile"]
    ]


def _submissions(page_visit: every_page.PageVisit, forms: list[PageForm]) -> list[Sent]:
    sending = []
    for form in forms:
        for button in form.buttons:
            for typed in TYPED:
                for tampered in (False, True) if form.hidden else (False,):
                    sending.append(Sent(page_visit.visit, form, button, typed, tampered))
    return sending


def test_every_form_answers_bad_input_with_a_page_that_says_what_is_wrong():
    world = every_page.build_every_page_world()
    client = Client(raise_request_exception=False)
    tried: set[tuple] = set()
    problems: list[str] = []
    for page_visit in every_page.browser_visits(world):
        visit = page_visit.visit
        if visit.actor == "pending":
            continue
        with transaction.atomic():
            _open(client, world, page_visit)
            page = client.get(url_of(visit))
            transaction.set_rollback(True)
        if page.status_code != visit.status:
            continue
        offered = forms_on(page.content.decode())
        problems.extend(
            f"{url_of(visit)} as {visit.actor}: a form ({form.action}) with no button to send it"
            for form in offered
            if not form.buttons
        )
        for sent in _submissions(page_visit, offered):
            fields = tuple(sorted((c.kind, c.name) for c in sent.form.controls))
            key = (visit.actor, sent.form.action, fields, sent.button, sent.typed, sent.tampered)
            if key in tried or "sign-out" in sent.form.action:
                continue
            tried.add(key)
            with transaction.atomic():
                _open(client, world, page_visit)
                response = _send(client, sent)
                transaction.set_rollback(True)
            problems.extend(_problems(sent, response))
    assert len(tried) > 900, len(tried)
    assert not problems, "\n".join(problems)


# What the portal reads from a query string besides its filter forms' fields.
QUERY_NAMES = ("page", "after", "before", "return", "next", "q", "type", "provider", "action")
QUERY_VALUES = {
    "not a number": "abc",
    "negative": "-1",
    "too big": "9" * 30,
    "unprintable": "a\x07b\ufffe",
    "huge": "x" * 5_000,
    "hostile": TYPED["hostile"],
}


def test_every_page_answers_a_hostile_query_string_with_a_page():
    """Every page of the walk, its query string's names given each bad value at once."""
    world = every_page.build_every_page_world()
    client = Client(raise_request_exception=False)
    problems: list[str] = []
    for page_visit in every_page.browser_visits(world):
        visit = page_visit.visit
        if visit.actor == "pending":
            continue
        for label, value in QUERY_VALUES.items():
            with transaction.atomic():
                _open(client, world, page_visit)
                response = client.get(url_of(visit), dict.fromkeys(QUERY_NAMES, value))
                transaction.set_rollback(True)
            sent = f"{url_of(visit)} as {visit.actor} ({label})"
            if response.status_code >= 500:
                problems.append(f"{sent}: {response.status_code}")
            elif response.status_code < 300 and "text/html" in response["Content-Type"]:
                body = response.content.decode()
                if SCRIPT in body:
                    problems.append(f"{sent}: wrote the script back as markup")
                try:
                    check_html_page(body, sent)
                except AssertionError as error:
                    problems.append(str(error))
    assert not problems, "\n".join(problems)
