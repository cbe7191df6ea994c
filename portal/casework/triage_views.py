"""The bulk triage page: open low-risk notifications, with a checkbox each (triage.py)."""

import datetime as dt
from typing import Any, NamedTuple

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portal.access import requires
from portal.accounts.sessions import signed_in_user
from portal.casework import triage
from portal.errors import ServiceError
from portal.staff_permissions import StaffPermission

PAGE_SIZE = 50


class TriageForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label="Notifications to mark as reviewed",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one notification to mark as reviewed",
            "invalid_choice": "Select notifications from the list",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["cases"]
        field.choices = choices

    def clean_cases(self) -> list[int]:
        chosen = [int(value) for value in self.cleaned_data["cases"]]
        if len(chosen) > triage.MOST_AT_ONCE:
            raise forms.ValidationError(
                f"Select {triage.MOST_AT_ONCE} notifications or fewer at a time"
            )
        return chosen


class Listed(NamedTuple):
    pk: int
    reference: str
    title: str
    provider_name: str | None
    opened_at: dt.datetime


def _listed() -> list[Listed]:
    # Tuples, not fifty cases with their providers: the page shows these five columns.
    rows = triage.low_risk_cases().order_by("opened_at", "id")
    columns = ("pk", "reference", "title", "provider__name", "opened_at")
    return [Listed._make(row) for row in rows.values_list(*columns)[:PAGE_SIZE]]


def _choices(listed: list[Listed]) -> list[tuple[str, str]]:
    return [(str(case.pk), f"{case.reference}: {case.title}") for case in listed]


@requires(StaffPermission.DECIDE_NOTIFICATIONS.required)
@require_http_methods(["GET", "POST"])
def triage_view(request: HttpRequest) -> HttpResponse:
    report: triage.TriageReport | None = None
    listed = _listed()
    choices = _choices(listed)
    form = TriageForm(None, choices=choices)
    status = 200
    if request.method == "POST":
        # A case posted but no longer listed (a colleague triaged it) is still tried, so the
        # report can say what happened to it; any value not a case id is refused.
        posted = [value for value in request.POST.getlist("cases") if value.isdigit()]
        bound = TriageForm(request.POST, choices=choices + [(v, v) for v in posted])
        if bound.is_valid():
            try:
                report = triage.mark_reviewed_in_bulk(
                    case_ids=bound.cleaned_data["cases"],
                    staff=signed_in_user(request),
                    request=request,
                )
            except ServiceError as refused:
                bound.add_error("cases", refused.message)
                form, status = bound, 400
            else:
                listed = _listed()
                form = TriageForm(None, choices=_choices(listed))
        else:
            form, status = bound, 400
    hints = {str(case.pk): _hint(case) for case in listed}
    field: Any = form.fields["cases"]
    field.choice_hints = hints
    return render(
        request,
        "casework/triage.html",
        {"form": form, "listed": listed, "report": report, "page_size": PAGE_SIZE},
        status=status,
    )


def _hint(case: Listed) -> str:
    provider = "No provider" if case.provider_name is None else case.provider_name
    return f"{provider}. Received {case.opened_at:%-d %B %Y}"
