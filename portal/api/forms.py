"""The form that makes an API key: its name and how long it lives (what it may do and where
come from the delegation forms, portal.organisations.forms)."""

from django import forms

from portal.api.keys import NAME_MAX_LENGTH
from portal.forms.fields import limited_text

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("180", "6 months"), ("365", "1 year")]


class KeyForm(forms.Form):
    name = limited_text(
        "Name the key",
        NAME_MAX_LENGTH,
        "The name",
        "Enter a name for the key",
        help_text="For example, the care-record system that will use it",
    )
    expires_in_days = forms.TypedChoiceField(
        label="When should it expire?",
        choices=EXPIRY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        initial="365",
        error_messages={
            "required": "Select when the key should expire",
            "invalid_choice": "Select when the key should expire from the list",
        },
    )
