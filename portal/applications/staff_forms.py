"""Forms of the registration assessor's pages: the list's filters and one form per action."""

from typing import Any

from django import forms

from portal.applications.definitions import CATALOGUE
from portal.applications.forms import TextNeededWithChoice, long_text
from portal.applications.models import Application, AppointmentKind
from portal.applications.stages import STAFF_STAGE_NAMES, ProposalKind, Stage
from portal.forms.fields import PortalCharField
from portal.frontend.govuk_fields import GovukDateField, offer, radios

SEARCH_MAX = 100


def _optional_choice(label: str, choices: list[tuple[str, str]], invalid: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "Any"), *choices],
        error_messages={"invalid_choice": invalid},
    )


class ListFilterForm(forms.Form):
    q = PortalCharField(
        label="Reference, provider ID or name",
        required=False,
        max_length=SEARCH_MAX,
        error_messages={"max_length": f"Search for {SEARCH_MAX} characters or fewer"},
    )
    stage = _optional_choice(
        "Stage",
        [(value, STAFF_STAGE_NAMES[value]) for value in Stage.values if value != Stage.DISCARDED],
        "Select a stage from the list",
    )
    type = _optional_choice("Application type", [], "Select an application type from the list")
    mine = forms.BooleanField(label="Only applications I am assessing", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        types = sorted((item.slug, item.name) for item in CATALOGUE.current_types())
        offer(self.fields["type"], [("", "Any"), *sorted(types, key=lambda pair: pair[1])])

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data["q"]).split())


class ConfirmForm(forms.Form):
    """Actions that need no more than a deliberate press of the button."""


class ReturnForm(forms.Form):
    reasons = long_text(
        "Why are you returning the application?",
        "Enter why the application is being returned",
        "The reasons",
        hint="The applicant sees exactly this, with a link to correct the application",
    )
    reopen = forms.MultipleChoiceField(
        label="Parts to reopen for their signer",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each reopened part must be completed and signed again",
        error_messages={"invalid_choice": "Select parts from the list"},
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any):
        super().__init__(*args, **kwargs)
        part_choices = [(str(part.pk), part.name) for part in application.parts.all()]
        if part_choices:
            offer(self.fields["reopen"], part_choices)
        else:
            del self.fields["reopen"]


class RequestInformationForm(forms.Form):
    body = long_text(
        "What information do you need?",
        "Enter what information you need",
        "The request",
        hint="The clock stops until the applicant answers",
    )
    respond_by = GovukDateField(
        label="Answer by (optional)",
        name="The date to answer by",
        required=False,
        future_only=True,
        help_text="For example, 27 3 2027",
    )


class AppointmentForm(forms.Form):
    kind = radios(
        "What are you recording?", "Select interview or site visit", choices=AppointmentKind.choices
    )
    on = GovukDateField(label="Date", name="The date", help_text="For example, 27 3 2027")
    with_whom = PortalCharField(
        label="With whom",
        max_length=200,
        help_text="For example, the nominated individual, or the proposed registered manager",
        error_messages={
            "required": "Enter who the interview or visit is with",
            "max_length": "Who it is with must be 200 characters or fewer",
        },
    )
    notes = long_text("Notes (optional)", "", "The notes", required=False)


class GrantForm(forms.Form):
    agreed_conditions = long_text(
        "Conditions the applicant agreed (optional)",
        "",
        "The conditions",
        hint="One condition a line. Conditions not agreed need a notice of proposal instead",
        required=False,
    )
    reasons = long_text(
        "Notes for the notice of decision (optional)", "", "The notes", required=False
    )


class ProposalForm(TextNeededWithChoice):
    kind = radios("What do you propose?", "Select what you propose", choices=ProposalKind.choices)
    reasons = long_text(
        "Your reasons",
        "Enter the reasons for the proposal",
        "The reasons",
        hint="The notice of proposal must give them",
    )
    conditions = long_text(
        "Conditions (for a grant with conditions)",
        "",
        "The conditions",
        hint="One condition a line",
        required=False,
    )

    text_needed_with = (
        "kind",
        ProposalKind.CONDITIONS,
        "conditions",
        "Enter the conditions you propose",
    )


class RecordedRepresentationsForm(forms.Form):
    body = long_text(
        "The representations, as received",
        "Enter the representations as you received them",
        "The representations",
        hint="Copy the letter or email in full, with the date it arrived. The applicant sees it",
    )


class WithdrawProposalForm(forms.Form):
    reason = long_text(
        "Why is the proposal withdrawn?", "Enter why the proposal is withdrawn", "The reason"
    )


class AdoptProposalForm(forms.Form):
    reasons = long_text(
        "Notes for the notice of decision (optional)", "", "The notes", required=False
    )


class AppealOutcomeForm(forms.Form):
    allowed = radios(
        "What did the tribunal decide?",
        "Select the tribunal's decision",
        choices=[
            ("yes", "Appeal allowed: grant as applied for"),
            ("no", "Appeal dismissed: the decision stands"),
        ],
    )
