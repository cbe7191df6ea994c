"""Check a notification's answers as the web pages would, all at once: every visible page's
form, built from the answers as stored JSON, and every error against its answer's key."""

import datetime as dt
from typing import Any

from portal.forms import engine
from portal.forms.fields import CONFIRM_SUFFIX
from portal.forms.vocabulary import Kind, Question
from portal.notifications.catalogue.schema import NotificationType

# Answers the portal works out itself (the provider's kind): clients never send them.
_OWN_KEY_PREFIX = "context."


def _key_of(definition: NotificationType, page_key: str, field: str) -> str:
    """The answer key a form error belongs to (a date's parts and a confirmation box are
    parts of their question)."""
    if field == "__all__":
        return page_key
    for question in definition.questions():
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


def checked_answers(
    definition: NotificationType,
    answers: dict[str, Any],
    context: engine.EngineContext,
    seed: dict[str, Any],
    defaults: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The answers as the portal stores them, and the errors (empty when they are complete
    and valid). `seed` holds what the portal works out (context answers), `defaults` what it
    fills in unless the client answers (the submitter's name and email, as on the web)."""
    known = {q.key for q in definition.questions()}
    errors = [
        {"key": key, "message": "This is not a question of this notification type."}
        for key in answers
        if key.removesuffix(CONFIRM_SUFFIX) not in known or key.startswith(_OWN_KEY_PREFIX)
    ]
    for question in definition.questions():
        if question.key in answers:
            problem = _shape_error(question, answers[question.key])
            if problem:
                errors.append({"key": question.key, "message": problem})
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
            for field, messages in form.errors.items():
                for message in messages:
                    errors.append(
                        {"key": _key_of(definition, page.key, field), "message": str(message)}
                    )
            continue
        stop = engine.stop_reason(page, merged)
        if stop:
            errors.append(
                {"key": page.questions[0].key if page.questions else page.key, "message": stop}
            )
            continue
        stored = engine.merge_answers(stored, form.page_answers())
    return engine.prune(definition, stored), errors
