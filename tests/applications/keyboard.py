"""Driving pages with the keyboard alone, as someone who uses no mouse would: Tab to a field,
type or press Space, arrow keys within a group of radios, Enter on buttons and links. The
only thing not done by keyboard is the operating system's file dialog (the file is set on
the input, then uploaded with the keyboard)."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from portal.forms import engine
from portal.forms.vocabulary import FormDefinition, Kind, Question

MAX_TABS = 400


def is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page: Any, locator: Any) -> None:
    """Press Tab until `locator` has the focus (from wherever the focus is now)."""
    for _ in range(MAX_TABS):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def press(page: Any, locator: Any, key: str = "Enter") -> None:
    tab_to(page, locator)
    page.keyboard.press(key)


def activate_button(page: Any, name: str) -> None:
    press(page, page.get_by_role("button", name=name, exact=True).first)


def activate_and_wait(page: Any, name: str, *, link: bool = False) -> None:
    """Enter on a button (or link) that loads another page, and wait for it."""
    with page.expect_navigation():
        if link:
            follow_link(page, name)
        else:
            activate_button(page, name)


def follow_link(page: Any, name: str) -> None:
    press(page, page.get_by_role("link", name=name).first)


def type_text(page: Any, locator: Any, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose_radio(page: Any, name: str, value: str) -> None:
    """Tab into the group (one tab stop), then arrow keys until `value` is selected."""
    target = page.locator(f"input[type=radio][name='{name}'][value='{value}']")
    size = page.locator(f"input[type=radio][name='{name}']").count()
    for _ in range(MAX_TABS):
        if page.evaluate("n => document.activeElement && document.activeElement.name === n", name):
            break
        page.keyboard.press("Tab")
    for _ in range(2 * size + 1):
        if target.is_checked():
            return
        if is_focused(target):
            page.keyboard.press("Space")
        else:
            page.keyboard.press("ArrowDown")
    raise AssertionError(f"Could not select {value!r} in {name!r}")


def tick(page: Any, locator: Any) -> None:
    if not locator.is_checked():
        press(page, locator, "Space")


def _parts(question: Question, value: Any) -> list[str]:
    if question.kind == Kind.DATE:
        when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return [str(when.day), str(when.month), str(when.year)]
    hour, minute = str(value).split(":")
    return [hour, minute]


def answer_question(page: Any, question: Question, value: Any) -> None:
    key = question.key
    if question.kind in (Kind.CHOICE, Kind.YES_NO, Kind.REGISTERED_PERSON):
        choose_radio(page, key, str(value))
    elif question.kind == Kind.MULTI_CHOICE:
        for item in value:
            tick(page, page.locator(f"input[type=checkbox][name='{key}'][value='{item}']"))
    elif question.kind in (Kind.DATE, Kind.TIME):
        inputs = page.locator(f"input[name^='{key}-']")
        for index, part in enumerate(_parts(question, value)):
            type_text(page, inputs.nth(index), part)
    elif question.kind != Kind.FILE:
        type_text(page, page.locator(f"[name='{key}']").first, str(value))


def answer_page(
    page: Any, definition: FormDefinition, page_key: str, answers: dict[str, Any]
) -> None:
    """Every question of the page that applies and has an answer, in the page's order."""
    form_page = definition.page(page_key)
    assert form_page is not None, page_key
    for question in form_page.questions:
        if question.key in answers and engine.question_applies(definition, question, answers):
            answer_question(page, question, answers[question.key])


def upload(page: Any, folder: Path, question_key: str, name: str, content: bytes) -> None:
    """Choose the file (the operating system's dialog), then "Upload file" by keyboard."""
    chosen = folder / name
    chosen.write_bytes(content)
    page.locator(f"input[type=file][name='{question_key}']").set_input_files(str(chosen))
    button = page.locator(f"button[name='upload_file'][value='{question_key}']")
    press(page, button)
    listed = page.locator(f"[data-file-id]:has-text('{name}')").first
    try:
        listed.or_(page.locator(".govuk-error-summary")).first.wait_for()
    except Exception as waited:
        raise AssertionError(f"{name}: {page.url} shows {_main_text(page)!r}") from waited
    if not listed.count():
        raise AssertionError(f"{name} was not uploaded: {_main_text(page)!r}")


def _main_text(page: Any) -> str:
    """What the page says, for a failure's message."""
    return str(page.evaluate("() => (document.querySelector('main') || document.body).innerText"))


def choose_labelled(page: Any, label: str) -> None:
    """The radio with this label, by keyboard."""
    radio = page.get_by_label(label, exact=True)
    choose_radio(page, radio.get_attribute("name"), radio.get_attribute("value"))


def walk_pages(
    page: Any,
    definition: FormDefinition,
    answers: dict[str, Any],
    page_url: re.Pattern[str],
    until: re.Pattern[str],
    on_page: Callable[[Any], None] | None = None,
) -> None:
    """Answer page after page (and open the next unfinished section from a task list) until
    the URL matches `until`. `page_url` captures the page key as "key"."""
    for _ in range(80):
        page.wait_for_load_state()
        url = page.url.split("?")[0]
        if until.search(url):
            return
        if on_page is not None:
            on_page(page)
        match = page_url.search(url)
        if match:
            answer_page(page, definition, match["key"], answers)
            with page.expect_navigation():
                activate_button(page, "Save and continue")
            errors = page.locator(".govuk-error-summary")
            assert not errors.count(), f"{match['key']}: {errors.inner_text()}"
            continue
        todo = page.locator(".govuk-task-list__item:has(.govuk-tag) a")
        with page.expect_navigation():
            if todo.count():
                press(page, todo.first)
            else:
                press(page, page.get_by_role("button").filter(has_text=re.compile("Check")).first)
    raise AssertionError(f"Stuck at {page.url}")
