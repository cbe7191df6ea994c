"""A provider's webhook endpoints and each one's delivery log. Thin: services write,
selectors read; every view declares `webhooks.manage` (whole-provider team managers)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.access import requires
from portal.accounts.sessions import signed_in_user
from portal.register.models import Provider
from portal.webhooks import selectors, services
from portal.webhooks.errors import WebhookError, WebhookErrorCode
from portal.webhooks.events import EVENT_LABELS, EventType
from portal.webhooks.forms import EndpointForm
from portal.webhooks.permissions import MANAGE_WEBHOOKS

GET_POST = ["GET", "HEAD", "POST"]
_SHOWN_ONCE_SESSION_KEY = "webhooks_shown_once"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"webhooks/{template}", {"event_labels": _labels(), **context})


def _labels() -> dict[str, str]:
    return {event.value: label for event, label in EVENT_LABELS.items()}


def _show_secret_once(request: HttpRequest, result: services.WithSecret) -> None:
    """The next view of the endpoint's page shows the secret, and then it is gone."""
    request.session[_SHOWN_ONCE_SESSION_KEY] = {
        "endpoint": str(result.endpoint.pk),
        "secret": result.secret,
    }


def _take_secret(request: HttpRequest, endpoint_id: UUID) -> str | None:
    waiting = request.session.get(_SHOWN_ONCE_SESSION_KEY)
    if not waiting or waiting.get("endpoint") != str(endpoint_id):
        return None
    del request.session[_SHOWN_ONCE_SESSION_KEY]
    return str(waiting["secret"])


@requires(MANAGE_WEBHOOKS)
@require_safe
def endpoints(request: HttpRequest, provider_id: str) -> HttpResponse:
    provider = get_object_or_404(Provider, pk=provider_id)
    return _page(
        request,
        "endpoints.html",
        {"provider": provider, "endpoints": list(selectors.endpoints_of(provider_id))},
    )


@requires(MANAGE_WEBHOOKS)
@require_http_methods(GET_POST)
def add_endpoint(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_endpoint(
                provider_id=provider_id,
                actor=signed_in_user(request),
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                events=form.cleaned_data["events"],
                request=request,
            )
        except WebhookError as error:
            error.show_on(form)
        else:
            _show_secret_once(request, result)
            messages.success(request, "Endpoint added")
            return redirect(
                "webhooks:endpoint", provider_id=provider_id, endpoint_id=result.endpoint.pk
            )
    provider = get_object_or_404(Provider, pk=provider_id)  # only to show the page
    return _page(request, "add_endpoint.html", {"provider": provider, "form": form})


@requires(MANAGE_WEBHOOKS)
@require_safe
def endpoint(request: HttpRequest, provider_id: str, endpoint_id: UUID) -> HttpResponse:
    found = selectors.endpoint_or_404(provider_id, endpoint_id)
    return _page(
        request,
        "endpoint.html",
        {
            "provider": found.provider,
            "endpoint": found,
            "secret": _take_secret(request, endpoint_id),
            "deliveries": selectors.delivery_page(found, request.GET.get("page")),
            "test_event": EventType.TEST.value,
            "form": forms.Form(),
        },
    )


def _act(
    request: HttpRequest,
    provider_id: str,
    endpoint_id: UUID,
    act: Callable[..., object],
    done: str,
    **arguments: Any,
) -> HttpResponseBase:
    """Do `act` and go back to the endpoint's page saying `done` (or why not)."""
    try:
        act(
            provider_id=provider_id,
            endpoint_id=endpoint_id,
            actor=signed_in_user(request),
            request=request,
            **arguments,
        )
    except WebhookError as error:
        if error.code == WebhookErrorCode.NOT_FOUND:
            raise Http404(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("webhooks:endpoint", provider_id=provider_id, endpoint_id=endpoint_id)


@requires(MANAGE_WEBHOOKS)
@require_POST
def pause_endpoint(request: HttpRequest, provider_id: str, endpoint_id: UUID) -> HttpResponseBase:
    return _act(
        request, provider_id, endpoint_id, services.pause_endpoint, "Endpoint paused: events wait"
    )


@requires(MANAGE_WEBHOOKS)
@require_POST
def resume_endpoint(request: HttpRequest, provider_id: str, endpoint_id: UUID) -> HttpResponseBase:
    return _act(
        request,
        provider_id,
        endpoint_id,
        services.resume_endpoint,
        "Endpoint resumed: waiting events are being sent, oldest first",
    )


@requires(MANAGE_WEBHOOKS)
@require_POST
def send_test_event(request: HttpRequest, provider_id: str, endpoint_id: UUID) -> HttpResponseBase:
    return _act(request, provider_id, endpoint_id, services.send_test_event, "Test event queued")


@requires(MANAGE_WEBHOOKS)
@require_POST
def send_again(
    request: HttpRequest, provider_id: str, endpoint_id: UUID, delivery_id: int
) -> HttpResponseBase:
    return _act(
        request,
        provider_id,
        endpoint_id,
        services.send_again,
        "Delivery queued to be sent again",
        delivery_id=delivery_id,
    )


@requires(MANAGE_WEBHOOKS)
@require_http_methods(GET_POST)
def rotate_secret(request: HttpRequest, provider_id: str, endpoint_id: UUID) -> HttpResponseBase:
    found = selectors.endpoint_or_404(provider_id, endpoint_id)
    form = _VersionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = services.rotate_secret(
            provider_id=provider_id,
            endpoint_id=endpoint_id,
            shown_version=form.cleaned_data["version"],
            actor=signed_in_user(request),
            request=request,
        )
        if result is not None:
            _show_secret_once(request, result)
            messages.success(request, "New signing secret made")
        else:
            messages.info(request, "The secret was already changed; it is not shown again")
        return redirect("webhooks:endpoint", provider_id=provider_id, endpoint_id=endpoint_id)
    return _page(
        request,
        "rotate_secret.html",
        {
            "provider": found.provider,
            "endpoint": found,
            "form": form,
            "previous_hours": settings.WEBHOOKS_PREVIOUS_SECRET_HOURS,
        },
    )


class _VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


@requires(MANAGE_WEBHOOKS)
@require_http_methods(GET_POST)
def delete_endpoint(request: HttpRequest, provider_id: str, endpoint_id: UUID) -> HttpResponseBase:
    if request.method == "POST":
        deleted = services.delete_endpoint(
            provider_id=provider_id,
            endpoint_id=endpoint_id,
            actor=signed_in_user(request),
            request=request,
        )
        messages.success(request, "Endpoint deleted" if deleted else "Endpoint already deleted")
        return redirect("webhooks:endpoints", provider_id=provider_id)
    found = selectors.endpoint_or_404(provider_id, endpoint_id)
    return _page(
        request,
        "delete_endpoint.html",
        {"provider": found.provider, "endpoint": found, "form": forms.Form()},
    )
