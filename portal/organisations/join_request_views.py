"""Pages for requests to join a provider's team: asking, and deciding one."""

from functools import partial
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import requires, signed_in_user
from portal.organisations import selectors, services
from portal.organisations.errors import DelegationError
from portal.organisations.forms import JoinForm, RefuseForm
from portal.organisations.models import JoinRequest
from portal.organisations.view_helpers import (
    GET_POST,
    act_then_back_to_team,
    grant_page,
    page,
    posted,
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
            error.show_on(form)
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


def _request_to_decide(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> tuple[Provider, JoinRequest]:
    provider = selectors.provider_or_404(request.user, provider_id)
    return provider, selectors.join_request_or_404(request.user, provider, request_id)


@requires("organisations.manage_team")
@require_safe
def join_request(request: HttpRequest, provider_id: str, request_id: UUID) -> HttpResponse:
    provider, found = _request_to_decide(request, provider_id, request_id)
    return page(request, "join_request.html", {"provider": provider, "join_request": found})


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def join_request_approve(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> HttpResponseBase:
    provider, found = _request_to_decide(request, provider_id, request_id)
    return grant_page(
        request,
        provider=provider,
        grant=partial(services.approve_join_request, join_request=found),
        done=f"{found.user.email} now has access",
        template="join_request_approve.html",
        context={"join_request": found},
    )


@requires("organisations.manage_team")
@require_http_methods(GET_POST)
def join_request_refuse(
    request: HttpRequest, provider_id: str, request_id: UUID
) -> HttpResponseBase:
    provider, found = _request_to_decide(request, provider_id, request_id)
    form = RefuseForm(posted(request))
    acted = act_then_back_to_team(
        request,
        form,
        lambda **arguments: services.refuse_join_request(
            reason=form.cleaned_data["reason"], **arguments
        ),
        f"Request from {found.user.email} refused",
        provider_id,
        join_request=found,
    )
    return acted or page(
        request,
        "join_request_refuse.html",
        {"provider": provider, "join_request": found, "form": form},
    )
