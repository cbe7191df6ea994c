"""Questions that depend on an answer on the same page are revealed in place, inside the
radio or checkbox that asks them (GOV.UK conditional reveal), in every notification type;
the server still asks for them only when that answer is given."""

import pytest
from django.template import engines

from portal.forms import engine
from portal.notifications.catalogue import CATALOGUE
from tests.support.html import Page, classes, text

QUESTION = engines["jinja2"].from_string(
    '{% import "forms/_macros.html" as m %}'
    "{% for q in form.top_level() %}{{ m.question(form, q) }}{% endfor %}"
)
CONTEXT = engine.EngineContext(registered_people=(("P-1", "Pat Example"),))


def _pages_with_reveals():
    for definition in CATALOGUE.current_types():
        for page in definition.pages():
            keys = {q.key for q in page.questions}
            if any(q.condition and q.condition.question in keys for q in page.questions):
                yield definition, page


def _form(definition, page, data=None):
    return engine.build_form(definition, page, answers={}, context=CONTEXT, data=data)


def _ancestors(root):
    parents = {child: parent for parent in root.iter() for child in parent}
    return parents


@pytest.mark.parametrize(
    ("definition", "page"),
    [pytest.param(d, p, id=f"{d.slug}:{p.key}") for d, p in _pages_with_reveals()],
)
def test_dependent_questions_are_inside_the_answer_that_reveals_them(definition, page):
    form = _form(definition, page)
    html = QUESTION.render({"form": form})
    tree = Page(html)
    parents = _ancestors(tree.root)
    on_page = {q.key for q in form.questions}
    for question in form.questions:
        condition = question.condition
        if not condition or condition.question not in on_page:
            continue
        inputs = [el for el in tree.iter() if el.get("name", "").startswith(question.key)]
        inputs = inputs or [
            el for el in tree.iter() if el.get("name", "").startswith(f"{question.key}-")
        ]
        assert inputs, f"{question.key} is not on the page"
        holder = parents[inputs[0]]
        while holder is not None and not (
            {"govuk-radios__conditional", "govuk-checkboxes__conditional"} & classes(holder)
        ):
            holder = parents.get(holder)
        assert holder is not None, f"{question.key} is not inside a conditional reveal"
        controls = [
            el
            for el in tree.iter()
            if holder.get("id")
            and el.get("data-aria-controls") == holder.get("id")
            and el.get("name") == condition.question
        ]
        if len(condition.values) == 1:
            assert [el.get("value") for el in controls] == list(condition.values), question.key
            assert "If you selected" not in text(holder)
        else:
            # Asked by several answers: shown after its question, saying which answers.
            assert not controls
            assert "If you selected" in text(holder)


def test_reveals_cover_every_type_that_has_them():
    revealing = {definition.slug for definition, _ in _pages_with_reveals()}
    assert len(revealing) >= 15


@pytest.mark.parametrize(
    ("definition", "page"),
    [pytest.param(d, p, id=f"{d.slug}:{p.key}") for d, p in _pages_with_reveals()],
)
def test_a_revealed_question_is_required_only_when_its_answer_is_chosen(definition, page):
    from portal.notifications.samples import post_data

    data = post_data(page, CONTEXT)
    on_page = {q.key for q in page.questions}
    for question in page.questions:
        condition = question.condition
        if not (condition and condition.question in on_page and question.required):
            continue
        parent = definition.question(condition.question)
        chosen = sorted(condition.values)[0]
        other = next((c.value for c in parent.choices if c.value not in condition.values), None)
        asked = {**data, condition.question: [chosen] if parent.kind == "multi_choice" else chosen}
        asked.pop(question.key, None)
        for part in ("day", "month", "year"):
            asked.pop(f"{question.key}-{part}", None)
        form = _form(definition, page, asked)
        form.is_valid()
        assert question.key in form.errors, (question.key, chosen)
        if other is not None:
            not_asked = {
                **asked,
                condition.question: [other] if parent.kind == "multi_choice" else other,
            }
            form = _form(definition, page, not_asked)
            form.is_valid()
            assert question.key not in form.errors, (question.key, other)
