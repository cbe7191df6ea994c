from django import forms

from portal.register.selectors import SearchKind

MAX_QUERY = 100


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label="Search the register",
        help_text="A provider or location ID, a name, a postcode, or a person's name, reference or email",
        max_length=MAX_QUERY,
        error_messages={
            "required": "Enter a provider or location ID, a name, a postcode or a person's name",
            "max_length": f"Search must be {MAX_QUERY} characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Search for",
        choices=SearchKind.choices,
        initial=SearchKind.LOCATIONS,
        widget=forms.Select,
        required=False,
        error_messages={"invalid_choice": "Select locations, providers or people"},
    )

    def clean_q(self) -> str:
        value = " ".join(str(self.cleaned_data["q"]).split())
        if not value:
            raise forms.ValidationError(
                "Enter a provider or location ID, a name, a postcode or a person's name"
            )
        if "\x00" in value:
            raise forms.ValidationError("Search must only contain letters, numbers and spaces")
        return value

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or SearchKind.LOCATIONS)
