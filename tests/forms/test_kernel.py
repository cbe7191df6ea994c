"""The shared form kernel works for a form that is not a notification: a definition written
in the vocabulary gets fields, validation, stored answers, check-your-answers rows, a JSON
Schema, start-up checks and the page flow, with no notification code. And the kernel sits
below the domains: it imports none of them."""

import ast
import pathlib
from dataclasses import dataclass

from django import forms
from django.urls import reverse

from portal.forms import engine
from portal.forms.checks import check_form
from portal.forms.fields import limited_text
from portal.forms.flow import FlowUrls, PageFlow
from portal.forms.json_schema import json_schema
from portal.forms.vocabulary import Choice, FormDefinition, Kind, Page, Question, Section, show_if
from portal.notifications.models import NotificationDraft
from portal.notifications.views import FLOW


@dataclass(frozen=True)
class ApplicationForm(FormDefinition):
    name: str
    sections: tuple[Section, ...]


YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))
FORM = ApplicationForm(
    name="Apply to add a location",
    sections=(
        Section(
            "about",
            "About the location",
            (
                Page(
                    "address",
                    "Address",
                    (
                        Question("postcode", "Postcode", Kind.POSTCODE, "Enter the postcode"),
                        Question("beds", "Beds", Kind.NUMBER, "Enter the number of beds"),
                    ),
                ),
                Page(
                    "nursing",
                    "Nursing",
                    (
                        Question(
                            "nursing",
                            "Nursing care?",
                            Kind.YES_NO,
                            "Select yes",
                            True,
                            choices=YES_NO,
                        ),
                        Question(
                            "nurses",
                            "How many nurses?",
                            Kind.NUMBER,
                            "Enter how many nurses",
                            condition=show_if("nursing", "yes"),
                        ),
                    ),
                ),
            ),
        ),
    ),
)
CONTEXT = engine.EngineContext()


def test_a_second_client_gets_validation_stored_answers_and_summaries():
    assert check_form(FORM, "application") == []
    page = FORM.require_page("address")
    form = engine.build_form(
        FORM, page, answers={}, context=CONTEXT, data={"postcode": "sw1a1aa", "beds": "x"}
    )
    assert not form.is_valid()
    assert form.errors["beds"] == ["Beds must be a whole number, like 12"]
    assert form.valid_part() == {"postcode": "SW1A 1AA"}
    nursing = FORM.require_page("nursing")
    answers = {"postcode": "SW1A 1AA", "beds": 12, "nursing": "yes"}
    assert not engine.page_is_complete(FORM, nursing, answers, CONTEXT)
    answers["nurses"] = 3
    assert engine.incomplete_pages(FORM, answers, CONTEXT) == []
    # Changing an answer drops the answers it made irrelevant.
    assert "nurses" not in engine.prune(FORM, {**answers, "nursing": "no"})
    rows = engine.summary(FORM, answers, CONTEXT)[0].rows
    assert [(r.label, r.value) for r in rows] == [
        ("Postcode", "SW1A 1AA"),
        ("Beds", "12"),
        ("Nursing care?", "Yes"),
        ("How many nurses?", "3"),
    ]
    schema = json_schema(FORM, schema_id="urn:application:1", title=FORM.name, description="")
    assert schema["required"] == ["postcode", "beds", "nursing"]
    assert schema["properties"]["nurses"]["x-asked-when"] == {
        "question": "nursing",
        "any_of": ["yes"],
    }


def test_start_up_checks_name_the_mistake():
    broken = ApplicationForm(
        name="Broken",
        sections=(
            Section(
                "s",
                "S",
                (Page("p", "P", (Question("a", "A", Kind.TEXT, "", condition=show_if("zz")),)),),
            ),
        ),
    )
    assert check_form(broken, "broken") == [
        "broken: required question 'a' has no error",
        "broken: condition on unknown question 'zz'",
    ]


def test_the_page_flow_is_a_definition_plus_url_names():
    # The notifications pages' URL names serve here: a flow is a definition plus URL names.
    flow = PageFlow(urls=FlowUrls(**vars(FLOW.urls)))
    draft = NotificationDraft(
        answers={"postcode": "SW1A 1AA", "beds": 2}, completed_pages=["address"]
    )
    assert not flow.uses_task_list(FORM)
    after = flow.after_page(FORM, draft, "address", returning_to_check=False, context=CONTEXT)
    assert after["Location"] == reverse("notifications:draft_page", args=[draft.pk, "nursing"])
    assert flow.back_href(FORM, draft, "nursing", False) == reverse(
        "notifications:draft_page", args=[draft.pk, "address"]
    )
    assert flow.back_href(FORM, draft, "address", False) == reverse("notifications:history")
    tasks = PageFlow(urls=flow.urls, task_list_min_pages=1).task_list(FORM, draft, CONTEXT)
    assert [(t.title, t.status) for t in tasks] == [("About the location", "in_progress")]


def test_the_kernel_imports_no_domain_package():
    below = ("portal.notifications", "portal.organisations", "portal.accounts", "portal.register")
    root = pathlib.Path(__file__).resolve().parents[2] / "portal"
    for package in ("forms", "workflow"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                assert not [n for n in names if n.startswith(below)], (path, names)


def test_limited_text_is_optional_unless_told_what_to_ask_and_names_its_limit():
    class Form(forms.Form):
        name = limited_text("Name the key", 5, "The name", "Enter a name for the key")
        note = limited_text("Note (optional)", 1_500, "The note")

    empty = Form({"name": "", "note": ""})
    assert not empty.is_valid()
    assert empty.errors == {"name": ["Enter a name for the key"]}
    long = Form({"name": "sixsix", "note": "x" * 1_501})
    assert long.errors == {
        "name": ["The name must be 5 characters or fewer"],
        "note": ["The note must be 1,500 characters or fewer"],
    }
    assert Form({"name": "Nouri", "note": ""}).is_valid()
