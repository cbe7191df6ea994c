"""The history's draft cards are written out (draft_cards.summary_card) rather than drawn by
govukSummaryList: they must be the markup the official macro gives."""

import re

from django.template import engines

from portal.notifications.draft_cards import summary_card


def _squeezed(html: object) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def test_summary_card_is_the_markup_the_govuk_macro_draws():
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    official = env.get_template(
        "govuk_frontend_official/components/summary-list/macro.html"
    ).module.govukSummaryList
    title = 'Death of a person <b> & "co"'
    actions = [
        ("/drafts/1/?a=1&b=2", "Continue", "death <i> started 3 May"),
        ("/drafts/1/delete/", "Delete", "death <i> started 3 May"),
    ]
    for rows in (
        [("For", "Rose & Crown <home>"), ("Started", "3 May 2026 at 9:00am by a@b.example")],
        [("Date of death", "3 May 2026"), ("When to send it", 'Without "delay"')],
    ):
        drawn = official(
            {
                "card": {
                    "title": {"text": title, "headingLevel": 3},
                    "actions": {
                        "items": [
                            {"href": href, "text": text, "visuallyHiddenText": hidden}
                            for href, text, hidden in actions
                        ]
                    },
                },
                "rows": [{"key": {"text": k}, "value": {"text": v}} for k, v in rows],
            }
        )
        written = summary_card(title, actions, rows)
        assert _squeezed(written) == _squeezed(drawn)
        assert "Death of a person &lt;b&gt; &amp; &#34;co&#34;" in str(written)
        assert "<b>" not in str(written)
