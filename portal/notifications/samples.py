"""Example answers for any question of any definition: for tests that walk every type, the
benchmark and demo data. Each is what a careful person would type."""

import datetime as dt
from typing import Any

from django.utils import timezone

from portal.forms import engine
from portal.forms.models import PostedPage
from portal.forms.vocabulary import Kind, Page, Question
from portal.notifications.catalogue.schema import NotificationType, NotifyingFor


def valid_answer(question: Question, context: engine.EngineContext) -> Any:
    """A value as a person would type it (strings, and lists for checkboxes)."""
    stopping = {value for value, _ in question.stops}
    kind = question.kind
    if kind in (Kind.CHOICE, Kind.YES_NO):
        return next(c.value for c in question.choices if c.value not in stopping)
    if kind == Kind.MULTI_CHOICE:
        return [question.choices[0].value]
    if kind == Kind.REGISTERED_PERSON:
        return context.registered_people[0][0]
    if kind == Kind.DATE:
        return timezone.localdate() - dt.timedelta(days=1)
    if kind == Kind.TIME:
        return "14:30"
    if kind == Kind.NUMBER:
        return str(max(question.min_value or 0, 1))
    if kind == Kind.EMAIL:
        return "someone@provider.example"
    if kind == Kind.PHONE:
        return "01632 960 001"
    if kind == Kind.POSTCODE:
        return "SW1A 1AA"
    if kind == Kind.IDENTIFIER:
        return "PR-0042"
    if kind == Kind.LONG_TEXT:
        return "What happened, described in enough detail for the regulator."
    if kind == Kind.FILE:
        return None  # files are uploaded, not typed: each file question here has a text twin
    return "Example answer"


def post_data(
    page: Page, context: engine.EngineContext, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Form data for every question on the page (the form ignores those that do not apply)."""
    data: dict[str, Any] = {}
    for question in page.questions:
        if question.kind == Kind.FILE:
            continue
        value = (overrides or {}).get(question.key, valid_answer(question, context))
        if question.kind == Kind.DATE and isinstance(value, dt.date):
            data[f"{question.key}-day"] = str(value.day)
            data[f"{question.key}-month"] = str(value.month)
            data[f"{question.key}-year"] = str(value.year)
        else:
            data[question.key] = value
    return data


def complete_answers(
    definition: NotificationType,
    context: engine.EngineContext,
    seed: dict[str, Any],
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fill a draft's answers page by page through the engine, as the pages would."""
    answers = dict(seed)
    for _ in range(50):
        todo = engine.incomplete_pages(definition, answers, context)
        if not todo:
            return answers
        page = todo[0]
        form = engine.build_form(
            definition,
            page,
            answers=answers,
            context=context,
            data=post_data(page, context, overrides),
        )
        if not form.is_valid():
            raise ValueError(f"{definition.slug} {page.key}: {form.errors.as_json()}")
        answers = engine.prune(definition, engine.merge_answers(answers, form.page_answers()))
    raise ValueError(f"{definition.slug}: pages never completed")


def ownership_for(definition: NotificationType) -> str:
    """A kind of provider this type applies to (at a location with every activity)."""
    for ownership in ("Organisation", "Partnership", "Individual"):
        target = NotifyingFor(
            ownership_type=ownership,
            location_chosen=definition.scope.location,
            activity_names=frozenset({"Mental Health Act"}),
            service_type_names=frozenset({"mental health", "Doctors/GPs"}),
        )
        if definition.refusal(target) is None:
            return ownership
    raise ValueError(f"No kind of provider fits {definition.slug}")


def filled_draft(
    *,
    definition: NotificationType,
    user: Any,
    provider: Any,
    location: Any,
    overrides: dict[str, Any] | None = None,
    answers: dict[str, Any] | None = None,
) -> Any:
    """Start a draft and fill every page through the services, as the pages would. Pass
    `answers` worked out earlier for the same type and place to skip working them out."""
    from portal.notifications import engine_contexts, services

    draft = services.start_draft(
        user=user, provider=provider, location=location, definition=definition
    )
    if answers is None:
        context = engine_contexts.engine_context(definition, draft.provider_id, draft.location_id)
        answers = complete_answers(definition, context, dict(draft.answers), overrides)
    return save_every_page(draft, user, answers)


def save_every_page(draft: Any, user: Any, answers: dict[str, Any], complete: bool = True) -> Any:
    """Save the answers to every page of the draft at once, through the service the pages
    call one page at a time. Returns the draft as saved."""
    from portal.notifications import services

    return services.save_page(
        draft_id=draft.pk, user=user, posted=PostedPage("all", answers, complete=complete)
    ).draft


def submit_example(
    *,
    definition: NotificationType,
    user: Any,
    provider: Any,
    location: Any,
    overrides: dict[str, Any] | None = None,
) -> Any:
    """Start, fill and submit one notification through the services, as the pages would."""
    from portal.notifications import services

    draft = filled_draft(
        definition=definition,
        user=user,
        provider=provider,
        location=location,
        overrides=overrides,
    )
    return services.submit_draft(draft_id=draft.pk, user=user, declaration_confirmed=True)
