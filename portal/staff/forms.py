"""Staff administration forms. They check shape (required, length, choices); the services
check the rest (the regulator's domain, duplicates, the last administrator) and their
refusals are shown against the field they name."""

from typing import Any

from django import forms

from portal.errors import ServiceError
from portal.staff.models import Team
from portal.staff.roles import Region, Sector, StaffRole
from portal.staff.services import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, REASON_MAX_LENGTH

ROLE_HINTS = {
    StaffRole.INSPECTOR: "Sees cases and decides on notifications",
    StaffRole.REGISTRATION_ASSESSOR: "Sees cases and assesses registration applications",
    StaffRole.TEAM_LEADER: "Everything an inspector and assessor do, plus assigning work and dashboards",
    StaffRole.ADMINISTRATOR: "Manages staff, teams and accounts",
}


class ChoicesWithHints(forms.MultipleChoiceField):
    choice_hints: dict[str, str]


def _roles_field() -> ChoicesWithHints:
    field = ChoicesWithHints(
        label="Roles",
        choices=StaffRole.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one role",
            "invalid_choice": "Select roles from the list",
        },
    )
    field.choice_hints = {str(role): hint for role, hint in ROLE_HINTS.items()}
    return field


def _teams_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Teams",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Cases come to a team by region and sector",
        error_messages={"invalid_choice": "Select teams from the list"},
    )


class RefusalsShown:
    """A service's refusal goes against the field it names, or above the form."""

    fields: dict[str, Any]

    def add_refusal(self, refusal: ServiceError) -> None:
        field = refusal.field if refusal.field in self.fields else None
        self.add_error(field, refusal.message)  # type: ignore[attr-defined]


class _RolesAndTeamsForm(RefusalsShown, forms.Form):
    roles = _roles_field()
    teams = _teams_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        teams = self.fields["teams"]
        assert isinstance(teams, forms.MultipleChoiceField)
        teams.choices = [(str(team.pk), team.name) for team in Team.objects.order_by("name")]


class InviteForm(_RolesAndTeamsForm):
    email = forms.CharField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Their own work address at the regulator. We will send the invitation there",
        error_messages={
            "required": "Enter their email address",
            "max_length": f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their full name",
            "max_length": f"Full name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    field_order = ["email", "full_name", "roles", "teams"]


class MemberForm(_RolesAndTeamsForm):
    """A current member's roles and teams, changed by an administrator."""


class EndAccessForm(RefusalsShown, forms.Form):
    reason = forms.CharField(
        label="Why is their access ending? (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the audit log, for example ‘left the regulator’",
        error_messages={
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )


def _place_field(what: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=what.title(),
        choices=[("", f"Choose a {what}"), *choices],
        error_messages={
            "required": f"Select the team's {what}",
            "invalid_choice": f"Select the team's {what} from the list",  # noqa: S608 (words, not SQL)
        },
    )


class TeamForm(RefusalsShown, forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=100,
        error_messages={
            "required": "Enter the team's name",
            "max_length": "The team's name must be 100 characters or fewer",
        },
    )
    region = _place_field("region", Region.choices)
    sector = _place_field("sector", Sector.choices)
