"""Staff administration forms. They check shape (required, length, choices); the services
check the rest (the regulator's domain, duplicates, the last administrator) and their
refusals are shown against the field they name."""

from typing import Any

from django import forms

from portal.forms.fields import limited_text
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


class _RolesAndTeamsForm(forms.Form):
    roles = _roles_field()
    teams = _teams_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        teams = self.fields["teams"]
        assert isinstance(teams, forms.MultipleChoiceField)
        teams.choices = [(str(team.pk), team.name) for team in Team.objects.order_by("name")]


class InviteForm(_RolesAndTeamsForm):
    email = limited_text(
        "Email address",
        EMAIL_MAX_LENGTH,
        "Email address",
        "Enter their email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Their own work address at the regulator. We will send the invitation there",
    )
    full_name = limited_text(
        "Full name",
        NAME_MAX_LENGTH,
        "Full name",
        "Enter their full name",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["email", "full_name", "roles", "teams"]


class MemberForm(_RolesAndTeamsForm):
    """A current member's roles and teams, changed by an administrator."""


class EndAccessForm(forms.Form):
    reason = limited_text(
        "Why is their access ending? (optional)",
        REASON_MAX_LENGTH,
        "The reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the audit log, for example ‘left the regulator’",
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


class TeamForm(forms.Form):
    name = limited_text("Team name", 100, "The team's name", "Enter the team's name")
    region = _place_field("region", Region.choices)
    sector = _place_field("sector", Sector.choices)
