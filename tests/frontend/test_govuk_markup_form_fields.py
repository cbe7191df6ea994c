"""What govuk_field and govuk_error_summary pass for real form fields (bound and unbound,
with and without errors) is drawn by the Python renderers themselves, never the fallback, and
exactly as the official macros draw it."""

from typing import Any

import pytest
from django import forms

from portal.frontend import govuk_forms
from portal.frontend.govuk_fields import GovukDateField, GovukTimeField, offer, radios
from portal.frontend.govuk_markup import RENDERERS, official_macro
from tests.frontend.markup_checks import HOSTILE, env

_REVEAL = {"yes": '<div class="govuk-form-group">More about "it" & that</div>'}


class EveryField(forms.Form):
    name = forms.CharField(label=HOSTILE, help_text=HOSTILE, max_length=50)
    email = forms.EmailField(label="Email address")
    count = forms.IntegerField(label="How many", required=False)
    amount = forms.DecimalField(label="Amount", help_text="In pounds")
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}))
    answer = radios("Did it happen?", "Select yes or no")
    kinds = forms.MultipleChoiceField(
        label="Which kinds", widget=forms.CheckboxSelectMultiple, help_text="Select all"
    )
    agree = forms.BooleanField(label="I agree & confirm", help_text="You must")
    when = GovukDateField(label="Date of death", name="Date of death", past_only=True)
    born = GovukDateField(label="Date of birth", required=False)
    at = GovukTimeField(label="Time")
    region = forms.ChoiceField(
        label="Region", choices=[("", "Any"), ("n", HOSTILE)], required=False, help_text="Pick"
    )
    code = forms.CharField(
        label="Code", widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["answer"], [("yes", "Yes"), ("no", HOSTILE)], {"no": HOSTILE})
        offer(
            self.fields["kinds"],
            [("a", "A & B"), ("divider", "or"), ("c", "<c>")],
            {"a": "Hint for a"},
        )
        self.fields["born"].widget.autocomplete_birthday = True


FORMS = {
    "unbound": lambda: EveryField(),
    "unbound with initial": lambda: EveryField(initial={"answer": "yes", "kinds": ["a", "c"]}),
    "empty": lambda: EveryField(data={}),
    "wrong": lambda: EveryField(
        data={
            "name": HOSTILE * 3,
            "email": "not an email",
            "count": "x",
            "amount": "1.5",
            "answer": "maybe",
            "kinds": ["a", "zzz"],
            "when-day": "31",
            "when-month": "2",
            "when-year": "2020",
            "born-day": "1",
            "at": "25:00",
        }
    ),
    "valid": lambda: EveryField(
        data={
            "name": HOSTILE,
            "email": "a@b.example",
            "amount": "2",
            "notes": HOSTILE,
            "answer": "yes",
            "kinds": ["c"],
            "agree": "true",
            "when-day": "1",
            "when-month": "2",
            "when-year": "2020",
            "at": "2pm",
            "code": "1234",
            "region": "n",
        }
    ),
}
CALLS = [
    {},
    {"label_is_heading": True},
    {"label_classes": "govuk-label--s", "classes": "govuk-!-width-full"},
    {"label_classes": "govuk-fieldset__legend--m", "conditional": _REVEAL, "inline": True},
    {"spellcheck": False},
]


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """govuk_forms' macros, each drawing with both the renderer and the official macro."""
    drawn: list[str] = []
    folders = {name: folder for folder, (name, _renderer) in RENDERERS.items()}

    def both(jinja: Any, kind: str) -> Any:
        folder, name = govuk_forms._MACROS[kind]
        official = official_macro(jinja, folder, name)
        if name not in folders:
            return official

        def draw(params: dict[str, Any]) -> Any:
            expected = official(params)
            assert RENDERERS[folders[name]][1](params) == str(expected), params
            drawn.append(name)
            return expected

        return draw

    monkeypatch.setattr(govuk_forms, "_macro", both)
    return drawn


@pytest.mark.parametrize("make", FORMS.values(), ids=FORMS.keys())
@pytest.mark.parametrize("options", CALLS)
def test_every_field(make: Any, options: dict[str, Any], compared: list[str]) -> None:
    form = make()
    for bound in form:
        extra = dict(options)
        if bound.name != "answer":
            extra.pop("inline", None)
            extra.pop("conditional", None)
        if bound.name not in ("name", "email", "count", "code"):
            extra.pop("spellcheck", None)
        govuk_forms.govuk_field(env(), bound, **extra)
    govuk_forms.govuk_error_summary(env(), form, EveryField(data={"name": "x"}))
    # Every kind of field was drawn by a renderer, and the summary (the last form has errors).
    kinds = {"govukInput", "govukTextarea", "govukRadios", "govukCheckboxes", "govukDateInput"}
    kinds.add("govukSelect")
    assert kinds | {"govukErrorSummary"} <= set(compared)
