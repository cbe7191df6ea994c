"""Delegation pages: choosing the provider to act for, its team, and managing members.
Invitations are in invitation_views, requests to join in join_request_views.

Each view is declared with @requires/@public; provider-scoped views name
an "organisations.<permission>" check (checks.py) that answers 404 for a provider the user
has no access to. Objects (members, invitations, requests) are looked up through selectors
scoped to the viewer, so another provider's, or another location's, answer 404 too."""

from functools import partial
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.access import requires, signed_in_user
from portal.organisations import selectors, services
from portal.organisations.access import providers_for, scope_for
from portal.organisations.errors import DelegationError
from portal.organisations.forms import (
    AccessForm,
    ChooseProviderForm,
    LocationsForm,
    TeamFilterForm,
)
from portal.organisations.models import Membership
from portal.organisations.permissions import ACCESS_LEVEL_PERMISSIONS, AccessLevel, Permission
from portal.organisations.team_rows import (
    TEAM_PAGE_SIZE,
    first_invitation_rows,
    first_join_request_rows,
    first_member_rows,
    location_names_of,
    member_rows,
)
from portal.organisations.team_table_rows import TeamTableRows
from portal.organisations.view_helpers import (
    GET_POST,
    RowText,
    act_then_back_to_team,
    grant_page,
    holder_page,
    href_for,
    page,
    posted,
)
from portal.register.location_picker import location_options, search_results
from portal.register.models import Provider

# Provider switcher -------------------------------------------------------------------


@requires("signed_in")
@require_http_methods(GET_POST)
def providers(request: HttpRequest) -> HttpResponse:
    mine = list(providers_for(request.user))
    form = ChooseProviderForm(posted(request), providers=mine)
    if request.method == "POST" and form.is_valid():
        request.session[selectors.CURRENT_PROVIDER_SESSION_KEY] = form.cleaned_data["provider"]
        chosen = next(p for p in mine if p.pk == form.cleaned_data["provider"])
        messages.success(request, f"You are now acting for {chosen.name}")
        return redirect("organisations:providers")
    current = selectors.current_provider(request, mine)
    return page(
        request,
        "providers.html",
        {
            "form": form,
            "providers": mine,
            "summaries": selectors.my_providers(request.user, mine),
            "current": current,
        },
    )


# Team page ---------------------------------------------------------------------------


def _page_number(request: HttpRequest, name: str = "page") -> int:
    raw = request.GET.get(name, "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1


@requires("organisations.view_team")
@require_safe
def team(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    manages = scope_for(request.user, Permission.MANAGE_TEAM, provider)
    may_manage = not manages.is_empty
    # One page of people at a time; fetching one more than shown says whether there is a
    # next page without a count query.
    number = _page_number(request)
    start = (number - 1) * TEAM_PAGE_SIZE
    filters = TeamFilterForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    level = wanted.get("level")
    filtered = any(wanted.get(name) for name in ("q", "location", "level"))
    # Filters narrow the people given access; the other lists are shown unfiltered, on the
    # first page only.
    first = number == 1 and not filtered
    # The lists show neither who granted access nor where an invitation is for.
    if first:  # what nearly every visit reads: compiled (team_rows)
        sees = scope_for(request.user, Permission.VIEW_TEAM, provider)
        memberships = first_member_rows(provider.pk, sees)
        invitations = first_invitation_rows(provider.pk, sees)
        join_requests = first_join_request_rows(provider.pk, manages)
    else:
        memberships = member_rows(
            selectors.filter_memberships(
                selectors.visible_memberships(request.user, provider),
                text=wanted.get("q", ""),
                location=wanted.get("location", ""),
                permissions=ACCESS_LEVEL_PERMISSIONS[AccessLevel(level)] if level else (),
            ),
            start,
            start + TEAM_PAGE_SIZE + 1,
        )
        invitations, join_requests = [], []
    query = request.GET.copy()
    provider_key = {"provider_id": provider.pk}
    team_url = reverse("organisations:team", kwargs=provider_key)

    def page_link(to: int, name: str = "page", anchor: str = "") -> dict[str, str]:
        linked = query.copy()
        linked[name] = str(to)
        return {"href": f"{team_url}?{linked.urlencode()}{anchor}", "labelText": f"Page {to}"}

    pagination: dict[str, Any] = {}
    if number > 1:
        pagination["previous"] = page_link(number - 1)
    if len(memberships) > TEAM_PAGE_SIZE:
        pagination["next"] = page_link(number + 1)
    # Registered people are paged on their own (a national provider has hundreds of
    # registered managers), on the first page of people given access.
    people_number = _page_number(request, "people_page")
    registered, more_people = (
        selectors.registered_people(request.user, provider, page=people_number, size=TEAM_PAGE_SIZE)
        if first
        else ([], False)
    )
    people_pagination: dict[str, Any] = {}
    if first and people_number > 1:
        people_pagination["previous"] = page_link(
            people_number - 1, "people_page", "#registered-people"
        )
    if more_people:
        people_pagination["next"] = page_link(
            people_number + 1, "people_page", "#registered-people"
        )
    return page(
        request,
        "team.html",
        {
            "provider": provider,
            "registered": registered,
            "people_page_number": people_number,
            "people_first": (people_number - 1) * TEAM_PAGE_SIZE + 1,
            "people_pagination": people_pagination,
            "memberships": memberships[:TEAM_PAGE_SIZE],
            "location_names": location_names_of(memberships[:TEAM_PAGE_SIZE]),
            "invitations": invitations[:TEAM_PAGE_SIZE],
            "more_invitations": len(invitations) > TEAM_PAGE_SIZE,
            "join_requests": join_requests[:TEAM_PAGE_SIZE],
            "more_join_requests": len(join_requests) > TEAM_PAGE_SIZE,
            "page_number": number,
            "first": first,
            "filters": filters,
            "form": filters,  # the layout's error summary
            "filtered": filtered,
            "pagination": pagination,
            "may_manage": may_manage,
            "rows": TeamTableRows(
                RowText(),
                member_href=href_for("organisations:member", "membership_id", **provider_key),
                invitation_href=href_for(
                    "organisations:invitation_detail", "invitation_id", **provider_key
                ),
                join_request_href=href_for(
                    "organisations:join_request", "request_id", **provider_key
                ),
            ),
            # Webhooks carry events from every location (portal/webhooks/permissions.py).
            "may_manage_webhooks": manages.whole_provider,
        },
    )


@requires("organisations.manage_team")
@require_safe
def location_search(request: HttpRequest, provider_id: str) -> JsonResponse:
    """Suggestions for the location picker's autocomplete: the locations this user may give
    access to that match `q` (the picker works without it; this only saves a round trip)."""
    provider = selectors.provider_or_404(request.user, provider_id)
    options = location_options(selectors.grantable_locations(request.user, provider))
    query = request.GET.get("q", "")
    return JsonResponse(
        {"results": search_results(options, query if isinstance(query, str) else "")}
    )


# Members -----------------------------------------------------------------------------------


def _manageable(
    request: HttpRequest, provider_id: str, membership_id: UUID
) -> tuple[Provider, Membership]:
    provider = selectors.provider_or_404(request.user, provider_id)
    membership = selectors.membership_or_404(request.user, provider, membership_id)
    try:
        services.ensure_may_manage(actor=signed_in_user(request), membership=membership)
    except DelegationError as error:
        raise PermissionDenied(error.message) from error
    return provider, membership


@requires("organisations.view_team")
@require_safe
def member(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    membership = selectors.membership_or_404(request.user, provider, membership_id)
    may_manage = services.may_manage(signed_in_user(request), membership)
    return holder_page(request, "member.html", provider, membership, may_manage=may_manage)


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_change(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    provider, membership = _manageable(request, provider_id, membership_id)
    return grant_page(
        request,
        provider=provider,
        grant=partial(services.change_membership, membership=membership),
        done=f"Access changed for {membership.user.email}",
        template="member_change.html",
        context={"membership": membership},
        access_initial=AccessForm.initial_for(membership.permissions),
        locations_initial=LocationsForm.initial_for(
            membership.whole_provider, [loc.pk for loc in membership.locations.all()]
        ),
    )


# The question each move asks, and what it says once done.
_MEMBER_ACTIONS = {
    "suspend": ("Suspend access for", "Access suspended for"),
    "reinstate": ("Reinstate access for", "Access reinstated for"),
    "remove": ("Remove access for", "Access removed for"),
}


def _member_action(
    request: HttpRequest, provider_id: str, membership_id: UUID, action: str
) -> HttpResponseBase:
    provider, membership = _manageable(request, provider_id, membership_id)
    question, done = _MEMBER_ACTIONS[action]
    form = forms.Form(posted(request))
    acted = act_then_back_to_team(
        request,
        form,
        services.move_membership,
        f"{done} {membership.user.email}",
        provider_id,
        membership=membership,
        action=action,
    )
    return acted or page(
        request,
        "member_action.html",
        {
            "provider": provider,
            "membership": membership,
            "form": form,
            "action": action,
            "question": f"{question} {membership.user.email}?",
        },
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_suspend(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    return _member_action(request, provider_id, membership_id, "suspend")


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_reinstate(
    request: HttpRequest, provider_id: str, membership_id: UUID
) -> HttpResponseBase:
    return _member_action(request, provider_id, membership_id, "reinstate")


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def member_remove(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    return _member_action(request, provider_id, membership_id, "remove")


@requires("organisations.manage_team")
@require_POST
def member_keep(request: HttpRequest, provider_id: str, membership_id: UUID) -> HttpResponseBase:
    _provider, membership = _manageable(request, provider_id, membership_id)
    services.keep_after_review(
        actor=signed_in_user(request), membership=membership, request=request
    )
    messages.success(request, f"You have kept access for {membership.user.email}")
    return redirect("organisations:team", provider_id=provider_id)
