"""Forms around the engine's pages: what to apply for, declarations, replies (their free
text is the engine's `long_text`, imported here for the staff forms too)."""

from typing import Any

from django import forms

from portal.applications.definitions.schema import ApplicationType
from portal.forms.fields import confirmation, long_text
from portal.frontend.govuk_fields import offer, radios
from portal.register.models import Location, Provider


class ChooseTypeForm(forms.Form):
    application_type = radios("What do you want to apply for?", "Select what you want to apply for")

    def __init__(self, *args: Any, types: list[ApplicationType], **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(
            self.fields["application_type"],
            [(d.slug, d.name) for d in types],
            {d.slug: d.summary for d in types},
        )


class ChooseProviderForm(forms.Form):
    provider = radios("Which provider is this application for?", "Select the provider")

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(
            self.fields["provider"],
            [(p.pk, p.name) for p in providers],
            {p.pk: f"Provider ID {p.pk}" for p in providers},
        )


class ChooseLocationForm(forms.Form):
    location = radios("Which location is it about?", "Select the location")

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(
            self.fields["location"],
            [(loc.pk, loc.name) for loc in locations],
            {loc.pk: ", ".join(loc.address_lines) for loc in locations if loc.address_lines},
        )


class DeclarationForm(forms.Form):
    confirm = confirmation(
        "I confirm the declaration", "Confirm the declaration to send the application"
    )


class PartDeclarationForm(forms.Form):
    confirm = confirmation("I confirm the declaration", "Confirm the declaration to sign your part")


class ReplyForm(forms.Form):
    body = long_text("Your answer", "Enter your answer", "Your answer")


class RepresentationsForm(forms.Form):
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("choice") == "make" and not (cleaned.get("body") or "").strip():
            self.add_error("body", "Enter your representations")
        return cleaned


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
