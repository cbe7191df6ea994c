"""Check a notification's answers, or a structured update's (a follow-up), as the web pages
would, all at once: every visible page's form, built from the answers as stored JSON, and
every error against its answer's key."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from portal.forms import engine
from portal.forms.fields import CONFIRM_SUFFIX
from portal.forms.json_schema import json_schema
from portal.forms.vocabulary import FormDefinition, Kind, Question, Section
from portal.notifications.catalogue.schema import FollowUpKind, NotificationType

Problems = list[dict[str, str]]

# Answers the portal works out itself (the provider's kind): clients never send them.
_OWN_KEY_PREFIX = "context."


def _key_of(questions: Iterable[Question], page_key: str, field: str) -> str:
    """The answer key a form error belongs to (a date's parts and a confirmation box are
    parts of their question)."""
    if field == "__all__":
        return page_key
    for question in questions:
        if field == question.key or field.startswith(question.key + "-"):
            return question.key
        if field == question.key + CONFIRM_SUFFIX:
            return question.key
    return field


def _shape_error(question: Question, value: Any) -> str | None:
    """What is wrong with the JSON type or format of an answer (the form checks the rest)."""
    if question.kind in (Kind.MULTI_CHOICE, Kind.FILE):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return "Give a list of strings"
        return None
    if question.kind == Kind.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        return None
    if not isinstance(value, str):
        return "Give a string"
    if question.kind == Kind.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "Give the date as YYYY-MM-DD"
    return None


def _input_errors(questions: list[Question], answers: dict[str, Any], unknown: str) -> Problems:
    """Keys that are not these questions', and answers of the wrong JSON type or format."""
    known = {q.key for q in questions}
    errors = [
        {"key": key, "message": unknown}
        for key in answers
        if key.removesuffix(CONFIRM_SUFFIX) not in known or key.startswith(_OWN_KEY_PREFIX)
    ]
    for question in questions:
        if question.key in answers:
            problem = _shape_error(question, answers[question.key])
            if problem:
                errors.append({"key": question.key, "message": problem})
    return errors


def _form_errors(questions: list[Question], page_key: str, form: engine.PageForm) -> Problems:
    return [
        {"key": _key_of(questions, page_key, field), "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


def checked_answers(
    definition: NotificationType,
    answers: dict[str, Any],
    context: engine.EngineContext,
    seed: dict[str, Any],
    defaults: dict[str, Any],
) -> tuple[dict[str, Any], Problems]:
    """The answers as the portal stores them, and the errors (empty when they are complete
    and valid). `seed` holds what the portal works out (context answers), `defaults` what it
    fills in unless the client answers (the submitter's name and email, as on the web)."""
    questions = list(definition.questions())
    known = {q.key for q in questions}
    errors = _input_errors(questions, answers, "This is not a question of this notification type.")
    if errors:
        return {}, errors
    merged = {**defaults, **{k: v for k, v in answers.items() if k in known}, **seed}
    for key, value in answers.items():
        if key.endswith(CONFIRM_SUFFIX) and key.removesuffix(CONFIRM_SUFFIX) in known:
            merged[key] = value
    stored = dict(seed)
    for page in engine.visible_pages(definition, merged):
        form = engine.build_form(
            definition,
            page,
            answers=merged,
            context=context,
            data=engine.data_from_answers(page, merged),
        )
        if not form.is_valid():
            errors += _form_errors(questions, page.key, form)
            continue
        stop = engine.stop_reason(page, merged)
        if stop:
            errors.append(
                {"key": page.questions[0].key if page.questions else page.key, "message": stop}
            )
            continue
        stored = engine.merge_answers(stored, form.page_answers())
    return engine.prune(definition, stored), errors


@dataclass(frozen=True)
class FollowUpForm(FormDefinition):
    """A follow-up's pages as a form of their own (for its JSON Schema)."""

    sections: tuple[Section, ...]


def follow_up_schema(definition: NotificationType, follow_up: FollowUpKind) -> dict[str, Any]:
    """The answers of one kind of structured update, as JSON Schema (draft 2020-12)."""
    form = FollowUpForm(sections=(Section(follow_up.key, follow_up.name, follow_up.pages),))
    return json_schema(
        form,
        schema_id=f"urn:notification:{definition.slug}:v{definition.version}"
        f":follow-up:{follow_up.key}",
        title=follow_up.name,
        description=f"A structured update to a notification: {definition.name}",
    )


def checked_follow_up(
    definition: NotificationType,
    follow_up: FollowUpKind,
    answers: dict[str, Any],
    context: engine.EngineContext,
) -> tuple[dict[str, Any], Problems]:
    """A structured update's answers as the portal stores them, and their errors: each of
    its pages' forms, as the web's "add an update" page builds them."""
    questions = [q for page in follow_up.pages for q in page.questions]
    errors = _input_errors(questions, answers, "This is not a question of this update.")
    if errors:
        return {}, errors
    stored: dict[str, Any] = {}
    for page in follow_up.pages:
        form = engine.build_form(
            definition,
            page,
            answers={},
            context=context,
            data=engine.data_from_answers(page, answers),
        )
        if form.is_valid():
            stored.update({k: v for k, v in form.page_answers().items() if v is not None})
        else:
            errors += _form_errors(questions, page.key, form)
    return stored, errors
