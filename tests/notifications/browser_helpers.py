"""Driving the notification pages in a real browser, as a person with a keyboard would."""

import datetime as dt
import re
from typing import Any

from portal.forms.engine import EngineContext
from portal.forms.vocabulary import Kind
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.samples import valid_answer


def fill_page(
    page: Any,
    definition: NotificationType,
    page_key: str,
    context: EngineContext,
    overrides: dict[str, Any] | None = None,
) -> None:
    """Answer every visible question on one page, by label and input name."""
    overrides = overrides or {}
    form_page = definition.require_page(page_key)
    assert form_page is not None
    for question in form_page.questions:
        value = overrides.get(question.key, valid_answer(question, context))
        key = question.key
        if question.kind in (Kind.CHOICE, Kind.YES_NO, Kind.REGISTERED_PERSON):
            target = page.locator(f"input[name='{key}'][value='{value}']")
            if target.count() and target.first.is_visible():
                target.first.check()
        elif question.kind == Kind.MULTI_CHOICE:
            for item in value:
                target = page.locator(f"input[name='{key}'][value='{item}']")
                if target.count() and target.first.is_visible():
                    target.first.check()
        elif question.kind == Kind.DATE:
            day = page.locator(f"input[name='{key}-day']")
            if day.count() and day.is_visible():
                when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
                day.fill(str(when.day))
                page.locator(f"input[name='{key}-month']").fill(str(when.month))
                page.locator(f"input[name='{key}-year']").fill(str(when.year))
        else:
            field = page.locator(f"[name='{key}']")
            if field.count() and field.first.is_visible():
                field.first.fill(str(value))


DRAFT_PAGE = re.compile(r"/notifications/drafts/[0-9a-f-]+/(?P<key>[a-z0-9-]+)/$")


def walk_draft(
    page: Any,
    definition: NotificationType,
    context: EngineContext,
    overrides: dict[str, Any] | None = None,
    on_page: Any = None,
) -> None:
    """From a draft's first page (or task list) to its check-your-answers page."""
    for _ in range(60):
        url = page.url.split("?")[0]
        if url.endswith("/check/"):
            return
        match = DRAFT_PAGE.search(url)
        if match and match["key"] not in ("check", "delete"):
            if on_page:
                on_page(page)
            fill_page(page, definition, match["key"], context, overrides)
            page.get_by_role("button", name="Save and continue").click()
            page.wait_for_load_state()
            continue
        # The task list: open the first section not yet completed, or go to check answers.
        todo = page.locator(".govuk-task-list__item:has(.govuk-tag) a")
        if todo.count():
            if on_page:
                on_page(page)
            todo.first.click()
        else:
            page.get_by_role("button", name="Check your answers").click()
        page.wait_for_load_state()
    raise AssertionError(f"Did not reach check your answers; stuck at {page.url}")
