"""Every plain-text email template, found on disk, renders names exactly as written.

Email text is not HTML: a provider called O'Brien & Sons must not arrive as
"O&#39;Brien &amp; Sons". A new template is covered as soon as it exists.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import engines
from jinja2 import meta

from portal.emails.rendering import render_email

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "O'Brien & Sons <x>"
TEMPLATES = sorted(
    path for path in (ROOT / "portal").glob("*/jinja2/emails/*.txt") if path.is_file()
)


def test_the_templates_are_found():
    assert len(TEMPLATES) > 30
    assert {"sign_up_code", "organisations_invitation", "notification_receipt"} <= {
        path.stem for path in TEMPLATES
    }


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.stem)
def test_email_text_is_not_html_escaped(path, settings):
    settings.SERVICE_NAME = HOSTILE
    settings.REGULATOR_NAME = HOSTILE
    source = path.read_text()
    environment = engines["jinja2"].env  # type: ignore[attr-defined]
    names = meta.find_undeclared_variables(environment.parse(source))
    dates = set(re.findall(r"(\w+)\s*\|\s*govuk_date", source))
    # Every value the template asks for is the awkward name (dates excepted).
    context = {name: HOSTILE for name in names} | {name: dt.datetime(2026, 1, 2) for name in dates}
    email = render_email(path.stem, context)
    text = email.subject + "\n" + email.body
    assert HOSTILE in text, f"{path.stem} shows neither a name nor the service's name"
    for escaped in ("&amp;", "&#39;", "&lt;", "&gt;", "&#34;", "&quot;"):
        assert escaped not in text, f"{path.stem} escaped a name as HTML: {text!r}"
