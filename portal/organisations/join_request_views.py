"""Pages for requests to join a provider's team: asking, and deciding one."""

from functools import partial
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires, signed_in_user
from portal.organisations import selectors, services
from portal.organisations.errors import DelegationError
from portal.organisations.forms import AccessForm, JoinForm, LocationsForm, RefuseForm
from portal.organisations.models import JoinRequest
from portal.organisations.view_helpers import (
    GET_POST,
    grant_from_forms,
    page,
    posted,
    put_error,
)
from portal.register.models import Provider

# Requests to join -----------------------------------------------------------------------


@requires("signed_in")
@require_http_methods(GET_POST)
def join(request: HttpRequest) -> HttpResponseBase:
    form = JoinForm(posted(request))
    if request.method == "POST" and form.is_valid():
        provider = Provider.objects.get(pk=form.cleaned_data["provider_id"])
        try:
            join_request = services.request_to_join(
                user=signed_in_user(request),
                provider=provider,
                message=form.cleaned_data["message"],
                request=request,
            )
        except DelegationError as error:
            put_error(form, error)
        else:
            return redirect("organisations:join_sent", request_id=join_request.pk)
    return page(request, "join.html", {"form": form})


@requires("signed_in")
@require_safe
def join_sent(request: HttpRequest, request_id: UUID) -> HttpResponse:
    join_request = (
        JoinRequest.objects.filter(pk=request_id, user_id=getattr(request.user, "pk", 0))
        .select_related("provider")
        .first()
    )
    if join_request is None:
        raise Http404("No such request")
    return page(request, "join_sent.html", {"join_request": join_request})


@requires("organisations.manage_team")
@require_safe
def join_request(request: HttpRequest, provider_id: str, request_id: UUID) -> HttpResponse:
    provider = selectors.provider_or_404(request.user, provider_id)
    found = selectors.join_request_or_404(request.user, provider, request_id)
    return page(request, "join_request.html", {"provider": provider, "join_request": found})


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def join_request_approve(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    found = selectors.join_request_or_404(request.user, provider, request_id)
    data = posted(request)
    access_form = AccessForm(data, actor=signed_in_user(request), provider=provider)
    locations_form = LocationsForm(data, actor=signed_in_user(request), provider=provider)
    if grant_from_forms(
        request,
        access_form,
        locations_form,
        partial(services.approve_join_request, join_request=found),
    ):
        messages.success(request, f"{found.user.email} now has access")
        return redirect("organisations:team", provider_id=provider_id)
    return page(
        request,
        "join_request_approve.html",
        {
            "provider": provider,
            "join_request": found,
            "access_form": access_form,
            "locations_form": locations_form,
            "forms": [access_form, locations_form],
        },
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def join_request_refuse(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> HttpResponseBase:
    provider = selectors.provider_or_404(request.user, provider_id)
    found = selectors.join_request_or_404(request.user, provider, request_id)
    form = RefuseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_join_request(
                actor=signed_in_user(request),
                join_request=found,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DelegationError as error:
            put_error(form, error)
        else:
            messages.success(request, f"Request from {found.user.email} refused")
            return redirect("organisations:team", provider_id=provider_id)
    return page(
        request,
        "join_request_refuse.html",
        {"provider": provider, "join_request": found, "form": form},
    )
