"""The dashboards page and each chart's CSV, for staff who hold VIEW_DASHBOARDS."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.access import requires
from portal.casework.dashboards import charts, export, figures, snapshots
from portal.staff.models import Team
from portal.staff_permissions import StaffPermission

VIEW = StaffPermission.VIEW_DASHBOARDS.required


class DashboardFilterForm(forms.Form):
    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    weeks = forms.TypedChoiceField(
        label="Period",
        required=False,
        coerce=int,
        empty_value=figures.DEFAULT_PERIOD_WEEKS,  # type: ignore[arg-type]
        choices=[(str(weeks), f"Last {weeks} weeks") for weeks in figures.PERIOD_WEEKS],
        error_messages={"invalid_choice": "Select a period from the list"},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        field: Any = self.fields["team"]
        field.choices = [("", "All teams"), *((pk, team.name) for pk, team in self.teams.items())]

    def filters(self) -> figures.Filters:
        if not self.is_valid():
            return figures.Filters()
        team = self.teams.get(self.cleaned_data["team"])
        return figures.Filters(team=team, weeks=self.cleaned_data["weeks"])


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, figures.Filters]:
    data = request.GET.copy()
    # The period list shows the period the figures are for, not its first option.
    data.setdefault("weeks", str(figures.DEFAULT_PERIOD_WEEKS))
    form = DashboardFilterForm(data, teams=list(Team.objects.order_by("name")))
    # Bad filters are reported on the page and every team's figures are shown: none guessed.
    return form, form.filters()


def _figures(filters: figures.Filters) -> tuple[figures.Figures, dt.datetime]:
    """The worker's snapshot when it is fresh; else live from the cases (and as of now)."""
    found = snapshots.stored(filters)
    if found is not None:
        return found
    return figures.compute(filters, timezone.localdate()), timezone.now()


def _query(filters: figures.Filters) -> str:
    chosen = {"team": filters.team.pk if filters.team else "", "weeks": filters.weeks}
    return urlencode({name: value for name, value in chosen.items() if value})


@requires(VIEW)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    figs, taken_at = _figures(filters)
    return render(
        request,
        "casework/dashboards.html",
        {
            "form": form,
            "filters": filters,
            "charts": charts.every_chart(figs),
            "query": _query(filters),
            "taken_at": taken_at,
        },
    )


@requires(VIEW)
@require_safe
def chart_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    build = charts.CHARTS.get(slug)
    if build is None:
        raise Http404("No such chart")
    _form, filters = _filters(request)
    figs, taken_at = _figures(filters)
    team = f"-team-{filters.team.pk}" if filters.team else ""
    name = f"{slug}{team}-{filters.weeks}-weeks-{timezone.localdate(taken_at)}.csv"
    return export.csv_response(build(figs), name)
