from django import forms
from django.core.exceptions import ValidationError

from portal.forms.fields import limited_text
from portal.webhooks.addresses import MAX_URL_LENGTH, clean_url
from portal.webhooks.errors import WebhookError
from portal.webhooks.events import EVENT_LABELS, SUBSCRIBABLE
from portal.webhooks.services import MAX_DESCRIPTION_LENGTH


class EndpointForm(forms.Form):
    url = limited_text(
        "Endpoint address",
        MAX_URL_LENGTH,
        "The address",
        "Enter the address of your endpoint",
        help_text="The https:// address in your care-record software that receives our events",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    description = limited_text(
        "Description (optional)",
        MAX_DESCRIPTION_LENGTH,
        "The description",
        help_text="For example, the name of the system. Only your team sees it",
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
