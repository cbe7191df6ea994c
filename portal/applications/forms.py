"""Forms around the engine's pages: what to apply for, declarations, replies (their free
text is the engine's `long_text`, imported here for the staff forms too)."""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms

from portal.applications.definitions.schema import ApplicationType
from portal.forms.fields import confirmation, long_text
from portal.frontend.govuk_fields import offer, radios
from portal.register.models import Location, Provider


class _ChooseOne(forms.Form):
    """One radios question (the form's only field) offering the things the view gives as
    `among`, each shown as `option` says: (value, label, hint; no hint when empty)."""

    # Each form declares it (a staticmethod); declared, not stubbed, so mypy checks callers.
    option: Callable[[Any], tuple[Any, str, str]]

    def __init__(self, *args: Any, among: Sequence[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        (field,) = self.fields.values()
        options = [self.option(thing) for thing in among]
        offer(
            field,
            [(value, label) for value, label, _ in options],
            {value: hint for value, _, hint in options if hint},
        )


class ChooseTypeForm(_ChooseOne):
    application_type = radios("What do you want to apply for?", "Select what you want to apply for")

    @staticmethod
    def option(thing: ApplicationType) -> tuple[str, str, str]:
        return thing.slug, thing.name, thing.summary


class ChooseProviderForm(_ChooseOne):
    provider = radios("Which provider is this application for?", "Select the provider")

    @staticmethod
    def option(thing: Provider) -> tuple[str, str, str]:
        return thing.pk, thing.name, f"Provider ID {thing.pk}"


class ChooseLocationForm(_ChooseOne):
    location = radios("Which location is it about?", "Select the location")

    @staticmethod
    def option(thing: Location) -> tuple[str, str, str]:
        return thing.pk, thing.name, ", ".join(thing.address_lines)


class DeclarationForm(forms.Form):
    confirm = confirmation(
        "I confirm the declaration", "Confirm the declaration to send the application"
    )


class PartDeclarationForm(forms.Form):
    confirm = confirmation("I confirm the declaration", "Confirm the declaration to sign your part")


class TextNeededWithChoice(forms.Form):
    """A form whose text answer is needed with one choice only: `text_needed_with` is
    (the choice field, that value, the text field, the error when it is empty)."""

    text_needed_with: tuple[str, str, str, str]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice, value, text, error = self.text_needed_with
        if cleaned.get(choice) == value and not str(cleaned.get(text) or "").strip():
            self.add_error(text, error)
        return cleaned


class ReplyForm(forms.Form):
    body = long_text("Your answer", "Enter your answer", "Your answer")


class RepresentationsForm(TextNeededWithChoice):
    choice = forms.ChoiceField(
        label="Do you want to make representations about our proposal?",
        choices=[
            ("make", "Yes, I want to make representations"),
            ("none", "No, I will not make representations"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you want to make representations",
            "invalid_choice": "Select whether you want to make representations",
        },
    )
    body = long_text(
        "Your representations",
        "Enter your representations",
        "Your representations",
        hint="Why we should not do what we propose, with any evidence",
        required=False,
    )

    text_needed_with = ("choice", "make", "body", "Enter your representations")


class WithdrawForm(forms.Form):
    reason = long_text(
        "Why are you withdrawing the application? (optional)",
        "",
        "The reason",
        required=False,
    )
    confirm = confirmation(
        "I want to withdraw this application", "Confirm that you want to withdraw the application"
    )


class SendBackForm(forms.Form):
    reason = long_text(
        "What needs to change?",
        "Tell them what needs to change",
        "What needs to change",
        hint="We email this to them with a link to their part",
    )


def posted(request: Any) -> Any:
    """The posted data to bind a form to: an empty POST still binds (and shows its errors)."""
    return request.POST if request.method == "POST" else None
