"""The history's draft cards written in Python (draft_cards): byte for byte what history.html's
loop and its summary_card macro drew, for every branch (a location or the provider as a
whole, an identifying answer or none, a type no longer offered, text to escape), and the
history page draws them where the loop did."""

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse

from portal.accounts.models import User
from portal.frontend.formats import ManyDates
from portal.notifications import draft_cards, services
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.draft_list import ListedDraft, described, row_of
from portal.notifications.models import NotificationDraft
from portal.register.models import Location

# history.html's loop over the drafts, and the summary_card macro it called, as they were.
_LOOP = """{% macro summary_card(title, actions, rows) -%}
<div class="govuk-summary-card">
  <div class="govuk-summary-card__title-wrapper">
    <h3 class="govuk-summary-card__title">
      {{ title }}
    </h3>
    <ul class="govuk-summary-card__actions">
      {%- for href, text, hidden in actions %}
      <li class="govuk-summary-card__action">
        <a class="govuk-link" href="{{ href }}">{{ text }}<span class="govuk-visually-hidden"> {{ hidden }} ({{ title }})</span></a>
      </li>
      {%- endfor %}
    </ul>
  </div>
  <div class="govuk-summary-card__content">
    <dl class="govuk-summary-list">
      {%- for key, value in rows %}
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">
          {{ key }}
        </dt>
        <dd class="govuk-summary-list__value">
          {{ value }}
        </dd>
      </div>
      {%- endfor %}
    </dl>
  </div>
</div>
{%- endmacro %}{% for item in drafts %}
        {% set draft = item.draft %}
        {% set which = item.name | lower ~ " started " ~ dates.datetime(draft.created_at) %}
        {% set rows = [
          ("For", draft.location.name if draft.location else "The provider as a whole"),
          ("Started", dates.datetime(draft.created_at) ~ " by " ~ draft.created_by.email),
          ("Last changed", dates.datetime(draft.updated_at) ~ " by " ~ draft.last_edited_by.email),
          ("When to send it", catalogue.deadline_of(draft)),
        ] %}
        {% if item.telling_label %}{% do rows.insert(1, (item.telling_label, item.telling_value)) %}{% endif %}
        {{ summary_card(item.name, [
          (url("notifications:draft", draft.pk), "Continue", which),
          (url("notifications:discard", draft.pk), "Delete", which),
        ], rows) }}
      {% endfor %}"""


def _examples() -> list[NotificationDraft]:
    starter = User(email="o'brien&sons@care.example")
    editor = User(email="<b>editor</b>@care.example")
    variants: list[dict[str, Any]] = [
        {},
        {"location": None},
        {"location": Location(name='Rose & "Crown" <home>')},
        {"answers": {"person_identifier": "Ann <Smith> & co"}},
        {"answers": {"death_date": "2026-05-03"}},
        {"type_slug": "never-offered<x>"},
        {"created_at": dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)},
        {"updated_at": dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)},
    ]
    drafts = []
    for number, given in enumerate(variants, start=1):
        draft = NotificationDraft(
            pk=uuid.UUID(int=number),
            type_slug=given.get("type_slug", "death"),
            version=1,
            answers=given.get("answers", {}),
            created_at=given.get("created_at", dt.datetime(2026, 6, 20, 9, 5, tzinfo=dt.UTC)),
            updated_at=given.get("updated_at", dt.datetime(2026, 6, 21, 17, 45, tzinfo=dt.UTC)),
        )
        draft.location = given.get("location", Location(name="Sunrise House"))
        draft.created_by, draft.last_edited_by = starter, editor
        drafts.append(draft)
    return drafts


def _listed(drafts: list[NotificationDraft]) -> tuple[list[ListedDraft], list[ListedDraft]]:
    """The drafts as the cards list them (read as rows), and as the loop did (models)."""
    listed = described(map(row_of, drafts))
    # The same, each with the model the row was read from.
    as_models = [
        replace(item, draft=draft)  # type: ignore[arg-type]
        for item, draft in zip(listed, drafts, strict=True)
    ]
    extra = ("Death <of> a person", "Name & age", "<i>9</i>")
    listed.append(ListedDraft(row_of(drafts[0]), *extra))
    as_models.append(ListedDraft(drafts[0], *extra))  # type: ignore[arg-type]
    return listed, as_models


def _render(drafts: list[ListedDraft]) -> str:
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    return env.from_string(_LOOP).render(drafts=drafts, dates=ManyDates(), catalogue=CATALOGUE)


def test_cards_are_the_template_loops_html():
    listed, as_models = _listed(_examples())
    assert any(item.telling_label for item in listed)
    assert str(draft_cards.cards(listed, ManyDates())) == _render(as_models)
    for item, model in zip(listed, as_models, strict=True):
        assert str(draft_cards.cards([item], ManyDates())) == _render([model])


@pytest.mark.django_db
def test_the_history_page_draws_the_cards_where_the_loop_did(client, world):
    home = world.locations["Organisation"]
    for slug in ("death", "police"):
        services.start_draft(
            user=world.manager,
            provider=home.provider,
            location=home,
            definition=CATALOGUE.require(slug),
        )
    client.force_login(world.nominated["Organisation"])
    html = client.get(reverse("notifications:history")).content.decode()
    drafts = described(
        map(
            row_of,
            NotificationDraft.objects.select_related("location", "created_by", "last_edited_by")
            .filter(provider=home.provider)
            .order_by("-updated_at"),
        )
    )
    assert len(drafts) == 2
    cards = str(draft_cards.cards(drafts, ManyDates()))
    assert f'<h2 class="govuk-heading-m">Drafts</h2>\n    \n    {cards}\n    \n\n    <h2' in html
