"""Drafts as the list shows them: several drafts of one type for one location must be told
apart, so each is shown with who started it, when, and one answer that identifies it."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from portal.forms.engine import EngineContext, display_value
from portal.forms.vocabulary import Kind, Question
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.build import ABOUT_YOU
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.models import NotificationDraft
from portal.notifications.row_columns import row_from

# The answers that best tell two drafts of one type apart, best first: whom it is about,
# when it happened, then what was said.
_TELLING_KINDS = (Kind.IDENTIFIER, Kind.DATE, Kind.TEXT, Kind.CHOICE, Kind.MULTI_CHOICE)
_SHOWN_CHARACTERS = 60


class DraftRow(NamedTuple):
    """What a listed draft shows (its answers tell it apart and give its deadline), read as
    COLUMNS: the rest of the draft and of its location and two users stays in the tables,
    and no model instance is made for each (four a draft were half of reading twenty)."""

    pk: UUID
    answers: dict[str, Any]
    type_slug: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    location_name: str | None  # None: about the provider as a whole
    created_by_email: str
    last_edited_by_email: str


# Each names the DraftRow field it fills, `__` read as `_` (row_columns.row_from checks).
COLUMNS = (
    "pk",
    "answers",
    "type_slug",
    "version",
    "created_at",
    "updated_at",
    "location__name",
    "created_by__email",
    "last_edited_by__email",
)


def row_of(draft: NotificationDraft) -> DraftRow:
    """A draft read as a model (with its location and two users) as the list reads it."""
    return row_from(DraftRow, draft, COLUMNS)


@dataclass(frozen=True)
class ListedDraft:
    draft: DraftRow
    name: str
    # "Date of death", "3 May 2026"; both empty before anything telling is answered.
    telling_label: str
    telling_value: str


def _telling_answer(definition: NotificationType, answers: dict[str, Any]) -> tuple[str, str]:
    questions: list[Question] = [
        question
        for section in definition.sections
        if section.key != ABOUT_YOU.key
        for page in section.pages
        for question in page.questions
    ]
    for kind in _TELLING_KINDS:
        for question in questions:
            value = answers.get(question.key)
            if question.kind != kind or value in (None, "", []):
                continue
            shown = display_value(question, value, EngineContext()).replace("\n", ", ")
            if len(shown) > _SHOWN_CHARACTERS:
                shown = shown[: _SHOWN_CHARACTERS - 1].rstrip() + "…"
            return question.summary_label.replace(" (optional)", ""), shown
    return "", ""


def described(drafts: Iterable[DraftRow]) -> list[ListedDraft]:
    listed = []
    for draft in drafts:
        definition = CATALOGUE.get(draft.type_slug, draft.version)
        label, value = _telling_answer(definition, draft.answers) if definition else ("", "")
        listed.append(ListedDraft(draft, CATALOGUE.name_of(draft.type_slug), label, value))
    return listed
