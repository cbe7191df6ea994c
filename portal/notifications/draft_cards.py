"""The history's drafts, a GOV.UK summary card each, written here rather than by the template:
twenty cards a page, each a macro call with its rows and actions built in Jinja, were about a
tenth of the page's Python. The markup is govukSummaryList's card (tests/notifications/
test_summary_card.py compares the two) and byte for byte what history.html's loop drew
(tests/notifications/test_draft_cards.py renders both)."""

from collections.abc import Callable, Iterable, Sequence

from markupsafe import Markup, escape

from portal.frontend.formats import ManyDates
from portal.frontend.reversing import url_maker
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.draft_list import ListedDraft


def summary_card(
    title: str, actions: Sequence[tuple[str, str, str]], rows: Sequence[tuple[str, str]]
) -> str:
    """A summary card of plain-text rows and several actions: (href, text, hidden text) and
    (key, value)."""
    heading = escape(title)
    links = "".join(
        '\n      <li class="govuk-summary-card__action">\n'
        f'        <a class="govuk-link" href="{escape(href)}">{escape(text)}'
        f'<span class="govuk-visually-hidden"> {escape(hidden)} ({heading})</span></a>\n'
        "      </li>"
        for href, text, hidden in actions
    )
    items = "".join(
        '\n      <div class="govuk-summary-list__row">\n'
        '        <dt class="govuk-summary-list__key">\n'
        f"          {escape(key)}\n"
        "        </dt>\n"
        '        <dd class="govuk-summary-list__value">\n'
        f"          {escape(value)}\n"
        "        </dd>\n"
        "      </div>"
        for key, value in rows
    )
    return (
        '<div class="govuk-summary-card">\n'
        '  <div class="govuk-summary-card__title-wrapper">\n'
        '    <h3 class="govuk-summary-card__title">\n'
        f"      {heading}\n"
        "    </h3>\n"
        f'    <ul class="govuk-summary-card__actions">{links}\n'
        "    </ul>\n"
        "  </div>\n"
        '  <div class="govuk-summary-card__content">\n'
        f'    <dl class="govuk-summary-list">{items}\n'
        "    </dl>\n"
        "  </div>\n"
        "</div>"
    )


def _card(
    item: ListedDraft, dates: ManyDates, links: tuple[Callable[..., str], Callable[..., str]]
) -> str:
    # A card shows what tells drafts of one type for one place apart (who started it, when,
    # one identifying answer); its links say which draft to screen readers.
    draft = item.draft
    started = dates.datetime(draft.created_at)
    which = f"{item.name.lower()} started {started}"
    where = "The provider as a whole" if draft.location_name is None else draft.location_name
    rows = [
        ("For", where),
        ("Started", f"{started} by {draft.created_by_email}"),
        ("Last changed", f"{dates.datetime(draft.updated_at)} by {draft.last_edited_by_email}"),
        ("When to send it", CATALOGUE.deadline_of(draft)),
    ]
    if item.telling_label:
        rows.insert(1, (item.telling_label, item.telling_value))
    to_continue, to_delete = links
    actions = [
        (to_continue(draft.pk), "Continue", which),
        (to_delete(draft.pk), "Delete", which),
    ]
    return summary_card(item.name, actions, rows)


def cards(drafts: Iterable[ListedDraft], dates: ManyDates) -> Markup:
    """The drafts' cards as the history's loop over them drew them, whitespace and all."""
    links = (url_maker("notifications:draft"), url_maker("notifications:discard"))
    return Markup(  # noqa: S704 (every value escaped in summary_card)
        "".join(
            f"\n        \n        \n        \n        \n        {_card(item, dates, links)}\n      "
            for item in drafts
        )
    )
