from collections.abc import Mapping

from django import forms

from portal.forms.fields import PortalCharField
from portal.register.selectors import SearchKind

MAX_QUERY = 100


class RegisterSearchForm(forms.Form):
    q = PortalCharField(
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


def _location_query(label: str) -> PortalCharField:
    """The optional box for searching one provider's locations, under `label`."""
    return PortalCharField(
        label=label,
        help_text="By name, town, postcode or location ID",
        max_length=MAX_QUERY,
        required=False,
        error_messages={"max_length": f"Search must be {MAX_QUERY} characters or fewer"},
    )


class LocationSearchForm(forms.Form):
    """Searching the locations on "Your registration" (from the query string)."""

    q = _location_query("Search your locations")
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def __init__(self, data: Mapping[str, str]):
        # Control characters are in no location's name: dropped, not searched for or echoed.
        super().__init__(
            {
                name: "".join(c for c in value if c.isprintable())
                for name, value in data.items()
                if name in ("q", "page")
            }
        )

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1


class CertificateLocationSearchForm(LocationSearchForm):
    """Searching the locations on the certificate's web page (from the query string)."""

    q = _location_query("Search the locations on this certificate")
