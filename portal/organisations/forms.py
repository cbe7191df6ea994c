"""Forms for delegation pages. Choices offered are only what the person may give; the
services check again whatever is posted."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse

from portal.access import Principal
from portal.forms.fields import PortalCharField, email_field
from portal.frontend.govuk_fields import radios
from portal.organisations.access import scope_for
from portal.organisations.grantable import grantable_options
from portal.organisations.permissions import (
    ACCESS_LEVEL_HINTS,
    ACCESS_LEVEL_LABELS,
    ACCESS_LEVEL_PERMISSIONS,
    AccessLevel,
    levels_for_permissions,
)
from portal.register.location_picker import LocationsField, is_picker_step
from portal.register.models import Provider

WHOLE = "whole"


class EmailForm(forms.Form):
    email = email_field(
        "What is their email address?",
        help_text="Use an address only they use, not a shared mailbox. We will send the invitation there",
        required="Enter their email address",
    )


class MultipleChoiceWithHints(forms.MultipleChoiceField):
    choice_hints: dict[str, str]


class AccessForm(forms.Form):
    """Which access levels to give: only those the actor holds somewhere in the provider."""

    permissions = MultipleChoiceWithHints(
        label="What can they do?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select what they can do",
            "invalid_choice": "Select what they can do from the list",
        },
    )

    def __init__(self, *args: Any, actor: Principal, provider: Provider, **kwargs: Any):
        super().__init__(*args, **kwargs)
        offered = [
            level
            for level, needed in ACCESS_LEVEL_PERMISSIONS.items()
            if all(not scope_for(actor, p, provider).is_empty for p in needed)
        ]
        field = self.fields["permissions"]
        assert isinstance(field, MultipleChoiceWithHints)
        field.choices = [(level.value, ACCESS_LEVEL_LABELS[level]) for level in offered]
        field.choice_hints = {level.value: ACCESS_LEVEL_HINTS[level] for level in offered}

    @staticmethod
    def initial_for(permissions: list[str]) -> dict[str, Any]:
        return {"permissions": [level.value for level in levels_for_permissions(permissions)]}


class LocationsForm(forms.Form):
    """Where the access applies: chosen locations among those whose team the actor manages,
    or (if the actor may give that) the whole provider, including locations added later.

    One list of checkboxes (or, for many locations, the location picker), with "All
    locations" after an "or" divider, rather than radios with a conditional reveal: the
    reveal marks a radio aria-expanded, which is not allowed.

    A POST from a picker button (search, next page, select all, remove) is a step, not an
    answer: the form comes back unbound with what was chosen so far, so nothing is refused.
    """

    locations = LocationsField(
        label="Where can they act?",
        help_text="Select all that apply",
        error_messages={
            "required": "Select where they can act",
            "invalid_choice": "Select locations from the list",
        },
    )

    def __init__(
        self,
        data: Any = None,
        *,
        actor: Principal,
        provider: Provider,
        initial: dict[str, Any] | None = None,
    ):
        step = is_picker_step(data)
        if step:
            initial = {"locations": data.getlist("locations")}
        super().__init__(None if step else data, initial=initial)
        self.may_give_whole = scope_for(actor, "manage_team", provider).whole_provider
        field = self.fields["locations"]
        assert isinstance(field, LocationsField)
        extra: list[tuple[str, str]] = []
        if self.may_give_whole:
            extra = [("divider", "or"), (WHOLE, f"All locations of {provider.name}")]
            field.help_text = (
                "Select the locations, or all locations (which includes any added later)"
            )
        else:
            field.label = "Which of your locations can they act for?"
            field.error_messages["required"] = "Select at least one location"
        options, type_names = grantable_options(actor, provider)
        field.offer(
            options,
            data=data,
            initial_ids=(initial or {}).get("locations") or [],
            provider_id=provider.pk,
            extra=extra,
            type_names=type_names,
        )
        field.search_url = reverse(
            "organisations:location_search", kwargs={"provider_id": provider.pk}
        )

    def clean_locations(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["locations"]
        if "divider" in chosen:
            raise forms.ValidationError("Select locations from the list")
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("locations") or []
        whole = self.may_give_whole and WHOLE in chosen
        data["whole_provider"] = whole
        data["locations"] = [] if whole else chosen
        return data

    @staticmethod
    def initial_for(whole_provider: bool, location_ids: list[str]) -> dict[str, Any]:
        return {"locations": [WHOLE] if whole_provider else location_ids}


class TeamFilterForm(forms.Form):
    """Narrowing the team page's people given access: by name or email, by where they can
    act (a location's name or ID; whole-provider access counts everywhere), by access level.
    Read from the query string, so a filtered page can be bookmarked and paged."""

    q = PortalCharField(
        label="Name or email",
        max_length=100,
        required=False,
        error_messages={"max_length": "Name or email must be 100 characters or fewer"},
    )
    location = PortalCharField(
        label="Location name or ID",
        max_length=100,
        required=False,
        error_messages={"max_length": "Location must be 100 characters or fewer"},
    )
    level = forms.ChoiceField(
        label="Access",
        required=False,
        choices=[("", "Any access")]
        + [(level.value, ACCESS_LEVEL_LABELS[level]) for level in AccessLevel],
        error_messages={"invalid_choice": "Select an access level from the list"},
    )

    def __init__(self, data: Mapping[str, str]):
        # No name, email or location holds a control character: they are dropped, so a NUL
        # is neither searched for nor echoed into the page.
        printable = {
            name: "".join(c for c in value if c.isprintable())
            for name, value in data.items()
            if name in ("q", "location", "level")
        }
        super().__init__(printable)


def chosen_permissions(levels: list[str]) -> list[str]:
    held: set[str] = set()
    for level in levels:
        held |= ACCESS_LEVEL_PERMISSIONS[AccessLevel(level)]
    return sorted(held)


provider_id_format = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]*$",
    "Enter a provider ID in the correct format, like 1-101614751",
)


class JoinForm(forms.Form):
    provider_id = PortalCharField(
        label="Provider ID",
        max_length=20,
        help_text="It is on the provider’s registration certificate and its page on our website, for example 1-101614751",
        validators=[provider_id_format],
        error_messages={
            "required": "Enter the provider ID",
            "max_length": "Provider ID must be 20 characters or fewer",
        },
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
    )
    message = PortalCharField(
        label="What do you need access for? (optional)",
        help_text="For example, your job title and the location you work at",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Your message must be 1000 characters or fewer"},
    )

    def clean_provider_id(self) -> str:
        value: str = self.cleaned_data["provider_id"].strip()
        if not Provider.objects.filter(pk=value).exists():
            raise forms.ValidationError(
                "We cannot find a provider with that ID. Check it against the registration certificate"
            )
        return value


class RefuseForm(forms.Form):
    reason = PortalCharField(
        label="Why are you refusing this request?",
        help_text="We will email this to them",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are refusing the request",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )


class ProviderChoiceForm(forms.Form):
    """One of the given providers, each shown as "Name (ID)". Subclasses declare the
    `provider` field with their own question."""

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [  # type: ignore[attr-defined]
            (provider.pk, f"{provider.name} ({provider.pk})") for provider in providers
        ]


class ChooseProviderForm(ProviderChoiceForm):
    provider = radios(
        "Which provider do you want to act for?", "Select the provider you want to act for"
    )
