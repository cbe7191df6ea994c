from django import forms
from django.core.exceptions import ValidationError

from portal.webhooks.addresses import MAX_URL_LENGTH, clean_url
from portal.webhooks.errors import WebhookError
from portal.webhooks.events import EVENT_LABELS, SUBSCRIBABLE
from portal.webhooks.services import MAX_DESCRIPTION_LENGTH


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Endpoint address",
        max_length=MAX_URL_LENGTH,
        strip=True,
        help_text="The https:// address in your care-record software that receives our events",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the address of your endpoint",
            "max_length": f"The address must be {MAX_URL_LENGTH} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        help_text="For example, the name of the system. Only your team sees it",
        error_messages={
            "max_length": f"The description must be {MAX_DESCRIPTION_LENGTH} characters or fewer"
        },
    )
    events = forms.MultipleChoiceField(
        label="Which events should we send?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        choices=[(event.value, EVENT_LABELS[event]) for event in SUBSCRIBABLE],
        error_messages={
            "required": "Select at least one event to send",
            "invalid_choice": "Select events from the list",
        },
    )

    def clean_url(self) -> str:
        try:
            return clean_url(self.cleaned_data["url"])
        except WebhookError as error:
            raise ValidationError(error.message, code=error.code) from error
