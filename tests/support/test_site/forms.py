"""A test-only form with every field type later issues use, each with GOV.UK error messages."""

from typing import Any

from django import forms

from portal.frontend.govuk_fields import GovukDateField, GovukTimeField

CONTACT_METHODS = [("email", "Email"), ("phone", "Phone"), ("post", "Post")]
SERVICES = [
    ("care_home", "Care home"),
    ("home_care", "Home care"),
    ("other", "Something else"),
]
REGIONS = [
    ("", "Choose a region"),
    ("london", "London"),
    ("north_west", "North West"),
    ("south_east", "South East"),
]


def contact_method_question() -> forms.ChoiceField:
    """The radios question both forms ask (a field of its own for each form)."""
    return forms.ChoiceField(
        label="How should we contact you?",
        widget=forms.RadioSelect,
        choices=CONTACT_METHODS,
        error_messages={"required": "Select how we should contact you"},
    )


class EveryFieldForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=100,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 100 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    beds = forms.IntegerField(
        label="Number of beds",
        min_value=0,
        max_value=1000,
        error_messages={
            "required": "Enter the number of beds",
            "invalid": "Number of beds must be a whole number, like 12",
            "min_value": "Number of beds must be 0 or more",
            "max_value": "Number of beds must be 1,000 or fewer",
        },
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        max_length=200,
        help_text="Do not include anyone's name",
        error_messages={
            "required": "Enter what happened",
            "max_length": "What happened must be 200 characters or fewer",
        },
    )
    contact_method = contact_method_question()
    phone = forms.CharField(label="Phone number", required=False, max_length=30)
    services = forms.MultipleChoiceField(
        label="Which services do you run?",
        widget=forms.CheckboxSelectMultiple,
        choices=SERVICES,
        error_messages={"required": "Select the services you run"},
    )
    other_service = forms.CharField(label="Describe the service", required=False, max_length=100)
    incident_date = GovukDateField(label="Date of the incident", past_only=True)
    incident_time = GovukTimeField(label="Time of the incident")
    region = forms.ChoiceField(
        label="Region",
        choices=REGIONS,
        error_messages={"required": "Select a region"},
    )
    evidence = forms.FileField(
        label="Upload evidence",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
        },
    )
    confirm = forms.BooleanField(
        label="I confirm the information is correct",
        error_messages={"required": "Confirm the information is correct"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("contact_method") == "phone" and not cleaned.get("phone"):
            self.add_error("phone", "Enter a phone number")
        if "other" in (cleaned.get("services") or []) and not cleaned.get("other_service"):
            self.add_error("other_service", "Describe the service")
        return cleaned


class ContactMethodQuestion(forms.Form):
    """One question on its page: its label is the page's heading."""

    contact_method = contact_method_question()


class EmailQuestion(forms.Form):
    email = forms.EmailField(
        label="What is your email address?",
        help_text="We will only use this to send you updates about your notification",
        error_messages={"required": "Enter your email address"},
    )


class FeeQuestion(forms.Form):
    fee = forms.DecimalField(
        label="Fee paid, in pounds",
        max_digits=8,
        decimal_places=2,
        error_messages={"required": "Enter the fee paid"},
    )
