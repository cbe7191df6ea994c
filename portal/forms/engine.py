"""The engine: one definition in, pages, validation, stored answers and summaries out.

Any form written in the vocabulary (portal.forms.vocabulary) works here: notification types
today, registration applications next. Fields per question kind are in `fields.py`, the
JSON Schema in `json_schema.py`.

A question that does not apply (its condition is false) has no stored answer: changing an
earlier answer drops the answers it made irrelevant.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from portal.forms.fields import (
    CONFIRM_SUFFIX,
    PHONE,
    POSTCODE,
    AttachedFile,
    EngineContext,
    field_for,
    file_limits,
    is_empty,
    looks_like_a_name,
    subject_of,
    to_json,
    validating_field_for,
    without_control_characters,
)
from portal.forms.vocabulary import (
    Answers,
    DateRule,
    FileState,
    FormDefinition,
    Kind,
    Page,
    Question,
)
from portal.frontend.formats import govuk_date, govuk_time
from portal.frontend.govuk_fields import DATE_PARTS

# ---------------------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------------------


def question_applies(definition: FormDefinition, question: Question, answers: Answers) -> bool:
    """A question applies when its condition holds and the question it depends on applies."""
    seen: set[str] = set()
    current: Question | None = question
    while current is not None and current.condition is not None:
        if current.key in seen or not current.condition.holds(answers):
            return current.key in seen
        seen.add(current.key)
        parent_key = current.condition.question
        current = definition.question(parent_key)
    return True


def visible_pages(definition: FormDefinition, answers: Answers) -> list[Page]:
    return [page for page in definition.pages() if page.applies(answers)]


def next_page(definition: FormDefinition, after: str, answers: Answers) -> Page | None:
    pages = visible_pages(definition, answers)
    keys = [page.key for page in pages]
    if after not in keys:
        return pages[0] if pages else None
    index = keys.index(after)
    return pages[index + 1] if index + 1 < len(pages) else None


def stop_reason(page: Page, answers: Answers) -> str | None:
    """If an answer on this page means there is nothing to notify, why."""
    for question in page.questions:
        for value, reason in question.stops:
            if answers.get(question.key) == value:
                return reason
    return None


def _not_a_name_field() -> forms.BooleanField:
    return forms.BooleanField(required=False, label="This is not the person’s name")


_NOT_A_NAME_VALIDATING = _not_a_name_field()


class PageForm(forms.Form):
    """The form for one page of one definition, with conditional questions and warnings."""

    def __init__(
        self,
        *args: Any,
        definition: FormDefinition,
        page: Page,
        answers: Answers,
        context: EngineContext,
        validating_only: bool = False,
        **kwargs: Any,
    ):
        """`validating_only`: the form only checks answers and is never drawn, so it may use
        fields shared between forms (`validating_field_for`)."""
        if args and args[0] is not None:
            args = (without_control_characters(args[0]), *args[1:])
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.page = page
        self.stored = dict(answers)
        self.context = context
        page_keys = {q.key for q in page.questions}
        self.questions: list[Question] = []
        self.name_warnings: set[str] = set()
        for question in page.questions:
            parent = question.condition.question if question.condition else None
            # A condition on another page is decided by the stored answers: ask or don't.
            if (
                parent
                and parent not in page_keys
                and not question_applies(definition, question, answers)
            ):
                continue
            self.questions.append(question)
            if validating_only:
                self.fields[question.key] = validating_field_for(question, context)
            else:
                self.fields[question.key] = field_for(question, context)
            if question.kind == Kind.IDENTIFIER:
                self.fields[question.key + CONFIRM_SUFFIX] = (
                    _NOT_A_NAME_VALIDATING if validating_only else _not_a_name_field()
                )

    def children(self) -> dict[str, list[tuple[str, list[Question]]]]:
        """Questions that depend on an answer on this page, grouped by the answers that ask
        them, space-separated: parent key -> [("no not_known", [questions])]. One answer's
        are revealed inside its radio or checkbox; several answers' follow their parent."""
        page_keys = {q.key for q in self.questions}
        groups: dict[str, dict[frozenset[str], list[Question]]] = {}
        for question in self.questions:
            condition = question.condition
            if condition and condition.question in page_keys:
                groups.setdefault(condition.question, {}).setdefault(condition.values, []).append(
                    question
                )
        result: dict[str, list[tuple[str, list[Question]]]] = {}
        for parent_key, by_values in groups.items():
            parent = next(q for q in self.questions if q.key == parent_key)
            order = [c.value for c in parent.choices]
            for values, questions in by_values.items():
                ordered = sorted(values, key=lambda v: order.index(v) if v in order else len(order))
                result.setdefault(parent_key, []).append((" ".join(ordered), questions))
        return result

    def top_level(self) -> list[Question]:
        page_keys = {q.key for q in self.questions}
        return [
            q for q in self.questions if not (q.condition and q.condition.question in page_keys)
        ]

    def files_of(self, key: str) -> list[AttachedFile]:
        """The files uploaded to a file question on this page, as stored."""
        return self.context.files_for(self.stored.get(key))

    def checking_files(self) -> bool:
        """Any file on this page still being checked (the page then polls, with script)."""
        return any(
            f.state == FileState.PENDING
            for q in self.questions
            if q.kind == Kind.FILE
            for f in self.files_of(q.key)
        )

    def takes_files(self) -> bool:
        return any(q.kind == Kind.FILE for q in self.questions)

    def shows_name_confirmation(self, key: str) -> bool:
        return key in self.name_warnings

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        merged: dict[str, Any] = dict(self.stored)
        for question in self.questions:
            if question.kind == Kind.FILE:
                # Files are uploaded and removed by the client's services, never posted as
                # answers: the stored document ids are the answer.
                cleaned[question.key] = list(self.stored.get(question.key) or [])
                self.errors.pop(question.key, None)
            if question.key in cleaned:
                merged[question.key] = to_json(question, cleaned[question.key])
        tainted = (
            set(self.data.getlist("__control_characters__"))
            if hasattr(self.data, "getlist")
            else set()
        )
        for question in self.questions:
            key = question.key
            if key in tainted:
                self.add_error(
                    key, f"{subject_of(question)} must not contain invisible control characters"
                )
                continue
            applies = question_applies(self.definition, question, merged)
            if not applies:
                cleaned.pop(key, None)
                self.errors.pop(key, None)
                continue
            if key in self.errors:
                continue
            value = cleaned.get(key)
            if question.kind == Kind.FILE:
                self._check_files(question, value)
            if not self._answered(question, value):
                if question.required and not self._answered_instead(question, merged):
                    params = {"parts": list(DATE_PARTS)} if question.kind == Kind.DATE else None
                    self.add_error(
                        key, ValidationError(question.error, code="required", params=params)
                    )
                continue
            self._check_value(question, value, merged, cleaned)
        return cleaned

    def _answered(self, question: Question, value: Any) -> bool:
        if question.kind == Kind.FILE:
            return any(f.state.usable for f in self.context.files_for(value))
        return not is_empty(value)

    def _answered_instead(self, question: Question, merged: dict[str, Any]) -> bool:
        """Either-or questions: the other one answers this one too, and when neither is
        answered only the first of the two on the page shows the error."""
        if not question.or_instead:
            return False
        other = next((q for q in self.questions if q.key == question.or_instead), None)
        if other is None:
            return False
        if self._answered(other, merged.get(other.key)):
            return True
        return self.questions.index(other) < self.questions.index(question)

    def _check_files(self, question: Question, value: Any) -> None:
        """A file with a virus, or that could not be checked, must be removed; no question
        holds more files than its limit."""
        files = self.context.files_for(value)
        for attached in files:
            if attached.state == FileState.INFECTED:
                self.add_error(
                    question.key, f"‘{attached.name}’ contains a virus. Remove it from this page"
                )
            elif attached.state == FileState.FAILED:
                self.add_error(
                    question.key,
                    f"‘{attached.name}’ could not be checked for viruses. Remove it and "
                    "upload it again",
                )
        most, _size = file_limits(question)
        if len(files) > most:
            self.add_error(
                question.key,
                f"You can upload up to {most:,} files for {subject_of(question).lower()}. "
                "Remove some",
            )

    def _check_value(
        self, question: Question, value: Any, merged: dict[str, Any], cleaned: dict[str, Any]
    ) -> None:
        key = question.key
        subject = subject_of(question)
        if question.kind == Kind.PHONE and not (
            PHONE.match(value) and sum(c.isdigit() for c in value) >= 7
        ):
            self.add_error(
                key,
                f"Enter {subject[0].lower()}{subject[1:]} in the correct format, like 01632 960 001",
            )
        if question.kind == Kind.POSTCODE and not POSTCODE.match(value.upper().strip()):
            self.add_error(key, "Enter a real postcode, like SW1A 1AA")
        if question.kind == Kind.IDENTIFIER and looks_like_a_name(value):
            confirmed = (
                cleaned.get(key + CONFIRM_SUFFIX) or self.stored.get(key + CONFIRM_SUFFIX) == value
            )
            if not confirmed:
                self.name_warnings.add(key)
                self.add_error(
                    key,
                    f"‘{value[:40]}’ looks like a person’s name. Enter your own reference for "
                    "the person instead, or confirm that it is not their name",
                )
            else:
                cleaned[key + CONFIRM_SUFFIX] = True
        if question.kind == Kind.TIME and isinstance(value, dt.time):
            # A time on the same page as a date that must be in the past (time of death and
            # date of death): today's date with a later time has not happened yet.
            past_dates = [
                q
                for q in self.page.questions
                if q.kind == Kind.DATE and q.date_rule == DateRule.PAST
            ]
            if len(past_dates) == 1:
                day = cleaned.get(past_dates[0].key)
                now = timezone.localtime()
                if day == now.date() and value > now.time():
                    self.add_error(key, f"{subject} must be in the past")
        if question.not_before and isinstance(value, dt.date):
            other_key, other_name = question.not_before
            other = merged.get(other_key)
            if other and value < dt.date.fromisoformat(str(other)):
                self.add_error(
                    key,
                    ValidationError(
                        f"{subject} must be the same as or after {other_name}",
                        params={"parts": list(DATE_PARTS)},
                    ),
                )

    def page_answers(self) -> dict[str, Any]:
        """This page's answers as stored JSON; None for questions now without an answer."""
        result: dict[str, Any] = {}
        for question in self.page.questions:
            if question.kind == Kind.FILE:
                continue  # owned by the client's upload and remove services
            value = self.cleaned_data.get(question.key)
            result[question.key] = None if is_empty(value) else to_json(question, value)
            if question.kind == Kind.IDENTIFIER:
                confirmed = self.cleaned_data.get(question.key + CONFIRM_SUFFIX)
                result[question.key + CONFIRM_SUFFIX] = result[question.key] if confirmed else None
        return result

    def valid_part(self) -> dict[str, Any]:
        """For "save and come back later": every answer that is valid on its own."""
        result: dict[str, Any] = {}
        for question in self.questions:
            if question.key in self.errors or question.kind == Kind.FILE:
                continue
            value = self.cleaned_data.get(question.key)
            if not is_empty(value):
                result[question.key] = to_json(question, value)
        return result


def _stored_answers(page: Page, answers: Answers) -> Iterator[tuple[Question, Any, bool]]:
    """Each of the page's stored answers as (question, value, identifier confirmed): dates as
    dates (a stored date that no longer parses is skipped), everything else as stored."""
    for question in page.questions:
        value = answers.get(question.key)
        if value is None or question.kind == Kind.FILE:
            continue
        if question.kind == Kind.DATE:
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError:
                continue
        confirmed = question.kind == Kind.IDENTIFIER and answers.get(
            question.key + CONFIRM_SUFFIX
        ) == answers.get(question.key)
        yield question, value, confirmed


def initial_from_answers(page: Page, answers: Answers) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for question, value, confirmed in _stored_answers(page, answers):
        initial[question.key] = value
        if confirmed:
            initial[question.key + CONFIRM_SUFFIX] = True
    return initial


def data_from_answers(page: Page, answers: Answers) -> MultiValueDict[str, Any]:
    """Stored answers as if posted, to re-validate a whole draft before submission."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    for question, value, confirmed in _stored_answers(page, answers):
        if isinstance(value, dt.date):
            data[f"{question.key}-day"] = str(value.day)
            data[f"{question.key}-month"] = str(value.month)
            data[f"{question.key}-year"] = str(value.year)
        elif isinstance(value, list):
            data.setlist(question.key, [str(v) for v in value])
        else:
            data[question.key] = str(value)
        if confirmed:
            data[question.key + CONFIRM_SUFFIX] = "on"
    return data


def build_form(
    definition: FormDefinition,
    page: Page,
    *,
    answers: Answers,
    context: EngineContext,
    data: Any = None,
) -> PageForm:
    if data is None:
        return PageForm(
            definition=definition,
            page=page,
            answers=answers,
            context=context,
            initial=initial_from_answers(page, answers),
        )
    return PageForm(data, definition=definition, page=page, answers=answers, context=context)


def page_is_complete(
    definition: FormDefinition, page: Page, answers: Answers, context: EngineContext
) -> bool:
    form = PageForm(
        data_from_answers(page, answers),
        definition=definition,
        page=page,
        answers=answers,
        context=context,
        validating_only=True,
    )
    return form.is_valid() and stop_reason(page, answers) is None


def incomplete_pages(
    definition: FormDefinition, answers: Answers, context: EngineContext
) -> list[Page]:
    return [
        page
        for page in visible_pages(definition, answers)
        if not page_is_complete(definition, page, answers, context)
    ]


def merge_answers(answers: Answers, updates: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(answers)
    for key, value in updates.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def prune(definition: FormDefinition, answers: Answers) -> dict[str, Any]:
    """Drop answers to questions that no longer apply (an earlier answer changed)."""
    kept: dict[str, Any] = {k: v for k, v in answers.items() if k.startswith("context.")}
    pages = {page.key for page in visible_pages(definition, answers)}
    for page in definition.pages():
        if page.key not in pages:
            continue
        for question in page.questions:
            if question.key in answers and question_applies(definition, question, answers):
                kept[question.key] = answers[question.key]
                confirm = question.key + CONFIRM_SUFFIX
                if confirm in answers:
                    kept[confirm] = answers[confirm]
    return kept


# ---------------------------------------------------------------------------------------
# Showing answers: check your answers, receipt, print, staff view
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: str
    page_key: str
    question_key: str
    multiline: bool = False
    # A file question's files, each shown with its size and state (and a link when clean).
    files: tuple[AttachedFile, ...] = ()


@dataclass
class SummarySection:
    title: str
    rows: list[SummaryRow] = field(default_factory=list)


def display_value(question: Question, value: Any, context: EngineContext) -> str:
    if is_empty(value):
        return "Not given"
    kind = question.kind
    if kind == Kind.DATE:
        try:
            return govuk_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == Kind.TIME:
        try:
            return govuk_time(dt.time.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind in (Kind.CHOICE, Kind.YES_NO):
        return question.choice_label(str(value))
    if kind == Kind.MULTI_CHOICE:
        return "\n".join(question.choice_label(str(v)) for v in value)
    if kind == Kind.REGISTERED_PERSON:
        return context.person_label(str(value))
    if kind == Kind.NUMBER:
        return f"{int(value):,}"
    if kind == Kind.FILE:
        files = context.files_for(value)
        if not files:
            return "Not given"
        return "\n".join(f"{f.name} ({f.size_text}, {f.state_text})" for f in files)
    return str(value)


def _row(page_key: str, question: Question, value: Any, context: EngineContext) -> SummaryRow:
    return SummaryRow(
        label=question.summary_label.replace(" (optional)", ""),
        value=display_value(question, value, context),
        page_key=page_key,
        question_key=question.key,
        multiline=question.kind in (Kind.LONG_TEXT, Kind.MULTI_CHOICE, Kind.FILE),
        files=tuple(context.files_for(value)) if question.kind == Kind.FILE else (),
    )


def applicable_files(
    definition: FormDefinition, answers: Answers, context: EngineContext
) -> list[AttachedFile]:
    """Every file answering a question that applies, in the form's order."""
    pages = {page.key for page in visible_pages(definition, answers)}
    return [
        attached
        for page in definition.pages()
        if page.key in pages
        for question in page.questions
        if question.kind == Kind.FILE and question_applies(definition, question, answers)
        for attached in context.files_for(answers.get(question.key))
    ]


def files_being_checked(
    definition: FormDefinition, answers: Answers, context: EngineContext
) -> list[AttachedFile]:
    """Files still being checked for viruses: a form with any cannot be sent yet."""
    return [
        f for f in applicable_files(definition, answers, context) if f.state == FileState.PENDING
    ]


def summary(
    definition: FormDefinition, answers: Answers, context: EngineContext
) -> list[SummarySection]:
    sections: list[SummarySection] = []
    pages = {page.key for page in visible_pages(definition, answers)}
    for section in definition.sections:
        block = SummarySection(section.title)
        for page in section.pages:
            if page.key not in pages:
                continue
            for question in page.questions:
                if not question_applies(definition, question, answers):
                    continue
                # Optional questions left blank are listed too, so they can still be answered.
                block.rows.append(_row(page.key, question, answers.get(question.key), context))
        if block.rows:
            sections.append(block)
    return sections


def follow_up_summary(
    pages: Iterable[Page], answers: Answers, context: EngineContext
) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for page in pages:
        for question in page.questions:
            if question.key in answers:
                rows.append(_row(page.key, question, answers[question.key], context))
    return rows
