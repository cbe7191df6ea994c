"""ReadyChoices: a large list of choices is handed to the field and its widget as it is, and
behaves as the same list would (validation, rendering, truth, indexing)."""

from django import forms

from portal.frontend.choices import ReadyChoices

PAIRS = [(f"1-{n}", f"Location {n}") for n in range(1_000)]


class _Form(forms.Form):
    many = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(widget=forms.RadioSelect)


def _form(data=None, choices=None):
    form = _Form(data)
    for name in ("many", "one"):
        field = form.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices if choices is not None else ReadyChoices(PAIRS)
    return form


def test_the_field_and_its_widget_share_the_pairs_without_copying_them():
    form = _form()
    field = form.fields["many"]
    assert isinstance(field.choices, ReadyChoices)
    assert field.choices.pairs is field.widget.choices.pairs
    assert len(field.choices) == 1_000
    assert field.choices[999] == ("1-999", "Location 999")
    assert not ReadyChoices([])


def test_it_validates_as_the_plain_list_does():
    for choices in (ReadyChoices(PAIRS), list(PAIRS)):
        good = _form({"many": ["1-0", "1-999"], "one": "1-500"}, choices)
        assert good.is_valid(), good.errors
        assert good.cleaned_data == {"many": ["1-0", "1-999"], "one": "1-500"}
        bad = _form({"many": ["1-0", "1-1000"], "one": "<script>"}, choices)
        assert not bad.is_valid()
        assert set(bad.errors) == {"many", "one"}


def test_it_renders_as_the_plain_list_does():
    ready = str(_form(choices=ReadyChoices(PAIRS[:5]))["one"])
    plain = str(_form(choices=list(PAIRS[:5]))["one"])
    assert ready == plain
    assert "Location 4" in ready
