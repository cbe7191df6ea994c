"""Forms around the engine's pages: choosing what to notify, history filters, the thread."""

from collections.abc import Sequence
from typing import Any

from django import forms

from portal.forms.fields import PortalCharField, confirmation, limited_text, long_text
from portal.frontend.govuk_fields import GovukDateField, offer, radios
from portal.notifications.catalogue import CATALOGUE
from portal.notifications.catalogue.schema import NotificationType
from portal.notifications.location_choice import LocationChoice
from portal.notifications.models import NotificationStatus
from portal.notifications.references import normalise
from portal.organisations.forms import ProviderChoiceForm
from portal.register.location_picker import (
    SEARCH_MAX_LENGTH,
    LocationField,
    LocationOption,
    is_picker_step,
)

PROVIDER_AS_A_WHOLE = "provider"


class ChooseProviderForm(ProviderChoiceForm):
    provider = radios(
        "Which provider is this notification for?", "Select the provider this notification is for"
    )


class ChooseLocationForm(forms.Form):
    """Radios for a few locations; the location picker (search, groupings, pages of radios)
    for many. A POST from a picker button is a step, not an answer: shown again, unjudged."""

    location = LocationField(
        label="Which location is this notification about?",
        error_messages={
            "required": "Select the location this notification is about",
            "invalid_choice": "Select the location this notification is about",
        },
    )

    def __init__(
        self, data: Any = None, *, choice: LocationChoice, provider_id: str, whole_provider: bool
    ):
        super().__init__(None if is_picker_step(data) else data)
        field = self.fields["location"]
        assert isinstance(field, LocationField)
        extra: list[tuple[str, str]] = []
        hints = dict(choice.addresses)
        if whole_provider:
            extra = [("divider", "or"), (PROVIDER_AS_A_WHOLE, "The provider as a whole")]
            hints[PROVIDER_AS_A_WHOLE] = (
                "For changes to the provider’s registered details, such as its name, "
                "directors or nominated individual"
            )
        field.offer(
            choice.options,
            data=data,
            initial_ids=[],
            provider_id=provider_id,
            extra=extra,
            type_names=choice.type_names,
        )
        field.choice_hints = hints


class ChooseTypeForm(forms.Form):
    notification_type = radios(
        "What do you need to tell us about?", "Select what you need to tell us about"
    )

    def __init__(self, *args: Any, types: list[NotificationType], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["notification_type"]
        options: list[tuple[str, str]] = []
        last_group = ""
        for definition in types:
            if last_group and definition.group != last_group:
                options.append(("divider", "or"))
            last_group = definition.group
            options.append((definition.slug, definition.name))
        offer(field, options, {d.slug: d.deadline.describe() for d in types})


class HelperForm(forms.Form):
    situation = radios(
        "What has happened, or is about to happen?",
        "Select what has happened, or is about to happen",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offer(
            self.fields["situation"],
            [(d.slug, d.helper_text or d.name) for d in CATALOGUE.current_types()],
        )


class DeclarationForm(forms.Form):
    confirmed = confirmation(
        "I confirm this declaration", "Confirm the declaration to send the notification"
    )


class HistoryFilterForm(forms.Form):
    reference = limited_text(
        "Reference number", 40, "Reference number", help_text="For example, NOT-0000-0427"
    )
    location = forms.ChoiceField(label="Location", required=False)
    notification_type = forms.ChoiceField(label="Type", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    submitted_from = GovukDateField(
        label="Sent on or after", name="Sent on or after", required=False
    )
    submitted_to = GovukDateField(
        label="Sent on or before", name="Sent on or before", required=False
    )

    def __init__(
        self, *args: Any, locations: Sequence[LocationOption], search: bool = False, **kwargs: Any
    ):
        """`search`: too many locations for a list, so the location is searched for by name,
        town, postcode or ID (the location picker's search) and `locations` is not used."""
        super().__init__(*args, **kwargs)
        self.searches_locations = search
        if search:
            self.fields["location"] = PortalCharField(
                label="Location",
                required=False,
                max_length=SEARCH_MAX_LENGTH,
                help_text="Name, town, postcode or location ID",
                error_messages={
                    "max_length": f"Location must be {SEARCH_MAX_LENGTH} characters or fewer"
                },
            )
        else:
            self.fields["location"].choices = self.location_choices(locations)  # type: ignore[attr-defined]
        self.fields["notification_type"].choices = self.type_choices()  # type: ignore[attr-defined]
        self.fields["status"].choices = self.status_choices()  # type: ignore[attr-defined]

    # The choices, apart from the form: history_filters keys the fields' HTML by them.
    @staticmethod
    def location_choices(locations: Sequence[LocationOption]) -> list[tuple[str, str]]:
        return [("", "All locations")] + [(option.id, option.name) for option in locations]

    @staticmethod
    def type_choices() -> list[tuple[str, str]]:
        return [("", "All types")] + [(d.slug, d.name) for d in CATALOGUE.current_types()]

    @staticmethod
    def status_choices() -> list[tuple[str, str]]:
        return [("", "All statuses"), *NotificationStatus.choices]

    def clean_reference(self) -> str:
        typed = self.cleaned_data.get("reference", "").strip()
        if not typed:
            return ""
        reference = normalise(typed)
        if reference is None:
            raise forms.ValidationError(
                "Enter a reference number in the correct format, like NOT-0000-0427. Check "
                "each digit: the last one is a check digit"
            )
        return reference

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and end < start:
            self.add_error(
                "submitted_to", "Sent on or before must be the same as or after Sent on or after"
            )
        return cleaned


class UpdateForm(forms.Form):
    body = long_text(
        "What new information do you have?",
        "Enter the new information",
        "New information",
        hint="Do not name people who use the service. Use your identifiers for them.",
    )


class AnswerForm(forms.Form):
    body = long_text("Your answer", "Enter your answer", "Your answer")


class QuestionForm(forms.Form):
    body = long_text(
        "What do you need to ask the provider?",
        "Enter your question for the provider",
        "Your question",
    )


class RejectForm(forms.Form):
    reason = long_text(
        "Why are you rejecting this change?",
        "Enter the reason for rejecting the change",
        "The reason",
        hint="The provider will see this",
    )


class CloseForm(forms.Form):
    reason = limited_text(
        "Note for the record (optional)",
        2_000,
        "The note",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
